package web

import (
	"html/template"
	"regexp"
	"strings"
	"testing"

	"github.com/stenose/stenose/internal/i18n"
)

// summaryItems are the error summary's links in body: "href text".
func summaryItems(body string) []string {
	m := regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`).FindString(body)
	var out []string
	for _, a := range regexp.MustCompile(`<li><a href="([^"]*)">([^<]*)</a></li>`).FindAllStringSubmatch(m, -1) {
		out = append(out, a[1]+" "+a[2])
	}
	return out
}

// TestRedFlagSummary: questions left unanswered are one line of the error
// summary, with how many, linking to the first; each still has its own
// error beside it. One question left is named.
func TestRedFlagSummary(t *testing.T) {
	e := newEnv(t, openSQLite(t), nil)
	c := e.signUp("anna")

	r := c.post("/start/roede-flag")
	want(t, "nothing answered", r, 422, "")
	if got := summaryItems(r.body); len(got) != 1 || got[0] != "#bladder-ja Svar ja eller nej til alle spørgsmålene – 15 mangler." {
		t.Errorf("nothing answered: summary %q", got)
	}
	contains(t, "nothing answered", r.body, "Ret dette, og prøv igen")
	for _, q := range questions {
		contains(t, "nothing answered", r.body, `id="`+q.Key+`-error"`)
	}

	r = c.post("/start/roede-flag", "bladder", "nej", "fever", "ja")
	if got := summaryItems(r.body); len(got) != 1 || got[0] != "#bowel-ja Svar ja eller nej til alle spørgsmålene – 13 mangler." {
		t.Errorf("13 left: summary %q", got)
	}
	if n := strings.Count(r.body, `class="field-error"`); n != 13 {
		t.Errorf("13 left: %d errors beside questions", n)
	}

	// One left: the summary names it.
	r = c.post("/start/roede-flag", allNo()[2:]...) // all but the first
	if got := summaryItems(r.body); len(got) != 1 || got[0] != "#bladder-ja "+template.HTMLEscapeString(i18n.Da.Tf("errRedflag", questions[0].Text)) {
		t.Errorf("one left: summary %q", got)
	}

	// English.
	want(t, "switch", c.post(switchPath, "lang", "en"), 303, "")
	r = c.post("/start/roede-flag", "bladder", "nej")
	if got := summaryItems(r.body); len(got) != 1 || got[0] != "#bowel-ja Answer yes or no to every question – 14 are missing." {
		t.Errorf("English: summary %q", got)
	}
	r = c.post("/start/roede-flag", allNo()[:len(allNo())-2]...) // all but the last
	if got := summaryItems(r.body); len(got) != 1 || !strings.HasPrefix(got[0], "#"+questions[len(questions)-1].Key+"-ja Answer yes or no: ") {
		t.Errorf("English, one left: summary %q", got)
	}
}
