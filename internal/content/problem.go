// Package content reads a content folder — articles in Markdown with YAML
// front matter, authors, images and the site settings — validates it, and
// turns it into an immutable index that the web layer renders once.
//
// Nothing in a content file may panic this package: every problem becomes a
// Problem that names the file and line, the broken file is left out and the
// rest is kept.
package content

import (
	"fmt"
	"sort"
)

// Severity tells whether a problem leaves a file out (Error) or only deserves
// the author's attention (Warning).
type Severity int

const (
	Warning Severity = iota
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Problem is one thing wrong with a content file.
type Problem struct {
	File     string // slash-separated path inside the content folder, e.g. "blog/x.md"
	Line     int    // 1-based; 0 when the problem concerns the whole file
	Severity Severity
	Msg      string
}

// String formats the problem as "file:line: severity: message".
func (p Problem) String() string {
	line := p.Line
	if line < 1 {
		line = 1
	}
	return fmt.Sprintf("%s:%d: %s: %s", p.File, line, p.Severity, p.Msg)
}

// Problems is a list of problems in file and line order.
type Problems []Problem

// HasErrors reports whether any problem is an error.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

func (ps Problems) sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// problems collects problems for one file.
type problems struct {
	file string
	list *Problems
}

func (p problems) errorf(line int, format string, args ...any) {
	*p.list = append(*p.list, Problem{File: p.file, Line: line, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

func (p problems) warnf(line int, format string, args ...any) {
	*p.list = append(*p.list, Problem{File: p.file, Line: line, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Errorf appends an error about file at line.
func (ps *Problems) Errorf(file string, line int, format string, args ...any) {
	problems{file, ps}.errorf(line, format, args...)
}

// Warnf appends a warning about file at line.
func (ps *Problems) Warnf(file string, line int, format string, args ...any) {
	problems{file, ps}.warnf(line, format, args...)
}

// Sort orders the problems by file and line.
func (ps Problems) Sort() { ps.sort() }
