package site_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	stenose "github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/site"
)

// TestClinicOnEveryPage: the built-in content's clinic (content/clinic.yaml)
// stands in the footer of every page, its phone a tap-to-call link, and
// names every page's title; English pages give the English hours.
func TestClinicOnEveryPage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := site.Build(stenose.Content(), testOptions(), dir); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		n++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		page, rel := string(b), strings.TrimPrefix(p, dir)
		_, footer, _ := strings.Cut(page, `<footer class="site-footer">`)
		for _, want := range []string{
			`<address class="clinic">`, "<strong>Klinik for Ryg og Bevægelse</strong>", "Fiolstræde 44, 2. sal", "1171 København K",
			`<a class="tel" href="tel:&#43;4533123456">33 12 34 56</a>`,
		} {
			if !strings.Contains(footer, want) {
				t.Errorf("%s: the footer lacks %s", rel, want)
			}
		}
		hours, other := "Mandag–torsdag kl. 8–16", "Monday–Thursday 8 am – 4 pm"
		if strings.HasPrefix(rel, "/en/") {
			hours, other = other, hours
		}
		if !strings.Contains(footer, hours) || strings.Contains(footer, other) {
			t.Errorf("%s: the footer's hours are not %q", rel, hours)
		}
		_, title, _ := strings.Cut(page, "<title>")
		title, _, _ = strings.Cut(title, "</title>")
		if !strings.Contains(title, "Klinik for Ryg og Bevægelse") && !strings.Contains(rel, "/blog/") {
			t.Errorf("%s: title %q does not name the clinic", rel, title)
		}
		return nil
	})
	if err != nil || n < 20 {
		t.Fatalf("walked %d pages: %v", n, err)
	}
}

// TestClinicOnHandout: the printed handout carries the clinic's details
// (the footer is not printed) and, after the safety rules, the numbers of
// the urgent route for the clinic's region.
func TestClinicOnHandout(t *testing.T) {
	t.Parallel()
	h := builtinHandler(t)
	for _, tt := range []struct{ path, questions, outOfHours, life string }{
		{"/program/5-bedste-oevelser/udskrift", "Spørgsmål til programmet? Ring til klinikken.",
			`Uden for lægens åbningstid: ring til Akuttelefonen på <span class="nowrap"><a class="tel" href="tel:1813">1813</a>.</span>`,
			`Ved livsfare: ring <span class="nowrap"><a class="tel" href="tel:112">112</a>.</span>`},
		{"/en/program/5-bedste-oevelser/udskrift", "Questions about the programme? Call the clinic.",
			`When your GP is closed: call the medical helpline on <span class="nowrap"><a class="tel" href="tel:1813">1813</a>.</span>`,
			`If life is in danger: call <span class="nowrap"><a class="tel" href="tel:112">112</a>.</span>`},
	} {
		body := mustGet(t, h, tt.path, 200).Body.String()
		main, _, _ := strings.Cut(body, `<footer class="site-footer">`)
		for _, want := range []string{`<div class="handout-clinic print-only">`, tt.questions,
			`<a class="tel" href="tel:&#43;4533123456">33 12 34 56</a>`, tt.outOfHours, tt.life} {
			if !strings.Contains(main, want) {
				t.Errorf("%s: the handout lacks %s", tt.path, want)
			}
		}
		if strings.Contains(main, "så ring 112") || strings.Contains(main, "legs, call 112") {
			t.Errorf("%s: a safety rule still sends straight to 112", tt.path)
		}
	}
}

// TestNoClinic: a content folder without clinic.yaml has no clinic block
// and keeps its own name.
func TestNoClinic(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"site.yaml": {Data: []byte("name: Rygskolen\n")}}
	s := load(t, fsys)
	body := mustGet(t, s.Handler(), "/", 200).Body.String()
	if strings.Contains(body, `class="clinic"`) || strings.Contains(body, "tel:") || !strings.Contains(body, "<title>Rygskolen") {
		t.Errorf("home without a clinic:\n%.2000s", body)
	}
	if s.Clinic("da") != nil {
		t.Error("Clinic() is not nil")
	}
}

// TestAuthorTitleAndBio: the author page shows the author's title and bio
// when given, and no empty paragraphs when not.
func TestAuthorTitleAndBio(t *testing.T) {
	t.Parallel()
	with := fstest.MapFS{"authors/mette-lund.md": {Data: []byte("---\nname: Mette Lund\ntitle: Fysioterapeut\nbio: Mette har arbejdet med rygpatienter i 20 år.\n---\n")}}
	body := mustGet(t, load(t, with).Handler(), "/forfatter/mette-lund", 200).Body.String()
	for _, want := range []string{"<h1>Mette Lund</h1>", `<p class="lead">Fysioterapeut</p>`, "<p>Mette har arbejdet med rygpatienter i 20 år.</p>"} {
		if !strings.Contains(body, want) {
			t.Errorf("author page lacks %s", want)
		}
	}
	without := fstest.MapFS{"authors/mette-lund.md": {Data: []byte("---\nname: Mette Lund\n---\n")}}
	body = mustGet(t, load(t, without).Handler(), "/forfatter/mette-lund", 200).Body.String()
	if strings.Contains(body, `<p class="lead"></p>`) || strings.Contains(body, "<p></p>") {
		t.Error("author page without title or bio has empty paragraphs")
	}
}
