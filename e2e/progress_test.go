package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// phoneWidth is the narrowest phone the charts are sized for.
const phoneWidth = 360

// chartText is what Chromium measures of one chart text at 360 px.
type chartText struct {
	Text   string  `json:"text"`
	Px     float64 `json:"px"`     // the computed font size × the SVG's scale
	Height float64 `json:"height"` // getBoundingClientRect().height
}

// target is a toggle or button of the page and its rendered height.
type target struct {
	What   string  `json:"what"`
	Height float64 `json:"height"`
}

// TestProgressChartLabels: a patient right after the baseline, on a 360 px
// phone, in Danish and in English: the progress page's charts show the
// Start point, every chart text renders at 16 px or more (Chromium: the
// text's computed font size × the SVG's scale, and its box's height), every
// toggle and button is 44 px tall or more, the page fits the screen, and
// axe-core finds no violation.
func TestProgressChartLabels(t *testing.T) {
	axeSource := loadAxe(t)
	b := startBrowser(t)
	s := startAccountApp(t)
	tb := b.tabFor(t, 2*time.Minute)
	do(t, tb, "a 360 px phone", chromedp.EmulateViewport(phoneWidth, 780, chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateTouch))

	signUpIn(t, tb, s.URL, "/konto/opret", "ny-i-dag")
	for _, k := range redFlagKeys {
		click(t, tb, "#"+k+"-nej")
	}
	if path, _ := submit(t, tb, nil); path != "/start/udgangspunkt" {
		t.Fatalf("after the red flags: %s", path)
	}
	if path, _ := submitBaseline(t, tb, baselineTimes("3", "15", "6", "30"), "5", "4"); path != "/start/aktiviteter" {
		t.Fatalf("after the baseline: %s", path)
	}
	choose(t, tb, "#point1", "3")
	if path, _ := submit(t, tb, [][2]string{{"#aktivitet1", "gå til bageren"}}); path != "/i-dag" {
		t.Fatalf("after the own activities: %s", path)
	}

	for _, tc := range []struct {
		path, sentence, noData string
	}{
		{"/fremskridt", "Dit udgangspunkt: symptomerne kom efter 3 min 15 s, og du måtte stoppe efter 6 min 30 s.", "ingen data"},
		{"/fremskridt?lang=en", "Your starting point: the symptoms came after 3 min 15 s, and you had to stop after 6 min 30 s.", "no data"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			if _, err := tb.navigate(s.URL + tc.path); err != nil {
				t.Fatal(err)
			}
			main := textOf(t, tb, "main")
			if !strings.Contains(main, tc.sentence) || strings.Contains(main, tc.noData) {
				t.Errorf("the page says %q", main)
			}
			if n := eval[int](t, tb, `[...document.querySelectorAll('main figure.chart svg text')].filter((x) => x.textContent === 'Start').length`); n != 5 {
				t.Errorf("%d charts with a Start label, want 5 (walking and pain)", n)
			}
			texts := eval[[]chartText](t, tb, `[...document.querySelectorAll('main figure.chart svg')].flatMap((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map((x) => ({
    text: x.textContent, px: parseFloat(getComputedStyle(x).fontSize) * scale, height: x.getBoundingClientRect().height }));
})`)
			if len(texts) < 6*5 {
				t.Fatalf("only %d chart texts", len(texts))
			}
			least := texts[0]
			for _, x := range texts {
				if x.Px < 16 || x.Height < 16 {
					t.Errorf("chart text %q renders at %.1f px (box %.1f px high), want ≥ 16", x.Text, x.Px, x.Height)
				}
				if x.Px < least.Px {
					least = x
				}
			}
			t.Logf("%d chart texts; the smallest, %q, at %.1f px", len(texts), least.Text, least.Px)

			// Open every "Se tallene", then measure every toggle and button.
			eval[int](t, tb, `document.querySelectorAll('main details').forEach((d) => { d.open = true }), 0`)
			targets := eval[[]target](t, tb, `[...document.querySelectorAll('main summary, main button, main [role=button]')].map((x) => ({
  what: x.textContent.trim(), height: x.getBoundingClientRect().height }))`)
			if len(targets) < 6 {
				t.Errorf("only %d toggles", len(targets))
			}
			for _, x := range targets {
				if x.Height < 44 {
					t.Errorf("%q is %.1f px tall, want ≥ 44", x.What, x.Height)
				}
			}
			if w := eval[int](t, tb, `document.documentElement.scrollWidth`); w > phoneWidth {
				t.Errorf("the page is %d px wide on a %d px phone", w, phoneWidth)
			}
			vs, err := tb.runAxe(axeSource)
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) > 0 {
				t.Errorf("axe-core found %d WCAG A/AA violation(s):%s", len(vs), formatViolations(vs))
			}
		})
	}
}
