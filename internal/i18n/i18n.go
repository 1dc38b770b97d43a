// Package i18n holds the site's own words in Danish (first) and English,
// and formats dates the way each language writes them.
//
// Articles are written in Danish and stay Danish; only the site's labels
// change language.
package i18n

import (
	"fmt"
	"strconv"
	"time"
)

// Lang is a language the site's labels exist in.
type Lang string

const (
	Da Lang = "da"
	En Lang = "en"
)

// Langs lists the languages, Danish first.
var Langs = []Lang{Da, En}

// T returns the label for key in lang. A missing key returns the key
// itself, and the catalogue test makes sure none is missing.
func (l Lang) T(key string) string {
	if s, ok := catalogue[l][key]; ok {
		return s
	}
	if s, ok := catalogue[Da][key]; ok {
		return s
	}
	return key
}

// Tf is T with fmt.Sprintf arguments.
func (l Lang) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

var monthsDa = [...]string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}

// Date writes a date as the language does: "10. juli 2025", "10 July 2025".
func (l Lang) Date(t time.Time) string {
	if l == En {
		return t.Format("2 January 2006")
	}
	return strconv.Itoa(t.Day()) + ". " + monthsDa[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// Keys lists every key of the Danish catalogue (for tests).
func Keys() []string {
	keys := make([]string, 0, len(catalogue[Da]))
	for k := range catalogue[Da] {
		keys = append(keys, k)
	}
	return keys
}

// Labels returns the whole catalogue of lang, for templates: {{.L.navHome}}
// is a map lookup, far cheaper per page than a method call. The map must not
// be changed.
func Labels(l Lang) map[string]string { return catalogue[l] }

// Has reports whether lang has its own text for key.
func Has(l Lang, key string) bool { _, ok := catalogue[l][key]; return ok }

var catalogue = map[Lang]map[string]string{
	Da: {
		"skip":             "Gå til indholdet",
		"navLabel":         "Hovedmenu",
		"navHome":          "Forside",
		"navArticles":      "Artikler",
		"langSwitch":       "English",
		"langSwitchLabel":  "English – read this page with English labels",
		"homeLead":         "Viden og træning for mennesker med spinalstenose i lænden.",
		"homeNewest":       "Nyeste artikler",
		"homeAll":          "Se alle artikler",
		"homeOffer":        "Det får du her",
		"homeOffer1":       "Klinikkens artikler om spinalstenose – på almindeligt dansk, med kilder.",
		"homeOffer2":       "De fem bedste øvelser, forklaret trin for trin, så du kan træne sikkert derhjemme.",
		"homeOffer3":       "Råd om gang med pauser: gå, hvil foroverbøjet, og gå videre.",
		"homeOffer4":       "Hjælp til at vide, hvornår du skal stoppe, og hvornår du skal kontakte din behandler.",
		"homeNote":         "Indholdet er vejledning og undervisning, ikke en diagnose. Er du i tvivl, så kontakt din læge eller behandler.",
		"articlesTitle":    "Artikler",
		"articlesLead":     "Alle klinikkens artikler, nyeste først.",
		"articlesPage":     "Side %d af %d",
		"articlesPrev":     "Nyere artikler",
		"articlesNext":     "Ældre artikler",
		"articlesPages":    "Sider",
		"articlesNone":     "Der er endnu ingen artikler.",
		"articleBy":        "Af",
		"articlePublished": "Udgivet",
		"articleUpdated":   "Opdateret",
		"articleToc":       "Indhold",
		"articleAbout":     "Om forfatteren",
		"articleMore":      "Læs mere om %s",
		"articleRead":      "Læs artiklen",
		"authorArticles":   "Artikler af %s",
		"notfoundTitle":    "Siden findes ikke",
		"notfoundLead":     "Vi kan ikke finde den side, du leder efter. Måske er den flyttet, eller adressen er skrevet forkert.",
		"notfoundTry":      "Prøv i stedet:",
		"notfoundHome":     "Gå til forsiden",
		"notfoundArticles": "Se alle artikler",
		"footerAbout":      "Artiklerne er skrevet af klinikkens behandlere. De erstatter ikke en undersøgelse.",
		"footerPrivacy":    "Siden henter intet fra andre websteder og bruger ingen sporing.",
		"footerFeed":       "Nyheder som feed (Atom)",
		"imageMissing":     "Billedet mangler",
	},
	En: {
		"skip":             "Skip to content",
		"navLabel":         "Main menu",
		"navHome":          "Home",
		"navArticles":      "Articles",
		"langSwitch":       "Dansk",
		"langSwitchLabel":  "Dansk – læs siden med danske overskrifter",
		"homeLead":         "Knowledge and exercise for people with lumbar spinal stenosis.",
		"homeNewest":       "Newest articles",
		"homeAll":          "See all articles",
		"homeOffer":        "What you get here",
		"homeOffer1":       "The clinic's articles on spinal stenosis – in plain words, with sources (in Danish).",
		"homeOffer2":       "The five best exercises, explained step by step, so you can train safely at home.",
		"homeOffer3":       "Advice on walking with pauses: walk, rest leaning forward, and walk on.",
		"homeOffer4":       "Help to know when to stop, and when to contact your clinician.",
		"homeNote":         "The content is guidance and education, not a diagnosis. If in doubt, contact your doctor or clinician.",
		"articlesTitle":    "Articles",
		"articlesLead":     "All the clinic's articles, newest first. The articles are in Danish.",
		"articlesPage":     "Page %d of %d",
		"articlesPrev":     "Newer articles",
		"articlesNext":     "Older articles",
		"articlesPages":    "Pages",
		"articlesNone":     "There are no articles yet.",
		"articleBy":        "By",
		"articlePublished": "Published",
		"articleUpdated":   "Updated",
		"articleToc":       "Contents",
		"articleAbout":     "About the author",
		"articleMore":      "Read more about %s",
		"articleRead":      "Read the article",
		"authorArticles":   "Articles by %s",
		"notfoundTitle":    "Page not found",
		"notfoundLead":     "We cannot find the page you are looking for. It may have moved, or the address may be mistyped.",
		"notfoundTry":      "Try instead:",
		"notfoundHome":     "Go to the home page",
		"notfoundArticles": "See all articles",
		"footerAbout":      "The articles are written by the clinic's clinicians. They do not replace an examination.",
		"footerPrivacy":    "This site loads nothing from other sites and uses no tracking.",
		"footerFeed":       "News as a feed (Atom)",
		"imageMissing":     "The picture is missing",
	},
}
