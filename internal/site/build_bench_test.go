package site_test

import (
	"os"
	"testing"

	"github.com/stenose/stenose/internal/site"
)

// BenchmarkBuild builds the content folder STENOSE_BENCH_CONTENT (make one
// with go run ./bench/gencontent -n 10000 -o DIR) into a fresh folder per
// run, or, with the variable unset, 200 generated articles.
//
//	go test ./internal/site -run '^$' -bench 'Build$' -benchtime 3x -cpuprofile cpu.out
func BenchmarkBuild(b *testing.B) { benchBuild(b, false) }

// BenchmarkBuildUnchanged builds into the same folder again and again:
// after the first build (not timed), nothing changes.
func BenchmarkBuildUnchanged(b *testing.B) { benchBuild(b, true) }

func benchBuild(b *testing.B, again bool) {
	fsys := os.DirFS(os.Getenv("STENOSE_BENCH_CONTENT"))
	if os.Getenv("STENOSE_BENCH_CONTENT") == "" {
		fsys = nil
	}
	b.ReportAllocs()
	dir := b.TempDir()
	build := func() error {
		if fsys == nil {
			_, err := site.Build(manyArticles(200), testOptions(), dir)
			return err
		}
		_, err := site.Build(fsys, testOptions(), dir)
		return err
	}
	if again {
		if err := build(); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if err := build(); err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	for b.Loop() {
		dir := b.TempDir()
		var err error
		if fsys == nil {
			_, err = site.Build(manyArticles(200), testOptions(), dir)
		} else {
			_, err = site.Build(fsys, testOptions(), dir)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
