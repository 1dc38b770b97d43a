package main

import (
	"io/fs"
	"path"
	"strings"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	stenose "github.com/stenose/stenose"
	"io"
	"os"
	"time"
	"unicode/utf8"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/rules"
)

const adviseSynopsis = `[-now TIME] < history.json

Reads a patient history as JSON on stdin, checks it, and prints the rules'
advice as JSON on stdout: {"advice": [...]}, most pressing first. A history
with a problem is refused with one line per problem on stderr (exit 1).
docs/rules.md describes both formats, every rule and its source; try
  stenose advise -now 2025-10-01T12:00:00Z < docs/advise-example.json`

func runAdvise(_ context.Context, args []string, stdout, stderr io.Writer) error {
	return adviseMain(args, os.Stdin, stdout, stderr, time.Now)
}

// adviseMain is runAdvise with its input and clock passed in; clock is read
// only when -now is not given.
func adviseMain(args []string, stdin io.Reader, stdout, stderr io.Writer, clock func() time.Time) error {
	fs := newFlags("advise", adviseSynopsis, stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: stenose advise %s\n\nFlags:\n", adviseSynopsis)
		fs.PrintDefaults()
	}
	nowFlag := fs.String("now", "", "the time to advise at, RFC 3339 (e.g. 2025-10-01T12:00:00Z; default: now); its date is the day the rules count from")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitError(2)
	}
	var now time.Time
	if *nowFlag == "" {
		now = clock()
	} else {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			fmt.Fprintf(stderr, "stenose advise: -now: %q is not an RFC 3339 time (e.g. 2025-10-01T12:00:00Z)\n", *nowFlag)
			return exitError(2)
		}
		now = t
	}

	data, err := io.ReadAll(io.LimitReader(stdin, rules.MaxHistoryBytes+1))
	if err != nil {
		return fmt.Errorf("reading stdin: %w", err)
	}
	if len(data) > rules.MaxHistoryBytes {
		return fmt.Errorf("the history on stdin is larger than %d MB", rules.MaxHistoryBytes>>20)
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		if path := jsonPathAt(data, off); path != "" {
			return fmt.Errorf("%s: is not valid UTF-8 (line %d)", path, lineOf(data, int64(off)))
		}
		return fmt.Errorf("line %d: the history is not valid UTF-8", lineOf(data, int64(off)))
	}
	h, err := decodeHistory(data)
	if err != nil {
		return err
	}
	problems := h.Check(rules.Check{Now: now, Programme: knownProgramme, Exercise: knownExercise})
	for _, p := range problems {
		if p.LeftOut {
			fmt.Fprintf(stderr, "stenose advise: warning: %v\n", p)
		} else {
			fmt.Fprintf(stderr, "stenose advise: %v\n", p)
		}
	}
	if refused := rules.Refused(problems); len(refused) > 0 {
		fmt.Fprintf(stderr, "stenose advise: %d problem(s) in the history; no advice given\n", len(refused))
		return exitError(1)
	}

	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		Advice []adviceOut `json:"advice"`
	}{adviceJSON(rules.Advise(h, now))}); err != nil {
		return err
	}
	_, err = stdout.Write(out.Bytes())
	return err
}

// adviceOut is one advice as `stenose advise` prints it (docs/rules.md):
// the rules' code, severity, source, items and data, and its words in
// Danish and English from the catalogue.
type adviceOut struct {
	Code     rules.Code         `json:"code"`
	Severity rules.Severity     `json:"severity"`
	Source   string             `json:"source"`
	TextDa   string             `json:"text_da"`
	TextEn   string             `json:"text_en"`
	Items    []string           `json:"items,omitempty"`
	Data     map[string]float64 `json:"data"`
}

func adviceJSON(as []rules.Advice) []adviceOut {
	out := make([]adviceOut, len(as))
	for i, a := range as {
		out[i] = adviceOut{Code: a.Code, Severity: a.Severity, Source: a.Source,
			TextDa: a.Text(i18n.Da), TextEn: a.Text(i18n.En), Items: a.Items, Data: a.Data}
	}
	return out
}

// decodeHistory reads exactly one JSON object with only known fields,
// naming the line of a syntax or type error.
func decodeHistory(data []byte) (rules.History, error) {
	var h rules.History
	if len(bytes.TrimSpace(data)) == 0 {
		return h, errors.New("no history on stdin (a JSON object; see docs/rules.md)")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return h, fmt.Errorf("line %d: invalid JSON: %v", lineOf(data, syn.Offset), syn)
		case errors.As(err, &typ):
			return h, fmt.Errorf("line %d: %s: a JSON %s cannot be %s", lineOf(data, typ.Offset), typ.Field, typ.Value, typeName(typ.Type.Kind().String()))
		case errors.Is(err, io.ErrUnexpectedEOF):
			return h, errors.New("the JSON ends too early")
		}
		return h, err
	}
	if dec.More() {
		return h, fmt.Errorf("line %d: more than one JSON value on stdin", lineOf(data, dec.InputOffset()))
	}
	return h, nil
}

func typeName(kind string) string {
	switch kind {
	case "int", "int64":
		return "a whole number"
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	case "slice":
		return "a list"
	case "map", "struct", "ptr":
		return "an object"
	}
	return kind
}

// lineOf is the 1-based line of byte offset off.
func lineOf(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// The names a history may use: the built-in content's programmes and
// exercises (the file names of programmes/ and exercises/).
var knownProgramme, knownExercise = contentNames("programmes"), contentNames("exercises")

func contentNames(dir string) func(string) bool {
	names, _ := fs.Glob(stenose.Content(), dir+"/*.md")
	set := map[string]bool{}
	for _, n := range names {
		set[strings.TrimSuffix(path.Base(n), ".md")] = true
	}
	return func(s string) bool { return set[s] }
}

// jsonPathAt is the field path (entries[9].note) of the JSON value that
// holds byte off of data, or "" when it cannot be told (off is in a field's
// name or outside every value, or data is not JSON).
func jsonPathAt(data []byte, off int) string {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.index)
			} else if f.key != "" {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			}
		}
		return b.String()
	}
	begin := func() { // a value starts in the innermost array or object
		if n := len(stack); n > 0 && stack[n-1].array {
			stack[n-1].index++
		}
	}
	end := func() {
		if n := len(stack); n > 0 && !stack[n-1].array {
			stack[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		past := int(dec.InputOffset()) > off
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				begin()
				if past {
					return path()
				}
				stack = append(stack, frame{array: t == '[', index: -1, wantKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				end()
			}
		default:
			if n := len(stack); n > 0 && stack[n-1].wantKey {
				stack[n-1].key, stack[n-1].wantKey = fmt.Sprint(t), false
				if past {
					return "" // in a field's name: the line says where
				}
				continue
			}
			begin()
			if past {
				return path()
			}
			end()
		}
	}
}
