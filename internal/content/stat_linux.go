//go:build linux

package content

import (
	"io/fs"
	"syscall"
)

// statOf is the file's fileStat; false when the file system does not give
// one (an embedded folder, another operating system), and then the file is
// always read and hashed.
func statOf(fsys fs.FS, file string) (fileStat, bool) {
	fi, err := fs.Stat(fsys, file)
	if err != nil {
		return fileStat{}, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStat{}, false
	}
	return fileStat{Size: fi.Size(), MTime: fi.ModTime().UnixNano(), CTime: st.Ctim.Nano(), Ino: st.Ino}, true
}
