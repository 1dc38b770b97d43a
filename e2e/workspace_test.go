package e2e

// The clinician's workspace in the browser (issue 13): the patient list,
// one patient's chart, acknowledging an alert, a note, the invitations and
// the printable slip — axe 0 and Nu 0, in Danish and English, at 360 and
// 1280 px — and the list used by keyboard alone. With STENOSE_E2E_SHOTS
// set to a folder, each page is also saved there as a PNG for review.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// workspaceSite is an app with a clinic of 30 patients — Anna Ærø with a
// red flag and a session stopped for tingling, a few with weeks of diary
// and walks, the rest with nothing yet — and makeClinician, which makes a
// clinician of the clinic.
func workspaceSite(t *testing.T) (s *testSite, anna, bente int64, makeClinician func(login string)) {
	t.Helper()
	s = startAccountApp(t)
	ctx := t.Context()
	c1, err := clinic.New(s.st, nil, nil).Add(ctx, store.Clinic{Slug: "een", Name: "Klinik Et", Phone: "33 12 34 56", Signup: store.SignupOpen})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	names := []string{"Anna Ærø", "Bo Hansen", "Åse Lund", "Øjvind Berg", "Carl Nielsen", "Dorthe Friis"}
	for i := len(names); i < 30; i++ {
		names = append(names, fmt.Sprintf("Patient %02d", i))
	}
	for i, name := range names {
		u, err := s.st.CreateUser(ctx, store.User{Login: fmt.Sprintf("p%02d", i), Name: name, Role: store.RolePatient,
			ClinicID: c1.ID, PasswordHash: "x", CreatedAt: now.AddDate(0, 0, -40)})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			anna = u.ID
		}
		if i >= 4 {
			continue // nothing recorded yet
		}
		if _, err := s.st.AddBaseline(ctx, store.Baseline{UserID: u.ID, At: now.AddDate(0, 0, -35), SPWTFirstSymptomsSeconds: new(240), SPWTStopSeconds: 600, NRSLeg: 6, NRSBack: 4}); err != nil {
			t.Fatal(err)
		}
		for d := 30; d >= 1; d -= 3 {
			at := now.AddDate(0, 0, -d)
			if _, err := s.st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: u.ID, At: at, LegPain: 3 + (d+i)%4, BackPain: 2}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.st.AddWalk(ctx, store.Walk{UserID: u.ID, ClientID: fmt.Sprint("w", d), StartedAt: at, EndedAt: at.Add(20 * time.Minute),
				Bouts: []store.Bout{{WalkSeconds: 300 + 20*(30-d), PauseSeconds: 60}}}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.st.AddTrainingSession(ctx, store.TrainingSession{UserID: u.ID, ClientID: fmt.Sprint("s", d), Programme: "5-bedste-oevelser",
				StartedAt: at, EndedAt: at.Add(15 * time.Minute), Steps: []store.SessionStep{{Exercise: "knae-til-bryst", Done: true}}}); err != nil {
				t.Fatal(err)
			}
		}
		if i == 0 {
			at := now.Add(-2 * time.Hour)
			if _, _, err := s.st.AddTrainingSession(ctx, store.TrainingSession{UserID: u.ID, ClientID: "stop", Programme: "5-bedste-oevelser",
				StartedAt: at, EndedAt: at.Add(5 * time.Minute), Symptoms: 1,
				Steps: []store.SessionStep{{Exercise: "knae-til-bryst", Done: true}, {Exercise: "kattestraek", Symptoms: true, SymptomKinds: []string{"tingling"}}}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: u.ID, At: now.Add(-time.Hour), Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	bente = fullPatient(t, s, c1.ID, now)
	makeClinician = func(login string) {
		t.Helper()
		pw := "gå en tur hver dag"
		htmlFetcher(t, s)("POST", "/konto/opret", url.Values{"login": {login}, "name": {"Dorte " + login}, "password": {pw}, "password2": {pw}}, nil)
		u, err := s.st.UserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.st.SetRole(ctx, u.ID, store.RoleClinician); err != nil {
			t.Fatal(err)
		}
		if err := s.st.SetUserClinic(ctx, u.ID, c1.ID); err != nil {
			t.Fatal(err)
		}
	}
	return s, anna, bente, makeClinician
}

// fullPatient is Bente Ærø-Kristiansen of the clinic: 12 weeks and 2 days
// into her programme, with every day's diary and walk, most days'
// sessions, four PSFS scorings, five versions of her programme (most with
// a long reason) and eight red flags, each acknowledged by Kari with a
// remark (every other one long): more than the status report's page
// holds.
func fullPatient(t *testing.T, s *testSite, clinicID int64, now time.Time) int64 {
	t.Helper()
	ctx := t.Context()
	kari, err := s.st.CreateUser(ctx, store.User{Login: "kari", Name: "Kari Fysioterapeut", Role: store.RoleClinician, ClinicID: clinicID, PasswordHash: "x", CreatedAt: now.AddDate(0, 0, -100)})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.st.CreateUser(ctx, store.User{Login: "bente", Name: "Bente Ærø-Kristiansen", Role: store.RolePatient, ClinicID: clinicID, PasswordHash: "x", CreatedAt: now.AddDate(0, 0, -90)})
	if err != nil {
		t.Fatal(err)
	}
	const days = 86
	if _, err := s.st.AddBaseline(ctx, store.Baseline{UserID: u.ID, At: now.AddDate(0, 0, -days).Add(-3 * time.Hour), SPWTFirstSymptomsSeconds: new(150), SPWTStopSeconds: 300, NRSLeg: 7, NRSBack: 5}); err != nil {
		t.Fatal(err)
	}
	for i, d := range []int{days, 58, 30, 2} {
		if _, err := s.st.AddPSFS(ctx, u.ID, now.AddDate(0, 0, -d).Add(-3*time.Hour), []store.PSFSActivity{
			{Name: "Gå til bageren", Score: 3 + i}, {Name: "Stå og lave mad", Score: 4 + i}, {Name: "Gå tur med hunden", Score: 2 + i}}); err != nil {
			t.Fatal(err)
		}
	}
	for d := days; d >= 0; d-- {
		at := now.AddDate(0, 0, -d).Add(-2 * time.Hour)
		frac := float64(days-d) / days
		if _, err := s.st.AddDiaryEntry(ctx, store.DiaryEntry{UserID: u.ID, At: at, LegPain: 7 - int(3*frac+0.5), BackPain: 5 - int(frac+0.5)}); err != nil {
			t.Fatal(err)
		}
		first := 150 + int(180*frac)
		if _, _, err := s.st.AddWalk(ctx, store.Walk{UserID: u.ID, ClientID: fmt.Sprint("w", d), StartedAt: at.Add(-time.Hour), EndedAt: at.Add(-40 * time.Minute),
			Bouts: []store.Bout{{WalkSeconds: first + 60, PauseSeconds: 90, FirstSymptomsSeconds: &first}, {WalkSeconds: 240}}}); err != nil {
			t.Fatal(err)
		}
		if d%3 != 0 {
			if _, _, err := s.st.AddTrainingSession(ctx, store.TrainingSession{UserID: u.ID, ClientID: fmt.Sprint("s", d), Programme: "5-bedste-oevelser",
				StartedAt: at.Add(-30 * time.Minute), EndedAt: at.Add(-15 * time.Minute), Steps: []store.SessionStep{{Exercise: "knae-til-bryst", Done: true}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	prev := int64(0)
	for i, reason := range []string{
		"Færre øvelser i starten, så du kan nå dem alle.",
		"Flere gentagelser af kattestrækket: du klarer det godt.",
		strings.Repeat("Længere gåture med pauser, når benene siger til. ", 9),
		strings.Repeat("Cyklingen er taget ud, mens knæet driller. ", 9),
		strings.Repeat("Cyklingen er med igen, og gåturen er 12 minutter. ", 9),
	} {
		v, err := s.st.SetProgramme(ctx, clinicID, store.ProgrammeVersion{PatientID: u.ID, At: now.AddDate(0, 0, -80+18*i), ByID: kari.ID, ByName: kari.Name,
			Reason: reason, Base: "5-bedste-oevelser", Items: []store.ProgrammeItem{{Exercise: "kattestraek", Kind: "reps", Reps: 10, Sets: 2, Sides: 1}}, PerWeek: 4, WalkMinutes: 12}, prev)
		if err != nil {
			t.Fatal(err)
		}
		prev = v.ID
	}
	for h := 8; h >= 1; h-- {
		if _, err := s.st.AddRedFlagCheckin(ctx, store.RedFlagCheckin{UserID: u.ID, At: now.Add(-time.Duration(h) * time.Hour),
			Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
			t.Fatal(err)
		}
	}
	alerts, err := s.st.PatientAlerts(ctx, clinicID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range alerts {
		note := strings.Repeat("Talt med Bente om tegnene, og hvornår hun skal ringe 112. ", 6)
		if i%2 == 1 {
			note = "Ringet op; kontrol hos egen læge i dag."
		}
		if _, err := s.st.AcknowledgeAlert(ctx, clinicID, a.ID, store.Ack{By: kari.ID, ByName: kari.Name, At: now.Add(-time.Duration(i) * time.Minute), Note: note}); err != nil {
			t.Fatal(err)
		}
	}
	return u.ID
}

// shot saves the page in tb as NAME.png under $STENOSE_E2E_SHOTS, when set.
func shot(t *testing.T, tb *tab, name string) {
	t.Helper()
	dir := os.Getenv("STENOSE_E2E_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWorkspacePages(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s, anna, bente, makeClinician := workspaceSite(t)
	pw := "gå en tur hver dag"
	for _, row := range []struct {
		lang, h1List, h1Invite string
		width                  int64
	}{
		{"da", "Patienter", "Invitationer", 360},
		{"da", "Patienter", "Invitationer", 1280},
		{"en", "Patients", "Invitations", 360},
		{"en", "Patients", "Invitations", 1280},
	} {
		name := row.lang + "-" + strconv.FormatInt(row.width, 10)
		t.Run(name, func(t *testing.T) {
			login := "behandler-" + name
			makeClinician(login)
			// A red flag of Anna's today: an open alert for this row.
			if _, err := s.st.AddRedFlagCheckin(t.Context(), store.RedFlagCheckin{UserID: anna, At: time.Now().Add(-time.Minute),
				Answers: map[string]bool{rules.Flags[0].Key: true}, Urgent: true}); err != nil {
				t.Fatal(err)
			}
			tb := b.phoneTab(t, 3*time.Minute, row.width, 800)
			check := func(what string) {
				t.Helper()
				if lang := eval[string](t, tb, `document.documentElement.lang`); lang != row.lang {
					t.Errorf("%s: <html lang=%q>", what, lang)
				}
				checkAppPage(t, tb, s, axeSource, what, "/klinik")
				shot(t, tb, "workspace-"+name+"-"+strings.ReplaceAll(what, " ", "-"))
			}
			open := func(path string) {
				t.Helper()
				if _, err := tb.navigate(s.URL + path); err != nil {
					t.Fatal(err)
				}
			}
			// Sign in: password, then the second factor, enrolled now.
			signInEnrolling(t, tb, s.URL, row.lang, login, pw)

			// The list opens on who needs attention: Anna first.
			open("/klinik")
			if h1 := textOf(t, tb, "h1"); strings.TrimSpace(h1) != row.h1List {
				t.Fatalf("the list's heading: %q", h1)
			}
			if first := textOf(t, tb, ".ws-list tbody tr th a"); first != "Anna Ærø" {
				t.Errorf("first on the list: %q, want Anna Ærø (a red flag)", first)
			}
			check("list")
			open("/klinik?sortering=navn&side=2")
			check("list page 2 by name")

			// By keyboard alone: Tab to Anna's row, Enter.
			open("/klinik")
			path, h1 := tabAndEnter(t, tb, "Anna's row", `e.matches('.ws-list tbody a') && e.textContent.includes("Anna")`)
			if path != "/klinik/patienter/"+strconv.FormatInt(anna, 10) || h1 != "Anna Ærø" {
				t.Fatalf("Enter on Anna's row: %s %q", path, h1)
			}
			check("patient")

			// A note left empty, then written.
			if path, _ := submitWith(t, tb, `form[action$="/noter"] button[type="submit"]`, [][2]string{{"#body", " "}}); !strings.HasSuffix(path, "/noter") {
				t.Fatalf("an empty note: %s", path)
			}
			check("patient note error")
			submitWith(t, tb, `form[action$="/noter"] button[type="submit"]`, [][2]string{{"#body", "Ringet op. Aftalt kontrol hos egen læge i morgen."}})
			if n := textOf(t, tb, ".ws-notes .note-text"); !strings.Contains(n, "Aftalt kontrol") {
				t.Errorf("the note: %q", n)
			}
			// A red flag acknowledged with a remark.
			urgent := `document.querySelectorAll(".ws-alerts .advice.urgent").length`
			before := eval[int](t, tb, urgent)
			submitWith(t, tb, `.ws-alerts .advice.urgent form button[type="submit"]`, [][2]string{{`.ws-alerts .advice.urgent input[name="note"]`, "Ringet; egen læge i dag."}})
			if n := eval[int](t, tb, urgent); n != before-1 {
				t.Errorf("%d urgent alerts open after acknowledging one of %d", n, before)
			}
			if seen := eval[string](t, tb, `document.querySelector(".ws-acked").textContent`); !strings.Contains(seen, "Ringet; egen læge i dag.") {
				t.Errorf("the acknowledgement's remark is not shown: %q", seen)
			}
			check("patient after acknowledging")

			// Bente's status report: the chart links to it; on screen it
			// passes as every page, printed it fills exactly one A4 page.
			open("/klinik/patienter/" + strconv.FormatInt(bente, 10))
			if path, h1 := clickThrough(t, tb, `main a[href$="/status"]`); !strings.HasSuffix(path, "/status") || !strings.Contains(h1, "Bente") {
				t.Fatalf("the chart's report link: %s %q", path, h1)
			}
			check("report")
			if n := eval[int](t, tb, `document.querySelectorAll(".report tbody tr").length`); n < 5+2+4+4 {
				t.Errorf("the report has %d table rows", n)
			}
			pdf := printA4(t, tb)
			if n := pdfPages(pdf); n != 1 {
				t.Errorf("the report prints on %d pages, want 1", n)
			}
			if dir := os.Getenv("STENOSE_E2E_SHOTS"); dir != "" {
				if err := os.WriteFile(filepath.Join(dir, "report-"+name+".pdf"), pdf, 0o644); err != nil {
					t.Fatal(err)
				}
			}

			// Invitations: a mistake, then a slip.
			open("/klinik/invitationer")
			check("invitations")
			if path, h1 := submit(t, tb, [][2]string{{"#days", "0"}}); path != "/klinik/invitationer" || h1 != row.h1Invite {
				t.Fatalf("0 days: %s %q", path, h1)
			}
			check("invitations error")
			if path, _ := submit(t, tb, [][2]string{{"#name", "Ole Ærø"}, {"#days", "14"}}); path != "/klinik/invitationer/seddel" {
				t.Fatalf("after making an invitation: %s", path)
			}
			if code := textOf(t, tb, ".slip-code"); !regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`).MatchString(code) {
				t.Errorf("the slip's code: %q", code)
			}
			if n := eval[int](t, tb, `document.querySelectorAll(".slip-qr svg").length`); n != 1 {
				t.Errorf("the slip has %d QR codes", n)
			}
			check("slip")

			open("/konto")
			signOutHere(t, tb) // the next row signs in as another clinician
		})
	}
}

func TestWorkspaceValidHTML(t *testing.T) {
	requireJava(t)
	requireNodeFile(t, vnuPath)
	s, anna, bente, makeClinician := workspaceSite(t)
	makeClinician("dorte")
	fetch := htmlFetcher(t, s)
	pw := "gå en tur hver dag"
	enrol := fetch("POST", "/konto/log-ind", url.Values{"login": {"dorte"}, "password": {pw}}, nil)
	fetch("POST", "/konto/kode/ny", url.Values{"kode": {enrolCode(t, enrol)}}, nil)
	patient := "/klinik/patienter/" + strconv.FormatInt(anna, 10)
	var pages []namedHTML
	for _, l := range []string{"da", "en"} {
		pages = append(pages,
			namedHTML{"list-" + l, fetch("GET", "/klinik?lang="+l, nil, nil)},
			namedHTML{"list-filtered-" + l, fetch("GET", "/klinik?vis=advarsler&sortering=smerte&q=a", nil, nil)},
			namedHTML{"list-empty-" + l, fetch("GET", "/klinik?q=ingen-s%C3%A5dan", nil, nil)},
			namedHTML{"list-page2-" + l, fetch("GET", "/klinik?side=2", nil, nil)},
			namedHTML{"patient-" + l, fetch("GET", patient, nil, nil)},
			namedHTML{"report-" + l, fetch("GET", "/klinik/patienter/"+strconv.FormatInt(bente, 10)+"/status", nil, nil)},
			namedHTML{"patient-note-error-" + l, fetch("POST", patient+"/noter", url.Values{"body": {""}}, nil)},
			namedHTML{"invitations-" + l, fetch("GET", "/klinik/invitationer", nil, nil)},
			namedHTML{"invitations-error-" + l, fetch("POST", "/klinik/invitationer", url.Values{"days": {"x"}}, nil)},
			namedHTML{"slip-" + l, fetch("POST", "/klinik/invitationer", url.Values{"name": {"Ole"}, "days": {"3"}}, nil)},
		)
	}
	validateHTML(t, pages)
}

// printA4 prints the tab's page as Chromium does for "Print": A4 paper,
// the page's own @page size and margins, backgrounds as printed.
func printA4(t *testing.T, tb *tab) []byte {
	t.Helper()
	yes := true
	pdf, err := chromedp.Run(tb.ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
	if err != nil {
		t.Fatalf("printing to PDF: %v", err)
	}
	return pdf
}

// pdfPages counts the page objects of a PDF: "/Type /Page", not the page
// tree's "/Type /Pages".
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
}
