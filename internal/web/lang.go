package web

// The app's language: Danish by default, English when the patient chooses
// it. The words themselves are in catalogue.go; this file decides which
// language a request is shown in.
//
// A request's language is, in this order:
//
//  1. ?lang=en or ?lang=da on a GET: a link that asks for a language (walk
//     mode's "use as my starting point" on /en/gang). It shows that page in
//     it; the cookie is set to it too (unless the signed-in user's account
//     has a choice, which wins), so the pages after follow. It never changes
//     a signed-in user's account (a GET changes nothing of theirs): the
//     switch in the menu does that.
//  2. A signed-in user's choice, kept on the account (store.User.Lang) and
//     read with the user and the session in one query on every request, so
//     it follows the user to every device at once.
//  3. The language cookie (an anonymous visitor's choice on this device).
//  4. A visitor without any choice who comes from the public site's English
//     pages (/en/…: the Referer, which the site's Referrer-Policy
//     same-origin sends on the same site only) gets English, and the cookie
//     is set. The public pages are rendered once for everyone, so they
//     cannot carry the choice themselves without per-request work; the
//     browser's Referer carries it for free.
//  5. Danish.
//
// The switch itself is a form in the menu that POSTs to /sprog: it changes
// the account of a signed-in user, so it is a state change behind the
// CrossOriginProtection every POST route has, and it works without
// JavaScript. It sets the cookie too, so that signing out keeps the
// language on that device.

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/store"
)

const (
	// langCookie holds an anonymous visitor's choice ("da" or "en").
	langCookie = "stenose_lang"
	// langParam is the query parameter a link uses to ask for a language.
	langParam = "lang"
	// switchPath is where the language switch posts.
	switchPath = "/sprog"
	// langCookieAge is how long the cookie keeps a choice.
	langCookieAge = 365 * 24 * time.Hour
)

// parseLang reads "da" or "en".
func parseLang(s string) (i18n.Lang, bool) {
	switch i18n.Lang(s) {
	case i18n.Da:
		return i18n.Da, true
	case i18n.En:
		return i18n.En, true
	}
	return "", false
}

type langCtxKey struct{}

// withLang is ctx with the request's language.
func withLang(ctx context.Context, l i18n.Lang) context.Context {
	return context.WithValue(ctx, langCtxKey{}, l)
}

// reqLang is the language r is shown in: the one resolveLang chose, or,
// for a response written before it ran (a refused cross-origin POST, a
// malformed session), the cookie's, else Danish.
func reqLang(r *http.Request) i18n.Lang {
	if l, ok := r.Context().Value(langCtxKey{}).(i18n.Lang); ok {
		return l
	}
	if l, ok := cookieLang(r); ok {
		return l
	}
	return i18n.Da
}

func cookieLang(r *http.Request) (i18n.Lang, bool) {
	c, err := r.Cookie(langCookie)
	if err != nil {
		return "", false
	}
	return parseLang(c.Value)
}

// setLangCookie keeps l as this browser's choice.
func (a *app) setLangCookie(w http.ResponseWriter, r *http.Request, l i18n.Lang) {
	if c, ok := cookieLang(r); ok && c == l {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: langCookie, Value: string(l), Path: "/",
		MaxAge: int(langCookieAge / time.Second), HttpOnly: true,
		Secure: a.sm.Cookie.Secure, SameSite: http.SameSiteLaxMode,
	})
}

// resolveLang decides the language of a request to the app's routes (see
// the top of this file) once the signed-in user u (nil: none) is known.
func (a *app) resolveLang(w http.ResponseWriter, r *http.Request, u *store.User) i18n.Lang {
	get := r.Method == http.MethodGet || r.Method == http.MethodHead
	if get {
		if l, ok := parseLang(r.URL.Query().Get(langParam)); ok {
			if u == nil {
				a.setLangCookie(w, r, l)
			} else if _, chosen := parseLang(u.Lang); !chosen {
				a.setLangCookie(w, r, l) // the account has no choice: the cookie stands in
			}
			return l
		}
	}
	if u != nil {
		if l, ok := parseLang(u.Lang); ok {
			return l
		}
	}
	if l, ok := cookieLang(r); ok {
		return l
	}
	if get && fromEnglishPages(r) {
		a.setLangCookie(w, r, i18n.En)
		return i18n.En
	}
	return i18n.Da
}

// fromEnglishPages reports whether r follows a link on this site's English
// pages (/en, /en/…).
func fromEnglishPages(r *http.Request) bool {
	ref := r.Header.Get("Referer")
	if ref == "" {
		return false
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host != r.Host {
		return false
	}
	return u.Path == "/en" || strings.HasPrefix(u.Path, "/en/")
}

// signedInLang runs at sign-in and sign-up, for u: the account's choice
// wins and becomes this browser's too; an account without one takes the
// choice this browser made before signing in (the cookie), so a visitor who
// signed up in English stays in English on every device.
func (a *app) signedInLang(w http.ResponseWriter, r *http.Request, u store.User) error {
	if l, ok := parseLang(u.Lang); ok {
		a.setLangCookie(w, r, l)
		return nil
	}
	l, ok := cookieLang(r)
	if !ok {
		return nil
	}
	return a.st.SetUserLang(r.Context(), u.ID, string(l))
}

// switchLang is the menu's language switch: POST lang=da|en and naeste,
// the page to go back to.
func (a *app) switchLang(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	l, ok := parseLang(r.PostForm.Get("lang"))
	if !ok {
		http.Error(w, reqLang(r).T("errLang"), http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	if u := userFrom(ctx); u != nil {
		if err := a.st.SetUserLang(ctx, u.ID, string(l)); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	a.setLangCookie(w, r, l)
	next := safeNext(withoutLangParam(r.PostForm.Get("naeste")))
	if next == "" {
		next = "/konto"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// withoutLangParam is p without its lang parameter, which would override
// the choice just made.
func withoutLangParam(p string) string {
	path, query, ok := strings.Cut(p, "?")
	if !ok {
		return p
	}
	q, err := url.ParseQuery(query)
	if err != nil || !q.Has(langParam) {
		return p
	}
	q.Del(langParam)
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// here is the page to come back to after switching language: a GET page
// itself; after a POST (a form shown again with its errors) the page the
// form was on, from the same-site Referer, else nothing (the switch then
// lands on /konto).
func here(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return withoutLangParam(r.URL.RequestURI())
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		if u, err := url.Parse(ref); err == nil && u.Host == r.Host {
			return withoutLangParam(u.RequestURI())
		}
	}
	return ""
}

// otherLang is the language the switch offers.
func otherLang(l i18n.Lang) i18n.Lang {
	if l == i18n.En {
		return i18n.Da
	}
	return i18n.En
}

// langPrefix is the public site's path prefix for l: "" or "/en".
func langPrefix(l i18n.Lang) string {
	if l == i18n.En {
		return "/en"
	}
	return ""
}
