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

// Has reports whether lang has its own text for key.
func Has(l Lang, key string) bool { _, ok := catalogue[l][key]; return ok }

var catalogue = map[Lang]map[string]string{
	Da: {
		"skip":              "Gå til indholdet",
		"nav.label":         "Hovedmenu",
		"nav.home":          "Forside",
		"nav.articles":      "Artikler",
		"lang.switch":       "English",
		"lang.switch.label": "English – read this page with English labels",
		"home.lead":         "Viden og træning for mennesker med spinalstenose i lænden.",
		"home.newest":       "Nyeste artikler",
		"home.all":          "Se alle artikler",
		"home.offer":        "Det får du her",
		"home.offer.1":      "Klinikkens artikler om spinalstenose – på almindeligt dansk, med kilder.",
		"home.offer.2":      "De fem bedste øvelser, forklaret trin for trin, så du kan træne sikkert derhjemme.",
		"home.offer.3":      "Råd om gang med pauser: gå, hvil foroverbøjet, og gå videre.",
		"home.offer.4":      "Hjælp til at vide, hvornår du skal stoppe, og hvornår du skal kontakte din behandler.",
		"home.note":         "Indholdet er vejledning og undervisning, ikke en diagnose. Er du i tvivl, så kontakt din læge eller behandler.",
		"articles.title":    "Artikler",
		"articles.lead":     "Alle klinikkens artikler, nyeste først.",
		"articles.page":     "Side %d af %d",
		"articles.prev":     "Nyere artikler",
		"articles.next":     "Ældre artikler",
		"articles.pages":    "Sider",
		"articles.none":     "Der er endnu ingen artikler.",
		"article.by":        "Af",
		"article.published": "Udgivet",
		"article.updated":   "Opdateret",
		"article.toc":       "Indhold",
		"article.about":     "Om forfatteren",
		"article.more":      "Læs mere om %s",
		"article.read":      "Læs artiklen",
		"author.articles":   "Artikler af %s",
		"notfound.title":    "Siden findes ikke",
		"notfound.lead":     "Vi kan ikke finde den side, du leder efter. Måske er den flyttet, eller adressen er skrevet forkert.",
		"notfound.try":      "Prøv i stedet:",
		"notfound.home":     "Gå til forsiden",
		"notfound.articles": "Se alle artikler",
		"footer.about":      "Artiklerne er skrevet af klinikkens behandlere. De erstatter ikke en undersøgelse.",
		"footer.privacy":    "Siden henter intet fra andre websteder og bruger ingen sporing.",
		"footer.feed":       "Nyheder som feed (Atom)",
		"image.missing":     "Billedet mangler",
	},
	En: {
		"skip":              "Skip to content",
		"nav.label":         "Main menu",
		"nav.home":          "Home",
		"nav.articles":      "Articles",
		"lang.switch":       "Dansk",
		"lang.switch.label": "Dansk – læs siden med danske overskrifter",
		"home.lead":         "Knowledge and exercise for people with lumbar spinal stenosis.",
		"home.newest":       "Newest articles",
		"home.all":          "See all articles",
		"home.offer":        "What you get here",
		"home.offer.1":      "The clinic's articles on spinal stenosis – in plain words, with sources (in Danish).",
		"home.offer.2":      "The five best exercises, explained step by step, so you can train safely at home.",
		"home.offer.3":      "Advice on walking with pauses: walk, rest leaning forward, and walk on.",
		"home.offer.4":      "Help to know when to stop, and when to contact your clinician.",
		"home.note":         "The content is guidance and education, not a diagnosis. If in doubt, contact your doctor or clinician.",
		"articles.title":    "Articles",
		"articles.lead":     "All the clinic's articles, newest first. The articles are in Danish.",
		"articles.page":     "Page %d of %d",
		"articles.prev":     "Newer articles",
		"articles.next":     "Older articles",
		"articles.pages":    "Pages",
		"articles.none":     "There are no articles yet.",
		"article.by":        "By",
		"article.published": "Published",
		"article.updated":   "Updated",
		"article.toc":       "Contents",
		"article.about":     "About the author",
		"article.more":      "Read more about %s",
		"article.read":      "Read the article",
		"author.articles":   "Articles by %s",
		"notfound.title":    "Page not found",
		"notfound.lead":     "We cannot find the page you are looking for. It may have moved, or the address may be mistyped.",
		"notfound.try":      "Try instead:",
		"notfound.home":     "Go to the home page",
		"notfound.articles": "See all articles",
		"footer.about":      "The articles are written by the clinic's clinicians. They do not replace an examination.",
		"footer.privacy":    "This site loads nothing from other sites and uses no tracking.",
		"footer.feed":       "News as a feed (Atom)",
		"image.missing":     "The picture is missing",
	},
}
