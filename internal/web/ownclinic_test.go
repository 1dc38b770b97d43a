package web

import (
	"testing"

	"github.com/stenose/stenose/internal/store"
)

// TestOwnClinicDetails: a clinic's patients and clinicians see its own
// details — in the footer, with its phone to tap — in place of the content
// folder's; everyone else keeps the content's.
func TestOwnClinicDetails(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		ctx := t.Context()
		inClinic, alone := e.signUp("ida"), e.signUp("jens") // before the clinic: an open clinic takes a sign-up in
		c, err := st.CreateClinic(ctx, store.Clinic{Slug: "nord", Name: "Fysioterapi Nord", Address: "Havnegade 3\n9000 Aalborg",
			Phone: "98 12 34 56", Hours: "Man–fre 8–15", Region: "nordjylland", Signup: store.SignupOpen})
		if err != nil {
			t.Fatal(err)
		}
		content := e.app.site.ContentClinic()
		if content == nil {
			t.Fatal("the built-in content has no clinic.yaml: the test would prove nothing")
		}
		if err := st.SetUserClinic(ctx, userID(t, st, "ida"), c.ID); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/konto", "/i-dag", "/mine-data"} {
			r := inClinic.getFollowing(path)
			contains(t, "ida "+path, r.body, "Fysioterapi Nord", "Havnegade 3", `href="tel:&#43;4598123456"`, "Man–fre 8–15")
			lacks(t, "ida "+path, r.body, content.Phone.Text)
			r = alone.getFollowing(path)
			contains(t, "jens "+path, r.body, content.Name, content.Phone.Text)
			lacks(t, "jens "+path, r.body, "Fysioterapi Nord")
		}
	})
}
