package site_test

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/site"
)

// builtFile is a file of a build folder as a test sees it.
type builtFile struct {
	body  []byte
	mtime time.Time
	ino   uint64
}

// snapshot reads every file under dir but the manifest and the cache.
func snapshot(t *testing.T, dir string) map[string]builtFile {
	t.Helper()
	files := map[string]builtFile{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == site.ManifestName || rel == site.BuildCacheName {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = builtFile{body: b, mtime: fi.ModTime()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func buildStat(t *testing.T, fsys fs.FS, dir string) site.BuildStats {
	t.Helper()
	_, st, err := site.BuildStat(fsys, testOptions(), dir)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return st
}

// TestIncrementalBuild builds 45 articles, changes the content (or the
// folder) and builds again into the same folder: the folder must then hold
// exactly what a fresh build writes, files whose bytes did not change must
// not have been written (their modification times are untouched), a
// deleted article's pages must be gone, and a file the user put in the
// folder must survive.
func TestIncrementalBuild(t *testing.T) {
	t.Parallel()
	const (
		changed   = "blog/artikel-010.html"
		untouched = "blog/artikel-001.html"
	)
	userFiles := map[string]string{
		"CNAME":            "klinik.example\n",
		"blog/noter.txt":   "mine noter\n",
		"gammel/side.html": "<p>min egen side</p>\n",
	}
	tests := []struct {
		name string
		// change alters the content or the folder after the first build.
		change func(t *testing.T, fsys fstest.MapFS, dir string)
		// rewritten must have a new modification time; kept must not;
		// gone must not be there.
		rewritten, kept, gone []string
		// written is how many files the second build writes, or -1 for
		// "some, not all".
		written int
	}{
		{
			name:    "unchanged",
			change:  func(*testing.T, fstest.MapFS, string) {},
			kept:    []string{changed, untouched, "index.html", "blog/index.html", "feed.xml", "sitemap.xml"},
			written: 0,
		},
		{
			name: "one article changed",
			change: func(t *testing.T, fsys fstest.MapFS, _ string) {
				fsys["blog/artikel-010.md"] = &fstest.MapFile{Data: []byte(article("Artikel nummer 10", "10-01-2024", "",
					"Et nyt første afsnit om at gå med rollator.\n\n## Et\n\nNy tekst."))}
			},
			rewritten: []string{changed, "en/" + changed},
			kept:      []string{untouched, "en/" + untouched, "blog/artikel-044.html", "robots.txt"},
			written:   -1,
		},
		{
			name: "one article deleted",
			change: func(t *testing.T, fsys fstest.MapFS, _ string) {
				delete(fsys, "blog/artikel-010.md")
			},
			rewritten: []string{"sitemap.xml"},
			kept:      []string{untouched, "robots.txt"},
			gone:      []string{changed, "en/" + changed},
			written:   -1,
		},
		{
			name: "a built file edited by hand",
			change: func(t *testing.T, _ fstest.MapFS, dir string) {
				p := filepath.Join(dir, filepath.FromSlash(untouched))
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				// Same size, other bytes, and the old modification time
				// put back: only the stat check against the manifest's
				// nanoseconds or the size can notice, and the size cannot.
				fi, _ := os.Stat(p)
				b = bytes.Replace(b, []byte("Artikel"), []byte("ARTIKEL"), 1)
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Chtimes(p, fi.ModTime(), fi.ModTime().Add(time.Second)); err != nil {
					t.Fatal(err)
				}
			},
			rewritten: []string{untouched},
			kept:      []string{changed},
			written:   1,
		},
		{
			name: "a built file deleted by hand",
			change: func(t *testing.T, _ fstest.MapFS, dir string) {
				if err := os.Remove(filepath.Join(dir, filepath.FromSlash(untouched))); err != nil {
					t.Fatal(err)
				}
			},
			kept:    []string{changed},
			written: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := manyArticles(45)
			dir := t.TempDir()
			for rel, body := range userFiles {
				p := filepath.Join(dir, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			first := buildStat(t, fsys, dir)
			if first.Written != first.Files || first.Unchanged != 0 || first.Removed != 0 {
				t.Errorf("first build: %+v, want every file written", first)
			}
			before := snapshot(t, dir)
			// File systems stamp times from a coarse clock (a kernel
			// tick): without a pause, a file rewritten at once could get
			// the very time it had, and look untouched.
			time.Sleep(50 * time.Millisecond)
			tt.change(t, fsys, dir)
			st := buildStat(t, fsys, dir)
			after := snapshot(t, dir)

			switch {
			case tt.written >= 0 && st.Written != tt.written:
				t.Errorf("second build wrote %d files, want %d (%+v)", st.Written, tt.written, st)
			case tt.written < 0 && (st.Written == 0 || st.Written >= st.Files/2):
				t.Errorf("second build wrote %d of %d files, want a few", st.Written, st.Files)
			}
			for _, rel := range tt.rewritten {
				if a, ok := after[rel]; !ok || a.mtime.Equal(before[rel].mtime) {
					t.Errorf("%s was not rewritten", rel)
				}
			}
			for _, rel := range tt.kept {
				if a, ok := after[rel]; !ok || !a.mtime.Equal(before[rel].mtime) {
					t.Errorf("%s was rewritten (or removed) though its bytes did not change", rel)
				}
			}
			for _, rel := range tt.gone {
				if _, ok := after[rel]; ok {
					t.Errorf("%s is still there", rel)
				}
			}
			if len(tt.gone) > 0 && st.Removed != len(tt.gone) {
				t.Errorf("second build removed %d files, want %d", st.Removed, len(tt.gone))
			}

			// The folder is now what a fresh build writes, plus the
			// user's files, unchanged.
			fresh := t.TempDir()
			buildStat(t, fsys, fresh)
			want := snapshot(t, fresh)
			for rel, body := range userFiles {
				if got, ok := after[rel]; !ok || string(got.body) != body {
					t.Errorf("the user's %s did not survive the build", rel)
				}
				delete(after, rel)
			}
			if got, w := slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(want)); !slices.Equal(got, w) {
				t.Errorf("incremental build has files %d files, a fresh one %d:\n%s", len(got), len(w), listDiff(got, w))
			}
			for rel, w := range want {
				if g, ok := after[rel]; ok && !bytes.Equal(g.body, w.body) {
					t.Errorf("%s differs from a fresh build's", rel)
				}
			}
		})
	}
}

func listDiff(got, want []string) string {
	var b strings.Builder
	for _, g := range got {
		if _, ok := slices.BinarySearch(want, g); !ok {
			b.WriteString("+ " + g + "\n")
		}
	}
	for _, w := range want {
		if _, ok := slices.BinarySearch(got, w); !ok {
			b.WriteString("- " + w + "\n")
		}
	}
	return b.String()
}

// TestBuildForeignManifest: a manifest stenose cannot read stops the build
// before it writes or removes anything — guessing what it lists could
// remove a file stenose never wrote.
func TestBuildForeignManifest(t *testing.T) {
	t.Parallel()
	for _, manifest := range []string{
		"stenose-build 99\n",
		"stenose-build 1\nnot a line\n",
		"stenose-build 1\n" + strings.Repeat("0", 64) + " 1 1 ../etc/passwd\n",
		"stenose-build 2\n" + strings.Repeat("0", 66) + " 1 1 - index.html\n",
		"stenose-build 2\n" + strings.Repeat("0", 64) + " 1 1 xyz index.html\n",
		"stenose-build 2\n" + strings.Repeat("0", 64) + " 1 1 -\n",
		"stenose-build 2\n" + strings.Repeat("0", 64) + " 1 1 - .stenose-build-cache\n",
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, site.ManifestName), []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("min side"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := site.Build(manyArticles(3), testOptions(), dir); err == nil {
			t.Errorf("manifest %q: no error", manifest)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "min side" {
			t.Errorf("manifest %q: the build wrote over index.html", manifest)
		}
	}
}

// TestBuildCache: a build into the folder of an earlier one takes the
// unchanged articles from the earlier build's cache (neither parsed nor
// rendered), on a real folder where the file's stat decides, and after a
// touch where its hash does; a changed article, a changed author (which
// every page shows), a damaged cache and an older manifest each give what a
// fresh build gives.
func TestBuildCache(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	for name, f := range manyArticles(30) {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys := os.DirFS(src)
	dir := t.TempDir()
	if st := buildStat(t, fsys, dir); st.Reused != 0 {
		t.Fatalf("first build reused %d articles", st.Reused)
	}
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(src, filepath.FromSlash(name)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	same := func(step string) {
		t.Helper()
		fresh := t.TempDir()
		buildStat(t, fsys, fresh)
		got, want := snapshot(t, dir), snapshot(t, fresh)
		if g, w := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)); !slices.Equal(g, w) {
			t.Errorf("%s: files differ from a fresh build's:\n%s", step, listDiff(g, w))
		}
		for rel, w := range want {
			if g, ok := got[rel]; ok && !bytes.Equal(g.body, w.body) {
				t.Errorf("%s: %s differs from a fresh build's", step, rel)
			}
		}
	}
	steps := []struct {
		name           string
		change         func()
		reused, writes int // -1: some
	}{
		{"unchanged", func() {}, 30, 0},
		{"touched, same bytes", func() {
			now := time.Now().Add(time.Hour)
			if err := os.Chtimes(filepath.Join(src, "blog", "artikel-003.md"), now, now); err != nil {
				t.Fatal(err)
			}
		}, 30, 0},
		{"one article changed", func() {
			write("blog/artikel-003.md", article("Artikel nummer 3", "03-01-2024", "", "Nyt afsnit om at gå med pauser."))
		}, 29, -1},
		{"an article added", func() {
			write("blog/ny.md", article("En ny artikel", "01-06-2024", "", "Om at cykle."))
		}, 30, -1},
		{"the author changed", func() {
			write("authors/anna.md", strings.Replace(testAuthor, "Anna", "Anne", 1))
		}, 0, -1},
		{"the cache damaged", func() {
			if err := os.WriteFile(filepath.Join(dir, site.BuildCacheName), []byte("not a cache"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, 0, 0},
	}
	for _, step := range steps {
		time.Sleep(20 * time.Millisecond) // a coarse file clock (see TestIncrementalBuild)
		step.change()
		st := buildStat(t, fsys, dir)
		if st.Reused != step.reused {
			t.Errorf("%s: reused %d articles, want %d", step.name, st.Reused, step.reused)
		}
		if step.writes >= 0 && st.Written != step.writes || step.writes < 0 && st.Written == 0 {
			t.Errorf("%s: wrote %d files, want %d (-1: some)", step.name, st.Written, step.writes)
		}
		same(step.name)
	}
}

// TestBuildReadsOlderManifest: the folder of a build by the version before
// the cache (manifest "stenose-build 1", without inputs) is built into
// incrementally, not refused: its files are compared by their bytes.
func TestBuildReadsOlderManifest(t *testing.T) {
	t.Parallel()
	fsys := manyArticles(5)
	dir := t.TempDir()
	buildStat(t, fsys, dir)
	m := filepath.Join(dir, site.ManifestName)
	b, err := os.ReadFile(m)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	lines[0] = "stenose-build 1"
	for i, l := range lines[1:] {
		f := strings.SplitN(l, " ", 5)
		lines[i+1] = strings.Join([]string{f[0], f[1], f[2], f[4]}, " ")
	}
	if err := os.WriteFile(m, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, site.BuildCacheName)); err != nil {
		t.Fatal(err)
	}
	if st := buildStat(t, fsys, dir); st.Written != 0 || st.Removed != 0 {
		t.Errorf("build over a version-1 manifest: %+v, want nothing written or removed", st)
	}
}

// TestBuildSlugOfBrokenFile: a build writes an article's pages while the
// others are still being read, for the file that first claims the slug. When
// that file is broken, the slug goes to the next file claiming it, whose
// pages must still be written — as serve shows them.
func TestBuildSlugOfBrokenFile(t *testing.T) {
	t.Parallel()
	fsys := manyArticles(3)
	fsys["blog/a/gang.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"Uden dato\"\nauthor: anna\n---\n\nTekst.\n")}
	fsys["blog/gang.md"] = &fstest.MapFile{Data: []byte(article("Gang med pauser", "02-02-2024", "", "Gå, hvil, gå igen."))}
	dir := t.TempDir()
	if _, err := site.Build(fsys, testOptions(), dir); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "blog", "gang.html"))
	if err != nil {
		t.Fatalf("the article of blog/gang.md was not written: %v", err)
	}
	if w := get(load(t, fsys).Handler(), "/blog/gang"); w.Code != 200 || !bytes.Equal(got, w.Body.Bytes()) {
		t.Errorf("blog/gang.html differs from what serve sends (%d)", w.Code)
	}
	if !strings.Contains(string(got), "Gang med pauser") {
		t.Errorf("blog/gang.html is not the article of blog/gang.md")
	}
}

// readLog is a folder that notes every file read from it.
type readLog struct {
	fs.FS
	mu   sync.Mutex
	read map[string]bool
}

func (r *readLog) Open(name string) (fs.File, error) {
	f, err := r.FS.Open(name)
	if err == nil {
		if st, serr := f.Stat(); serr == nil && !st.IsDir() {
			r.mu.Lock()
			r.read[name] = true
			r.mu.Unlock()
		}
	}
	return f, err
}

// TestInputsAreWhatTheSiteReads: the build cache keys an article's pages
// by the files content.IsInput names (besides the article), so every file
// the site reads to render them must be one of those — else a change to it
// would leave stale pages behind.
func TestInputsAreWhatTheSiteReads(t *testing.T) {
	t.Parallel()
	fsys := os.DirFS(filepath.Join("..", "..", "content"))
	r := &readLog{FS: fsys, read: map[string]bool{}}
	if _, err := site.Build(r, testOptions(), t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if len(r.read) < 5 {
		t.Fatalf("the build read only %v", r.read)
	}
	for name := range r.read {
		if !content.IsInput(name) {
			t.Errorf("the site reads %s, which content.IsInput does not name", name)
		}
	}
}

// TestUnchangedBuildKeepsManifest: a build that finds nothing changed
// leaves its own two files alone too — the manifest and the cache keep
// their modification times (a host that syncs by time uploads nothing) —
// and one that changed an article rewrites the manifest.
func TestUnchangedBuildKeepsManifest(t *testing.T) {
	t.Parallel()
	fsys := manyArticles(5)
	dir := t.TempDir()
	buildStat(t, fsys, dir)
	mtimes := func() map[string]time.Time {
		m := map[string]time.Time{}
		for _, name := range []string{site.ManifestName, site.BuildCacheName} {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			m[name] = fi.ModTime()
		}
		return m
	}
	before := mtimes()
	time.Sleep(50 * time.Millisecond) // a coarse file clock would hide a rewrite
	buildStat(t, fsys, dir)
	for name, at := range mtimes() {
		if !at.Equal(before[name]) {
			t.Errorf("unchanged build rewrote %s", name)
		}
	}
	fsys["blog/artikel-003.md"].Data = append(fsys["blog/artikel-003.md"].Data, "\nEn ny sætning.\n"...)
	buildStat(t, fsys, dir)
	if at := mtimes()[site.ManifestName]; at.Equal(before[site.ManifestName]) {
		t.Errorf("a build that rewrote an article's pages left the manifest as it was")
	}
}
