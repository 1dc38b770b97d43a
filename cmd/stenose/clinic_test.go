package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/store"
)

func TestClinicCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := runCmd(t, "clinic", "list", "--data", dir)
	if code != 0 || !strings.Contains(out, "no clinics yet") {
		t.Fatalf("clinic list (empty): %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCmd(t, "clinic", "add", "nord", "--data", dir, "--name", "Klinik Nord", "--phone", "+45 86123456",
		"--address", "Nørregade 1|8000 Aarhus C", "--region", "midtjylland", "--signup", "invite")
	if code != 0 || !strings.Contains(out, `added clinic "nord" (Klinik Nord, id 1, sign-up invite)`) {
		t.Fatalf("clinic add: %d\n%s%s", code, out, errs)
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"clinic", "add", "nord", "--name", "Igen"}, `a clinic "nord" exists already`},
		{[]string{"clinic", "add", "Syd", "--name", "Syd"}, "--slug: "},
		{[]string{"clinic", "add", "syd"}, "--name: a clinic needs a name"},
		{[]string{"clinic", "add", "syd", "--name", "Syd", "--phone", "12"}, "--phone: "},
		{[]string{"clinic", "add", "syd", "--name", "Syd", "--region", "fyn"}, `--region: "fyn" is no Danish region`},
		{[]string{"clinic", "add", "syd", "--name", "Syd", "--signup", "closed"}, "--signup: "},
		{[]string{"clinic", "add", "syd", "--name", "Syd", "--inactive-days", "0"}, "--inactive-days: "},
		{[]string{"clinic", "invite", "vest"}, `no clinic "vest"`},
		{[]string{"clinic", "invite", "nord", "--days", "91"}, "--days: an invitation is valid for 1 to 90 days"},
		{[]string{"user", "add", "--login", "Dorte", "--role", "clinician"}, "a clinician belongs to a clinic: add --clinic nord"},
		{[]string{"user", "add", "--login", "Dorte", "--role", "clinician", "--clinic", "vest"}, `no clinic "vest"`},
	} {
		var code int
		var errs string
		withStdin(t, "en lang sætning her\n", func() {
			code, _, errs = runCmd(t, append(bad.args, "--data", dir)...)
		})
		if code == 0 || !strings.Contains(errs, bad.want) {
			t.Errorf("%v: exit %d, stderr %q; want it to say %q", bad.args, code, errs, bad.want)
		}
	}
	code, out, errs = runCmd(t, "clinic", "list", "--data", dir)
	if code != 0 || out != "nord\tKlinik Nord\tsign-up invite\tphone 86 12 34 56\n" {
		t.Errorf("clinic list: %d %q %s", code, out, errs)
	}

	withStdin(t, "en lang sætning her\n", func() {
		code, out, errs = runCmd(t, "user", "add", "--data", dir, "--login", "Dorte", "--role", "clinician", "--clinic", "nord")
	})
	if code != 0 || !strings.Contains(out, `added "Dorte" (clinician, id 1) to clinic "nord"`) {
		t.Fatalf("user add --clinic: %d\n%s%s", code, out, errs)
	}

	// An invitation's code signs a patient up into the clinic, once.
	code, out, errs = runCmd(t, "clinic", "invite", "nord", "--data", dir, "--name", "Bent Ø", "--days", "7")
	m := regexp.MustCompile(`invitation to Klinik Nord, valid until \d{4}-\d\d-\d\d \d\d:\d\d \(shown only now\): ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\n`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("clinic invite: %d\n%s%s", code, out, errs)
	}
	st := openData(t, dir)
	acc, err := account.New(st, account.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, hash, err := clinic.ParseCode(strings.ToLower(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u, inv, err := acc.SignUpInvited(ctx, "Bent Ø", "Bent Ø", "en lang sætning her", hash, "127.0.0.1:1")
	if err != nil || u.ClinicID != 1 || inv.Name != "Bent Ø" {
		t.Errorf("sign-up with the printed code: %+v %+v %v", u, inv, err)
	}
	if d, _ := st.UserByLogin(ctx, "dorte"); d.ClinicID != 1 || d.Role != store.RoleClinician {
		t.Errorf("the clinician: %+v", d)
	}
}
