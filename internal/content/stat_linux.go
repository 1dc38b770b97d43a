//go:build linux

package content

import (
	"io/fs"
	"syscall"
)

// fileStat is what says a file is unchanged without reading it: size,
// modification and change time (the change time cannot be set back by a
// program, the modification time can) and inode, as git's index keeps.
type fileStat struct {
	Size, MTime, CTime int64
	Ino                uint64
}

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
