package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/calendar"
	"github.com/stenose/stenose/internal/store"
)

const benchPath = "/blog/5-bedste-oevelser-til-spinalstenose"

// BenchmarkPublicPage serves an article through the application's handler;
// compare with BenchmarkPublicPageDirect (the site's handler alone) for the
// cost of the account routes in front of the public pages.
func BenchmarkPublicPage(b *testing.B) {
	a, err := newApp(Config{Site: loadSite(b), Store: openSQLite(b)}, nil)
	if err != nil {
		b.Fatal(err)
	}
	benchServe(b, a)
}

func BenchmarkPublicPageDirect(b *testing.B) {
	benchServe(b, loadSite(b).Handler())
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

func benchServe(b *testing.B, h http.Handler) {
	req := httptest.NewRequest("GET", benchPath, nil)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// BenchmarkCalendarFeed serves a patient's calendar feed through the
// application's handler on SQLite: the secret's hash looked up, the feed
// encoded (BenchmarkCalendarFeedMiss: a secret that is no link).
func BenchmarkCalendarFeed(b *testing.B) {
	a, secret := calendarBenchApp(b)
	benchServePath(b, a, feedPath+secret+".ics")
}

func BenchmarkCalendarFeedMiss(b *testing.B) {
	a, _ := calendarBenchApp(b)
	benchServePath(b, a, feedPath+strings.Repeat("A", calendar.SecretLen)+".ics")
}

func calendarBenchApp(b *testing.B) (*app, string) {
	st := openSQLite(b)
	a, err := newApp(Config{Site: loadSite(b), Store: st}, nil)
	if err != nil {
		b.Fatal(err)
	}
	u, err := st.CreateUser(b.Context(), store.User{Login: "anna", Role: store.RolePatient})
	if err != nil {
		b.Fatal(err)
	}
	secret, err := a.care.SaveCalendar(b.Context(), &u, calendar.DefaultSettings(3))
	if err != nil {
		b.Fatal(err)
	}
	return a, secret
}

func benchServePath(b *testing.B, h http.Handler, path string) {
	req := httptest.NewRequest("GET", path, nil)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}
