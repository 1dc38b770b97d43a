package web

import (
	"strings"
	"testing"
)

const clinicTel = `<a class="tel" href="tel:&#43;4533123456">33 12 34 56</a>`

// TestClinicInApp: the clinic's details stand in the footer of every app
// page and name its title; the sign-in page says to call the clinic for a
// forgotten password, with its number as a link; every advice on today's
// page that says to contact the clinic has the clinic's phone beside it.
func TestClinicInApp(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, nil)
	anon := e.client()
	r := anon.get("/konto/log-ind")
	contains(t, "sign-in", r.body, "Har du glemt din adgangskode? Ring til klinikken, så får du en ny: "+clinicTel,
		"<title>Log ind – Klinik for Ryg og Bevægelse</title>")
	r = anon.get("/konto/log-ind?lang=en")
	contains(t, "sign-in in English", r.body, "Forgotten your password? Call the clinic and they will give you a new one: "+clinicTel)

	c := e.signUp("maren")
	seedPatient(t, st, userID(t, st, "maren"), e.clock.now(), 42, true)
	pages := map[string]string{}
	for _, p := range []string{"/konto", "/i-dag", "/dagbog", "/fremskridt", "/konto/adgangskode"} {
		r := c.get(p)
		want(t, p, r, 200, "")
		_, footer, _ := strings.Cut(r.body, `<footer class="site-footer">`)
		contains(t, p+" footer", footer, `<address class="clinic">`, "<strong>Klinik for Ryg og Bevægelse</strong>", clinicTel, "Åbningstider")
		contains(t, p, r.body, " – Klinik for Ryg og Bevægelse</title>")
		pages[p] = r.body
	}
	for _, p := range []string{"/konto/opret", "/konto/log-ind"} {
		_, footer, _ := strings.Cut(anon.get(p).body, `<footer class="site-footer">`)
		contains(t, p+" footer", footer, clinicTel)
	}

	// Today: the seeded tingling gives "Kontakt din behandler, …".
	sections := strings.Split(pages["/i-dag"], `<section class="advice `)[1:]
	called := 0
	for _, sec := range sections {
		sec, _, _ = strings.Cut(sec, "</section>")
		text, _, _ := strings.Cut(sec, `<details class="source">`)
		has := strings.Contains(sec, `<p class="call">Ring til klinikken: `+clinicTel+`</p>`)
		if mentionsClinic(text) != has {
			t.Errorf("an advice that mentions the clinic: %v, the clinic's phone beside it: %v\n%s", mentionsClinic(text), has, sec)
		}
		if has {
			called++
		}
	}
	if called == 0 {
		t.Errorf("no advice with the clinic's phone on today's page:\n%s", pages["/i-dag"])
	}
}

func TestMentionsClinic(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"Kontakt din behandler, hvis symptomerne ikke aftager.", true},
		{"Tal med din Behandler om andre muligheder.", true},
		{"Ring til klinikken.", true},
		{"Talk to your clinician about the next step.", true},
		{"Ingen særlige råd i dag.", false},
		{"Fortsæt med dine nuværende mål.", false},
	} {
		if got := mentionsClinic(tt.text); got != tt.want {
			t.Errorf("mentionsClinic(%q) = %v", tt.text, got)
		}
	}
}
