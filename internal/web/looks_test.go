package web

import (
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/store"
)

// TestLooks: a patient sees every look at their own data, newest first, in
// their words; never another patient's; with none, it says so.
func TestLooks(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		st := open(t)
		e := newEnv(t, st, nil)
		a, b := e.signUp("anna"), e.signUp("bent")
		ctx := t.Context()
		r := a.get("/mine-data/opslag")
		want(t, "no looks yet", r, 200, "")
		contains(t, "no looks yet", r.body, "Ingen fra klinikken har set dine data endnu.", "<h1>Hvem har set mine data</h1>")
		at := time.Date(2026, 3, 4, 9, 15, 0, 0, time.UTC)
		for i, l := range []struct{ actor, action, what string }{
			{"Dorte Behandler", store.AccessView, "progress"},
			{"Dorte Behandler", store.AccessChange, "programme"},
		} {
			if err := st.LogAccess(ctx, store.Access{At: at.Add(time.Duration(i) * time.Hour), ActorID: 9, Actor: l.actor, ActorRole: store.RoleClinician,
				PatientID: userID(t, st, "anna"), Action: l.action, What: l.what}); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.LogAccess(ctx, store.Access{At: at, ActorID: 9, Actor: "Dorte Behandler", ActorRole: store.RoleClinician,
			PatientID: userID(t, st, "bent"), Action: store.AccessView, What: "diary"}); err != nil {
			t.Fatal(err)
		}
		r = a.get("/mine-data/opslag")
		want(t, "anna's looks", r, 200, "")
		contains(t, "anna's looks", r.body, "4. marts 2026 kl. 11.15", "Dorte Behandler (behandler)", "ændrede dit program", "så dine fremskridt")
		if i, j := strings.Index(r.body, "ændrede dit program"), strings.Index(r.body, "så dine fremskridt"); i < 0 || j < i {
			t.Errorf("not newest first")
		}
		lacks(t, "anna's looks", r.body, "din dagbog")
		r = b.get("/mine-data/opslag")
		contains(t, "bent's looks", r.body, "så din dagbog")
		lacks(t, "bent's looks", r.body, "dit program", "dine fremskridt")
	})
}
