// Package preview is `stenose serve --watch`, the authors' live preview: it
// watches the content folder (fsnotify, every sub-folder, new ones as they
// appear), waits for a burst of writes to settle, renders the site again
// and swaps it in atomically, and tells open tabs to reload over an event
// stream. It is never part of a normal `serve`.
package preview

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is how long the folder must be quiet after a change
// before the site is rendered again: an editor's save is a burst (a temp
// file written, renamed over the old one, its mode set) of a few
// milliseconds.
const DefaultDebounce = 40 * time.Millisecond

// Watch calls changed once for each burst of changes in dir and its
// sub-folders, after quiet has passed with no further change, until ctx
// ends. Folders created later are watched as they appear. Editors' backup
// and swap files (name~, .#name, .name.swp, 4913) are ignored. ready, when
// not nil, is closed once every folder is watched.
func Watch(ctx context.Context, dir string, quiet time.Duration, changed func(), ready chan<- struct{}) error {
	return WatchFiles(ctx, dir, quiet, func([]string) { changed() }, ready)
}

// WatchFiles is Watch, and gives changed the paths the burst touched
// (each once, in no order; after an overflow of the watcher's queue they
// may be incomplete: look at the folder).
func WatchFiles(ctx context.Context, dir string, quiet time.Duration, changed func(names []string), ready chan<- struct{}) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	if err := addTree(w, dir); err != nil {
		return err
	}
	if ready != nil {
		close(ready)
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	names := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			_ = err // an overflow: render again to be safe
			timer.Reset(quiet)
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					_ = addTree(w, ev.Name) // and what was made in it before the watch
				}
			}
			if ignored(filepath.Base(ev.Name)) || ev.Op == fsnotify.Chmod {
				continue
			}
			names[ev.Name] = true
			timer.Reset(quiet)
		case <-timer.C:
			list := make([]string, 0, len(names))
			for n := range names {
				list = append(list, n)
			}
			clear(names)
			changed(list)
		}
	}
}

// addTree watches dir and every folder under it.
func addTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone again: nothing to watch
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return w.Add(p)
		}
		return nil
	})
}

// ignored reports whether name is an editor's scratch file, not content.
func ignored(name string) bool {
	return strings.HasSuffix(name, "~") || strings.HasPrefix(name, ".#") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || name == "4913" ||
		(strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp"))
}
