package content

import (
	"bytes"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// field is one front-matter value with the file line it stands on. Node is
// the YAML node of a list or map value (keys allowed to be structured).
type field struct {
	Value string
	Line  int
	Node  *yaml.Node
}

// frontMatter is a parsed front-matter block: the scalar values by key, in
// the order they were written.
type frontMatter struct {
	fields map[string]field
	keys   []string
	line   int // the line of the opening "---"
}

func (fm frontMatter) get(key string) (field, bool) {
	f, ok := fm.fields[key]
	return f, ok
}

var errNoFrontMatter = errors.New("the file does not start with a front-matter block (a line with ---)")

// splitFrontMatter splits src into the YAML between the leading "---" lines
// and the body after them. bodyLine is the file line the body starts on.
// A byte-order mark and Windows line ends are accepted.
func splitFrontMatter(src []byte) (yamlSrc, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first, rest, ok := cutLine(src)
	if !ok && len(first) == 0 || string(bytes.TrimRight(first, " \t\r")) != "---" {
		return nil, nil, 0, errNoFrontMatter
	}
	line := 2
	start := rest
	for len(rest) > 0 {
		l, next, _ := cutLine(rest)
		t := string(bytes.TrimRight(l, " \t\r"))
		if t == "---" || t == "..." {
			yamlSrc = start[:len(start)-len(rest)]
			return yamlSrc, next, line + 1, nil
		}
		rest = next
		line++
	}
	return nil, nil, 0, errUnclosed
}

var errUnclosed = errors.New("the front-matter block is never closed: add a line with --- after it")

func cutLine(b []byte) (line, rest []byte, found bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return b[:i], b[i+1:], true
}

var yamlLineRE = regexp.MustCompile(`line (\d+): `)

// yamlErrorLine finds the line (1-based, within the block) that breaks the
// YAML. The parser's own line number often names the line before the
// fault, so the block is parsed a line at a time: the first prefix that
// fails ends on the broken line. Long blocks fall back to the parser's word.
func yamlErrorLine(src []byte, err error) int {
	line := 1
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			line = n
		}
	}
	if bytes.Count(src, []byte("\n")) > 200 {
		return line
	}
	end := 0
	for n := 1; end < len(src); n++ {
		i := bytes.IndexByte(src[end:], '\n')
		if i < 0 {
			end = len(src)
		} else {
			end += i + 1
		}
		var doc yaml.Node
		if yaml.Unmarshal(src[:end], &doc) != nil {
			return n
		}
	}
	return line
}

// parseFrontMatter decodes the YAML block. Lines in errors and fields are
// file lines: the block starts on file line 2.
func parseFrontMatter(yamlSrc []byte, known map[string]bool, p problems) (frontMatter, bool) {
	return parseFrontMatterS(yamlSrc, known, nil, p)
}

// parseFrontMatterS is parseFrontMatter where the keys in structured may
// hold a list or a map.
func parseFrontMatterS(yamlSrc []byte, known, structured map[string]bool, p problems) (frontMatter, bool) {
	fm := frontMatter{fields: map[string]field{}, line: 1}
	var doc yaml.Node
	if err := yaml.Unmarshal(yamlSrc, &doc); err != nil {
		msg := strings.TrimPrefix(yamlLineRE.ReplaceAllString(err.Error(), ""), "yaml: ")
		p.errorf(yamlErrorLine(yamlSrc, err)+1, "invalid YAML in the front matter: %s", msg)
		return fm, false
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return fm, true // empty block: the missing keys are reported by the caller
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		p.errorf(m.Line+1, "the front matter must be a list of key: value lines")
		return fm, false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		line := k.Line + 1
		if !known[k.Value] {
			p.warnf(line, "unknown key %q (known: %s); it is ignored", k.Value, knownList(known))
			continue
		}
		if v.Kind != yaml.ScalarNode && !structured[k.Value] {
			p.errorf(line, "%q must be a single value, not a list or a map", k.Value)
			continue
		}
		if _, dup := fm.fields[k.Value]; dup {
			p.errorf(line, "%q is given twice", k.Value)
			continue
		}
		val := v.Value
		if v.Tag == "!!null" {
			val = ""
		}
		f := field{Value: val, Line: line}
		if v.Kind != yaml.ScalarNode {
			f.Node = v
		}
		fm.fields[k.Value] = f
		fm.keys = append(fm.keys, k.Value)
	}
	return fm, true
}

// knownList lists known keys in a stable order for messages.
func knownList(known map[string]bool) string {
	keys := make([]string, 0, len(known))
	for k := range known {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// Field is a front-matter value and its file line; Node is set for a list
// or map value.
type Field = field

// FrontMatter is a content file's front matter and body.
type FrontMatter struct {
	Fields   map[string]Field
	Keys     []string // in the order written
	Body     []byte
	BodyLine int // the file line the body starts on
}

// ReadFrontMatter splits and decodes a content file for other content kinds
// (exercises, programmes). Keys not in known are warned about; keys in
// structured may hold a list or a map (Field.Node). ok is false when the
// file cannot be read at all; every problem is appended to probs.
func ReadFrontMatter(file string, src []byte, known, structured map[string]bool, probs *Problems) (FrontMatter, bool) {
	p := problems{file, probs}
	y, body, bodyLine, err := splitFrontMatter(src)
	if err != nil {
		p.errorf(1, "%v", err)
		return FrontMatter{}, false
	}
	fm, ok := parseFrontMatterS(y, known, structured, p)
	if !ok {
		return FrontMatter{}, false
	}
	return FrontMatter{Fields: fm.fields, Keys: fm.keys, Body: body, BodyLine: bodyLine}, true
}

// YAMLLine is the file line of a node inside a front-matter block.
func YAMLLine(n *yaml.Node) int { return n.Line + 1 }
