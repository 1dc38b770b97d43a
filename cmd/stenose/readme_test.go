package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// readmeProgram is the command list at the top of the README's "The
// program": the fenced block after that heading.
func readmeProgram(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n## The program\n")
	if !ok {
		t.Fatal(`README.md has no "## The program"`)
	}
	_, rest, ok = strings.Cut(rest, "```\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal(`no command list under "## The program"`)
	}
	return strings.Split(strings.TrimSpace(block), "\n")
}

var flagRE = regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`)

// flagsOf are the flags a command's -h lists.
func flagsOf(t *testing.T, args ...string) []string {
	t.Helper()
	code, out, errs := runCmd(t, append(args, "-h")...)
	if code != 0 {
		t.Fatalf("%v -h: exit %d", args, code)
	}
	var flags []string
	for _, m := range flagRE.FindAllStringSubmatch(out+errs, -1) {
		flags = append(flags, m[1])
	}
	return flags
}

// TestReadmeCommands: every command and user subcommand of the program,
// and `help`, has a line in the README's command list, and that line names
// every flag the command's -h lists.
func TestReadmeCommands(t *testing.T) {
	lines := readmeProgram(t)
	line := func(name string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, "stenose "+name+" ") || l == "stenose "+name {
				return l
			}
		}
		return ""
	}
	var cmds [][]string
	for _, c := range commands() {
		subs := map[string][]string{"user": {"add", "reset-password", "set-role"}, "clinic": {"add", "list", "invite"}}
		if ss, ok := subs[c.name]; ok {
			for _, sub := range ss {
				cmds = append(cmds, []string{c.name, sub})
			}
			continue
		}
		cmds = append(cmds, []string{c.name})
	}
	for _, c := range cmds {
		name := strings.Join(c, " ")
		l := line(name)
		if l == "" {
			t.Errorf("README's command list has no line for stenose %s:\n%s", name, strings.Join(lines, "\n"))
			continue
		}
		for _, f := range flagsOf(t, c...) {
			if !regexp.MustCompile(`(^|[\s\[])--?` + regexp.QuoteMeta(f) + `\b`).MatchString(l) {
				t.Errorf("README: stenose %s lacks its flag -%s: %q", name, f, l)
			}
		}
	}
	if line("help") == "" {
		t.Error("README's command list has no line for stenose help")
	}
}
