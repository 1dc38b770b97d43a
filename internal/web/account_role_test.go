package web

import (
	"testing"

	"github.com/stenose/stenose/internal/store"
)

// TestAccountRoleForStaffOnly: "Min konto" does not tell a patient their
// role (they have only one); a clinician's and an administrator's account
// says which they are.
func TestAccountRoleForStaffOnly(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, nil)
	p := e.signUp("anna")
	r := p.get("/konto")
	want(t, "patient", r, 200, "")
	contains(t, "patient", r.body, "<dd>anna</dd>")
	lacks(t, "patient", r.body, "Rolle", "<dd>Patient</dd>")

	for _, tc := range []struct {
		login string
		role  store.Role
		name  string
	}{{"klinik", store.RoleClinician, "Behandler"}, {"chef", store.RoleAdmin, "Administrator"}} {
		c := e.signUp(tc.login)
		if err := st.SetRole(t.Context(), userID(t, st, tc.login), tc.role); err != nil {
			t.Fatal(err)
		}
		r := c.get("/konto")
		want(t, tc.login, r, 200, "")
		contains(t, tc.login, r.body, "<dt>Rolle</dt>\n<dd>"+tc.name+"</dd>")
	}
}
