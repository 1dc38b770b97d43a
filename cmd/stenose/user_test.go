package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/store"
)

// testDataDir is the default data folder of this test binary; TestMain
// removes it at the end.
var testDataDir string

// The serve tests in main_test.go run with no --data: point the default
// data folder at a temporary one, so no test writes to the developer's
// home, and ignore a developer's STENOSE_DB.
func init() {
	os.Unsetenv("STENOSE_DB")
	if os.Getenv("STENOSE_DATA") == "" {
		dir, err := os.MkdirTemp("", "stenose-cmd-test-")
		if err == nil {
			testDataDir = dir
			os.Setenv("STENOSE_DATA", dir)
		}
	}
}

// withStdin runs fn with s as the commands' stdin.
func withStdin(t *testing.T, s string, fn func()) {
	t.Helper()
	old := stdin
	stdin = strings.NewReader(s)
	defer func() { stdin = old }()
	fn()
}

func openData(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestUserCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var code int
	var out, errs string

	// Piped password.
	withStdin(t, "gå en tur hver dag\n", func() {
		code, out, errs = runCmd(t, "user", "add", "--data", dir, "--login", "Anna", "--name", "Anna Hansen")
	})
	if code != 0 || !strings.Contains(out, `added "Anna" (patient, id 1)`) || strings.Contains(out, "password for") {
		t.Fatalf("user add: %d\n%s%s", code, out, errs)
	}
	// Nothing piped: a password is made up and printed once.
	withStdin(t, "", func() {
		code, out, errs = runCmd(t, "user", "add", "--data", dir, "--login", "klinik", "--role", "clinician")
	})
	m := regexp.MustCompile(`password for "klinik" \(shown only now\): (\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil || !strings.Contains(out, "(clinician,") {
		t.Fatalf("user add (generated): %d\n%s%s", code, out, errs)
	}
	generated := m[1]
	if len(generated) < account.MinPassword {
		t.Errorf("generated password %q too short", generated)
	}

	st := openData(t, dir)
	acc, err := account.New(st, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := acc.SignIn(ctx, "anna", "gå en tur hver dag", "127.0.0.1:1"); err != nil {
		t.Errorf("sign in with the piped password: %v", err)
	}
	if u, err := acc.SignIn(ctx, "klinik", generated, "127.0.0.1:1"); err != nil || u.Role != store.RoleClinician {
		t.Errorf("sign in with the generated password: %+v %v", u, err)
	}

	// reset-password signs the user out everywhere.
	u, _ := st.UserByLogin(ctx, "anna")
	if err := st.Sessions().CommitUser(ctx, "tok", u.ID, nil, u.CreatedAt.AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	withStdin(t, "en helt ny kode\n", func() {
		code, out, errs = runCmd(t, "user", "reset-password", "--data", dir, "--login", "ANNA")
	})
	if code != 0 || !strings.Contains(out, `new password set for "Anna"; 1 session(s) signed out`) {
		t.Fatalf("reset-password: %d\n%s%s", code, out, errs)
	}
	if _, err := acc.SignIn(ctx, "anna", "en helt ny kode", "127.0.0.1:1"); err != nil {
		t.Errorf("sign in after reset: %v", err)
	}
	withStdin(t, "", func() {
		code, out, errs = runCmd(t, "user", "reset-password", "--data", dir, "--login", "anna")
	})
	if code != 0 || !strings.Contains(out, `password for "Anna" (shown only now): `) {
		t.Errorf("reset-password (generated): %d\n%s%s", code, out, errs)
	}

	// set-role signs the user out everywhere: a patient's sign-in (kept
	// past the idle timeout, without a second step) is no admin's.
	if err := st.Sessions().CommitUser(ctx, "tok2", u.ID, nil, u.CreatedAt.AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCmd(t, "user", "set-role", "--data", dir, "--login", "anna", "--role", "admin")
	if code != 0 || !strings.Contains(out, `"Anna" is now admin (was patient); 1 session(s) signed out`) {
		t.Fatalf("set-role: %d\n%s%s", code, out, errs)
	}
	if u, _ := st.UserByLogin(ctx, "anna"); u.Role != store.RoleAdmin {
		t.Errorf("role %s", u.Role)
	}
	if _, found, err := st.Sessions().Find(ctx, "tok2", u.CreatedAt); found || err != nil {
		t.Errorf("anna's session outlived the change of role (%v)", err)
	}

	// Errors: exit 1 with a clear message; usage errors exit 2.
	for _, tc := range []struct {
		args  []string
		stdin string
		code  int
		msg   string
	}{
		{[]string{"user", "set-role", "--login", "x", "--role", "admin"}, "", 1, `stenose user: no such login "x"`},
		{[]string{"user", "reset-password", "--login", "nobody"}, "", 1, `stenose user: no such login "nobody"`},
		{[]string{"user", "set-role", "--login", "anna", "--role", "boss"}, "", 1, `unknown role "boss"`},
		{[]string{"user", "add", "--login", "anna"}, "", 1, `login "anna": Det brugernavn er allerede i brug`},
		{[]string{"user", "add", "--login", "søren\x1bhansen"}, "", 1, `login "søren\x1bhansen": Brugernavnet indeholder et tegn, der ikke kan bruges`},
		{[]string{"user", "add", "--login", strings.Repeat("ø", 101)}, "", 1, "Brugernavnet må højst være 100 tegn."},
		{[]string{"user", "add", "--login", "  "}, "", 1, "Skriv et brugernavn."},
		{[]string{"user", "add", "--login", "bent"}, "kort\n", 1, "password from stdin: Adgangskoden skal være mindst 10 tegn."},
		{[]string{"user", "add", "--login", "bent", "--role", "boss"}, "", 1, `unknown role "boss"`},
		{[]string{"user", "add"}, "", 2, "--login is required"},
		{[]string{"user", "add", "--nope"}, "", 2, "flag provided but not defined"},
		{[]string{"user", "frobnicate"}, "", 2, `unknown subcommand "frobnicate"`},
		{[]string{"user"}, "", 2, "Usage: stenose user"},
	} {
		args := tc.args
		if len(args) > 2 {
			args = append(append([]string{}, args[:2]...), append([]string{"--data", dir}, args[2:]...)...)
		}
		withStdin(t, tc.stdin, func() { code, out, errs = runCmd(t, args...) })
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
	code, out, _ = runCmd(t, "user", "-h")
	if code != 0 || !strings.Contains(out, "reset-password") {
		t.Errorf("user -h: %d %s", code, out)
	}
	code, _, errs = runCmd(t, "user", "add", "-h")
	if code != 0 || !strings.Contains(errs, "-login") || !strings.Contains(errs, "STENOSE_DB") {
		t.Errorf("user add -h: %d %s", code, errs)
	}
}

// TestUserLoginsPeopleType: `stenose user` takes a login as a person
// types it — a name with a space and æøå, an e-mail address — prints it as
// typed, and finds the account again by any spelling of it.
func TestUserLoginsPeopleType(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var code int
	var out, errs string
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		out   string
	}{
		{"add a name", []string{"add", "--login", "Søren Hansen"}, "gå en tur hver dag\n", `added "Søren Hansen" (patient, id 1)`},
		{"add an e-mail address", []string{"add", "--login", "Anna.Hansen@Example.DK", "--role", "clinician"}, "gå en tur hver dag\n", `added "Anna.Hansen@Example.DK" (clinician, id 2)`},
		{"reset, another spelling", []string{"reset-password", "--login", " SØREN  HANSEN "}, "en helt ny kode\n", `new password set for "Søren Hansen"; 0 session(s) signed out`},
		{"set a role, full-width", []string{"set-role", "--login", "Ｓøren Ｈansen", "--role", "admin"}, "", `"Søren Hansen" is now admin (was patient)`},
		{"e-mail in small letters", []string{"set-role", "--login", "anna.hansen@example.dk", "--role", "admin"}, "", `"Anna.Hansen@Example.DK" is now admin (was clinician)`},
	} {
		args := append([]string{"user", tc.args[0], "--data", dir}, tc.args[1:]...)
		withStdin(t, tc.stdin, func() { code, out, errs = runCmd(t, args...) })
		if code != 0 || !strings.Contains(out, tc.out) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %q", tc.name, code, out, errs, tc.out)
		}
	}
	withStdin(t, "gå en tur hver dag\n", func() { code, out, errs = runCmd(t, "user", "add", "--data", dir, "--login", "søren hansen") })
	if code != 1 || !strings.Contains(errs, `login "søren hansen": Det brugernavn er allerede i brug`) {
		t.Errorf("add another spelling: exit %d, stderr %q", code, errs)
	}

	st := openData(t, dir)
	u, err := st.UserByLogin(context.Background(), "søren hansen")
	if err != nil || u.ShownLogin() != "Søren Hansen" || u.Role != store.RoleAdmin {
		t.Fatalf("stored: %+v, %v", u, err)
	}
	acc, err := account.New(st, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.SignIn(context.Background(), "søren hansen", "en helt ny kode", "127.0.0.1:1"); err != nil {
		t.Errorf("sign in with the reset password: %v", err)
	}
}

func TestMigrate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	code, out, errs := runCmd(t, "migrate", "--data", dir)
	if code != 0 || !regexp.MustCompile(`^schema version [1-9]\d* \(sqlite, .*stenose\.db\)\n$`).MatchString(out) {
		t.Fatalf("migrate: %d %q %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, store.DefaultFile)); err != nil {
		t.Errorf("no database file: %v", err)
	}
	// Again: nothing to do, the same version.
	code2, out2, _ := runCmd(t, "migrate", "--data", dir)
	if code2 != 0 || out2 != out {
		t.Errorf("second migrate: %d %q, want %q", code2, out2, out)
	}
	// STENOSE_DB from the environment, an unknown kind of database.
	t.Setenv("STENOSE_DB", "mysql://x")
	code, _, errs = runCmd(t, "migrate", "--data", dir)
	if code != 1 || !strings.Contains(errs, `unknown database "mysql:"`) {
		t.Errorf("bad STENOSE_DB: %d %s", code, errs)
	}
	code, _, _ = runCmd(t, "migrate", "extra")
	if code != 2 {
		t.Errorf("migrate with an argument: exit %d, want 2", code)
	}
}

func TestDefaultDataDir(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/srv/xdg")
	if got := defaultDataDir(); got != "/srv/xdg/stenose" {
		t.Errorf("with XDG_DATA_HOME: %s", got)
	}
	t.Setenv("XDG_DATA_HOME", "relative") // not absolute: ignored, as the spec says
	t.Setenv("HOME", "/home/anna")
	if got := defaultDataDir(); got != "/home/anna/.local/share/stenose" {
		t.Errorf("with HOME: %s", got)
	}
	t.Setenv("HOME", "")
	if got := defaultDataDir(); got != "stenose-data" {
		t.Errorf("with nothing: %s", got)
	}
}

// TestServeAccounts: serve opens the database in --data and serves the
// account pages; a user added on the command line can sign in; with an
// https --base-url the session cookie is Secure.
func TestServeAccounts(t *testing.T) {
	for _, tc := range []struct {
		base   string
		cookie string
	}{
		{"", "stenose_session="},
		{"https://klinik.example", "__Host-stenose_session="},
	} {
		t.Run("base="+tc.base, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			withStdin(t, "gå en tur hver dag\n", func() {
				if code, out, errs := runCmd(t, "user", "add", "--data", dir, "--login", "anna"); code != 0 {
					t.Fatalf("user add: %d %s %s", code, out, errs)
				}
			})
			args := []string{"--addr", "127.0.0.1:0", "--data", dir}
			if tc.base != "" {
				args = append(args, "--base-url", tc.base)
			}
			url, log, stop := startServe(t, args...)
			if code, _ := httpGet(t, url+"/konto"); code != 303 {
				t.Errorf("/konto = %d, want 303", code)
			}
			if code, body := httpGet(t, url+"/konto/log-ind"); code != 200 || !strings.Contains(body, `action="/konto/log-ind"`) {
				t.Errorf("/konto/log-ind = %d", code)
			}
			c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := c.PostForm(url+"/konto/log-ind", map[string][]string{"login": {"anna"}, "password": {"gå en tur hver dag"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			// The session cookie, among the others sign-in sets (the
			// patient hint for the public pages' menus).
			var sc string
			for _, c := range resp.Header.Values("Set-Cookie") {
				if strings.HasPrefix(c, tc.cookie) {
					sc = c
				}
			}
			if resp.StatusCode != 303 || sc == "" || strings.Contains(sc, "Secure") != (tc.base != "") {
				t.Errorf("sign-in: %d, Set-Cookie %q", resp.StatusCode, resp.Header.Values("Set-Cookie"))
			}
			if code := stop(); code != 0 {
				t.Errorf("serve exit %d\n%s", code, log.String())
			}
			if !strings.Contains(log.String(), `"db":"sqlite"`) {
				t.Errorf("no db in the serving line:\n%s", log.String())
			}
		})
	}
}
