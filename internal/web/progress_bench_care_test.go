package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/account"
)

// BenchmarkProgressPage5Years times GET /fremskridt server-side (the whole
// handler: session, user, store reads, the progress computation,
// SVG and template) for a patient with 5 years of daily diary entries,
// walks and a session every other day, on SQLite. Goal: ≤ 20 ms.
func BenchmarkProgressPage5Years(b *testing.B) {
	st := openSQLite(b)
	acc, err := account.New(st, account.Options{Params: cheap})
	if err != nil {
		b.Fatal(err)
	}
	a, err := newApp(Config{Site: loadSite(b), Store: st, Accounts: acc}, nil)
	if err != nil {
		b.Fatal(err)
	}
	u, err := acc.SignUp(b.Context(), "fem-aar", "", goodPW)
	if err != nil {
		b.Fatal(err)
	}
	seedPatient(b, st, u.ID, time.Now(), 5*365, false)

	form := url.Values{"login": {"fem-aar"}, "password": {goodPW}}
	req := httptest.NewRequest("POST", "/konto/log-ind", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		b.Fatalf("sign-in: %d", rec.Code)
	}
	cookies := rec.Result().Cookies()

	get := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/fremskridt", nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		return rec
	}
	if r := get(); r.Code != 200 || strings.Count(r.Body.String(), `<figure class="chart">`) != 6 || strings.Contains(r.Body.String(), "for få målinger") {
		b.Fatalf("GET /fremskridt: %d\n%.300s", r.Code, r.Body.String())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := get(); r.Code != 200 {
			b.Fatal(r.Code)
		}
	}
}
