package web

import (
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/store"
)

// TestLoginsPeopleType: a login is what a person types — a name with
// spaces and æøå, an e-mail address — signed in by however it is spelt,
// shown as it was typed; what cannot be a login is refused in both
// languages; an unknown or unusable login gets the wrong-password answer;
// the sign-in limit counts every spelling of one login together.
func TestLoginsPeopleType(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		ctx := t.Context()
		signUp := func(c *client, login string) resp {
			return c.post("/konto/opret", "login", login, "password", goodPW, "password2", goodPW)
		}

		// Signed up as typed: the spaces collapse, the letters stay.
		soren := e.client()
		want(t, "sign up Søren Hansen", signUp(soren, "  Søren   Hansen "), 303, "/start")
		u, err := e.st.UserByLogin(ctx, "søren hansen")
		if err != nil || u.ShownLogin() != "Søren Hansen" {
			t.Fatalf("stored: %+v, %v", u, err)
		}
		contains(t, "/konto", soren.get("/konto").body, "<dd>Søren Hansen</dd>")
		contains(t, "password page", soren.get("/konto/adgangskode").body, `autocomplete="username" value="Søren Hansen"`)
		contains(t, "my data", soren.get("/mine-data").body, "Skriv dit brugernavn, Søren Hansen, for at bekræfte")

		// An e-mail address; a letter typed as two characters (NFD).
		want(t, "sign up an e-mail address", signUp(e.client(), "Anna.Hansen@Example.DK"), 303, "/start")
		want(t, "sign up Åse, decomposed", signUp(e.client(), "A\u030ase Bø"), 303, "/start")

		for _, tc := range []struct{ name, login, shown string }{
			{"as typed", "Søren Hansen", "Søren Hansen"},
			{"small letters", "søren hansen", "Søren Hansen"},
			{"capitals and spaces", " SØREN  HANSEN ", "Søren Hansen"},
			{"no-break space", "Søren\u00a0Hansen", "Søren Hansen"},
			{"full-width letters", "Ｓøren Ｈansen", "Søren Hansen"},
			{"e-mail in small letters", "anna.hansen@example.dk", "Anna.Hansen@Example.DK"},
			{"Åse composed", "\u00c5se bø", "\u00c5se Bø"},
		} {
			t.Run("sign in "+tc.name, func(t *testing.T) {
				c := e.client()
				want(t, "sign in", c.post("/konto/log-ind", "login", tc.login, "password", goodPW), 303, "/i-dag")
				contains(t, "/konto", c.get("/konto").body, "<dd>"+tc.shown+"</dd>")
			})
		}
		for _, login := range []string{"søren hansen", "SØREN HANSEN", "Ｓøren Ｈansen", "ANNA.HANSEN@example.dk"} {
			r := signUp(e.client(), login)
			want(t, "taken: "+login, r, 422, "")
			contains(t, "taken: "+login, r.body, "Det brugernavn er allerede i brug")
		}

		// Refused, beside the field, in Danish and in English.
		en := e.client()
		en.get("/konto/opret?lang=en")
		for _, tc := range []struct{ name, login, echo, da, en string }{
			{"control character", "Bent\x1b Hansen", `value="Bent Hansen"`, "et usynligt tegn eller et styretegn", "an invisible character or a control character"},
			{"right-to-left override", "\u202eBent", `value="Bent"`, "et usynligt tegn eller et styretegn", "an invisible character or a control character"},
			{"too long", strings.Repeat("ø", account.MaxLogin+1), `value="` + strings.Repeat("ø", account.MaxLogin+1) + `"`, "må højst være 100 tegn", "may be at most 100 characters"},
			{"only spaces", " \u00a0 ", `value=""`, "Skriv et brugernavn.", "Type a username."},
		} {
			t.Run("refused "+tc.name, func(t *testing.T) {
				r := signUp(e.client(), tc.login)
				want(t, "Danish", r, 422, "")
				contains(t, "Danish", r.body, `id="login-error"`, tc.da, tc.echo)
				r = signUp(en, tc.login)
				want(t, "English", r, 422, "")
				contains(t, "English", r.body, `id="login-error"`, tc.en)
			})
		}

		// Unknown or unusable: the answer a wrong password gets.
		for _, login := range []string{"Bent Hansen", "søren\x00hansen", "\u202esøren hansen", strings.Repeat("Ø", 5000)} {
			r := e.client().post("/konto/log-ind", "login", login, "password", goodPW)
			want(t, "sign in as "+login[:min(len(login), 12)], r, 401, "")
			contains(t, "unknown login", r.body, "Brugernavnet eller adgangskoden er forkert")
		}

		// Deleting the account: the login typed in another spelling is it.
		r := soren.post("/mine-data/slet", "confirm", "søren hansen X")
		want(t, "another login", r, 422, "")
		contains(t, "another login", r.body, "Skriv Søren Hansen for at slette din konto.")
		want(t, "delete", soren.post("/mine-data/slet", "confirm", "SØREN  HANSEN"), 200, "")
		if _, err := e.st.UserByLogin(ctx, "søren hansen"); err == nil {
			t.Error("the account is still there")
		}
	})
}

// TestRateLimitBySpelling: the per-login sign-in limit counts failures
// under every spelling of one login together.
func TestRateLimitBySpelling(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		e := newEnv(t, open(t), nil)
		e.signUp("Søren Hansen")
		spellings := []string{"Søren Hansen", "søren hansen", "SØREN HANSEN", "Ｓøren Ｈansen", "søren  hansen "}
		for i := range account.DefaultLimits.PairBurst {
			c := e.client()
			want(t, "wrong password as "+spellings[i%len(spellings)], c.post("/konto/log-ind", "login", spellings[i%len(spellings)], "password", "forkert kode"), 401, "")
		}
		r := e.client().post("/konto/log-ind", "login", "SøREN hansen", "password", goodPW)
		want(t, "the right password, another spelling", r, 429, "")
		contains(t, "limited", r.body, "for mange forkerte forsøg")
		e.clock.add(time.Minute)
		want(t, "after a minute", e.client().post("/konto/log-ind", "login", "Søren Hansen", "password", goodPW), 303, "/i-dag")
	})
}
