package site

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/testenv"
)

// The floors under a fresh build: each benchmark does one part of what a
// build of STENOSE_BENCH_CONTENT does (go run ./bench/gencontent -n 10000
// -o DIR), and only that part, on one worker per core as the build does.
// One op is the whole folder, so ns/op is that part's wall time; a build
// cannot be faster than their sum. Without the variable, the built-in
// content. BenchmarkMarkdownFloor (internal/content) is the third.
//
//	STENOSE_BENCH_CONTENT=DIR go test ./internal/site -run '^$' -bench Floor -benchtime 3x

func floorContent(b *testing.B) fs.FS {
	b.Helper()
	if d := os.Getenv("STENOSE_BENCH_CONTENT"); d != "" {
		return os.DirFS(d)
	}
	return os.DirFS("../../content")
}

// BenchmarkTemplateFloor executes the article page's template for every
// article in both languages, the views made beforehand: html/template
// alone, nothing parsed, hashed or written.
func BenchmarkTemplateFloor(b *testing.B) {
	s, err := Load(floorContent(b), Options{BaseURL: "https://klinik.example"})
	if err != nil {
		b.Fatal(err)
	}
	var views []*view
	for _, a := range s.ix.Articles {
		p := s.articleParts(a)
		for _, lang := range i18n.Langs {
			views = append(views, s.articleViewParts(lang, a, p))
		}
	}
	bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }} // one a worker, as the build keeps
	for b.Loop() {
		err := testenv.OnCores(len(views), func(i int) error {
			buf := bufs.Get().(*bytes.Buffer)
			defer bufs.Put(buf)
			buf.Reset()
			return s.execute(buf, "article.html", views[i])
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(views)), "pages")
}

// BenchmarkFilesFloor creates the files a build of the folder writes —
// the same names and sizes, read off one build made beforehand — in a new
// folder under b.TempDir() each op (TMPDIR chooses the file system), with
// the calls fileWriter makes (open with O_CREATE|O_TRUNC, write, fstat,
// close) and nothing else: the kernel's part.
func BenchmarkFilesFloor(b *testing.B) {
	out := b.TempDir()
	if _, err := Build(floorContent(b), Options{BaseURL: "https://klinik.example"}, out); err != nil {
		b.Fatal(err)
	}
	type file struct {
		rel  string
		size int
	}
	var files []file
	dirs := map[string]bool{}
	maxSize := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		files = append(files, file{rel, int(fi.Size())})
		dirs[filepath.Dir(rel)] = true
		maxSize = max(maxSize, int(fi.Size()))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat([]byte("x"), maxSize)
	for b.Loop() {
		dir := b.TempDir()
		for d := range dirs {
			if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
				b.Fatal(err)
			}
		}
		err := testenv.OnCores(len(files), func(i int) error {
			f, err := os.OpenFile(filepath.Join(dir, files[i].rel), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
			if err != nil {
				return err
			}
			_, err = f.Write(body[:files[i].size])
			if err == nil {
				_, err = f.Stat()
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(files)), "files")
}
