// Package patient is what the benchmarks' HTTP clients share: a patient
// (or a clinician, with SecondFactor) signed in with a cookie jar, and a
// diary entry posted the way the diary form posts it.
package patient

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"time"
)

// SignIn returns a client that follows no redirects, signed in as login on
// the server at base. tr may be nil (http.DefaultTransport).
func SignIn(base, login, password string, tr http.RoundTripper, timeout time.Duration) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: tr, Jar: jar, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/konto/log-ind", url.Values{"login": {login}, "password": {password}})
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("%s: sign-in answered %s", login, resp.Status)
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "stenose_session" {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%s: no stenose_session cookie", login)
}

// PostDiary posts one diary entry (the form's fields in f) and returns the
// answer's status and Location.
func PostDiary(ctx context.Context, c *http.Client, base string, f url.Values) (status int, location string, err error) {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/dagbog", strings.NewReader(f.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location"), nil
}

// Saved reports whether an answer to PostDiary is the one the server gives
// only after the entry was committed: 303 See Other to /dagbog.
func Saved(status int, location string) bool {
	return status == http.StatusSeeOther && strings.HasPrefix(location, "/dagbog")
}

// SecondFactor does the second step of a clinician's sign-in on c (signed
// in with SignIn, which stops at the code page): it posts code, a current
// one-time code of their authenticator, and returns where the server sends
// them (a 303's Location), or an error for any other answer.
func SecondFactor(c *http.Client, base, code string) (string, error) {
	resp, err := c.PostForm(base+"/konto/kode", url.Values{"kode": {code}})
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("second step answered %s", resp.Status)
	}
	return resp.Header.Get("Location"), nil
}

// ReadLogins reads a file of logins, one a line (bench/workspace seed's
// -logins), leaving out blank lines.
func ReadLogins(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}
