package site

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestGoBuildID: the note programSum reads holds the build ID the Go tool
// itself reports for the running test binary — the ID that changes with
// any byte of the program.
func TestGoBuildID(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	note, ok := goBuildID(exe)
	if !ok {
		t.Fatalf("no Go build ID note in %s", exe)
	}
	out, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Fatalf("go tool buildid: %v", err) // go runs this test, so it is there
	}
	id := strings.TrimSpace(string(out))
	if id == "" || !strings.Contains(string(note), id) {
		t.Errorf("the note %q does not hold the build ID %q", note, id)
	}
}
