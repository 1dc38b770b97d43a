package site

import (
	"errors"
	"strings"
	"testing"
)

// TestLinkImports: a script's import of another static script gets that
// file's fingerprinted address; an import of a file that is not there, or
// back to the one being loaded, is an error at start-up.
func TestLinkImports(t *testing.T) {
	load := func(p string) (string, error) {
		switch p {
		case "static/patient.js":
			return "/static/patient.0123456789.js", nil
		case "static/player.js":
			return "", nil // being loaded
		}
		return "", errors.New("no such file")
	}
	src := "\"use strict\";\nimport { a, b } from \"./patient.js\"; // shared\nconst s = 'import { x } from \"./nope.js\"';\n"
	got, err := linkImports("static/player.js", []byte(src), load)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(src, `"./patient.js"`, `"/static/patient.0123456789.js"`, 1); string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := linkImports("static/walk.js", []byte("import { a } from \"./nope.js\";\n"), load); err == nil || !strings.Contains(err.Error(), "nope.js") {
		t.Errorf("a missing import: %v", err)
	}
	if _, err := linkImports("static/patient.js", []byte("import { a } from \"./player.js\";\n"), load); err == nil || !strings.Contains(err.Error(), "imports it back") {
		t.Errorf("an import back: %v", err)
	}
}
