package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stenose/stenose/internal/headless"
)

// pageTimeout bounds everything done for one shot.
const pageTimeout = 45 * time.Second

// startBrowser starts headless Chromium with a fresh profile, kept off the
// network (the flags of the e2e tests), and returns its context and the
// function that stops it.
func startBrowser(ctx context.Context, exe string) (context.Context, func(), error) {
	if info, err := os.Stat(exe); err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
		return nil, nil, fmt.Errorf("%s is not installed (apt-get install chromium)", exe)
	}
	profile, err := os.MkdirTemp("", "stenose-screenshots-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(headless.Options(exe, profile),
		// Danish date and time fields need Debian's chromium-l10n (without
		// it Chromium has only en-US and they read 12/03/2026, 10:30 AM).
		chromedp.Flag("lang", "da"),
		chromedp.Env("LANGUAGE=da", "LANG=da_DK.UTF-8"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	stop := func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(bctx) }()
	select {
	case err := <-started:
		if err != nil {
			stop()
			return nil, nil, fmt.Errorf("starting %s: %w", exe, err)
		}
	case <-time.After(60 * time.Second):
		stop()
		return nil, nil, fmt.Errorf("starting %s: no answer after 60 s", exe)
	}
	return bctx, stop, nil
}

// tab is one browser context (cookies and storage of its own) with one
// tab, emulating the phone.
type tab struct {
	ctx    context.Context
	cancel func()
	base   string
}

func newTab(bctx context.Context, o options, base string) (*tab, error) {
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	// A Danish phone in Denmark: date and time fields read 03.12.2026 10.30
	// (a patient who reads the app in English has a Danish phone too).
	danish := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: "da_DK"}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Europe/Copenhagen"})
		return err
	})
	err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(o.width), int64(o.height), chromedp.EmulateScale(o.scale),
		chromedp.EmulateMobile, chromedp.EmulatePortrait, chromedp.EmulateTouch), danish)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("opening a tab: %w", err)
	}
	return &tab{ctx: ctx, cancel: cancel, base: base}, nil
}

// settleJS waits for the fonts, for every image (lazy ones loaded now: a
// full-page shot does not scroll) to be loaded and decoded, and for two
// frames.
const settleJS = `(async () => {
  for (const img of document.images) img.loading = "eager";
  await document.fonts.ready;
  await Promise.all([...document.images].map((i) => i.complete ? 0 : new Promise((r) => { i.onload = i.onerror = r; setTimeout(r, 3000); })));
  // decoding="async" images below the screen are not painted otherwise
  await Promise.all([...document.images].map((i) => i.decode().catch(() => 0)));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100))));
  return true;
})()`

// load opens path and waits for the page to settle; it returns the
// document's status and the path (and query) it ended at.
func (tb *tab) load(ctx context.Context, path string) (int64, string, error) {
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(tb.base+path))
	if err != nil {
		return 0, "", fmt.Errorf("opening %s: %w", path, err)
	}
	return tb.settled(ctx, resp)
}

func (tb *tab) settled(ctx context.Context, resp *network.Response) (int64, string, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](settleJS, chromedp.EvalAwaitPromise)); err != nil {
		return 0, "", fmt.Errorf("waiting for the page: %w", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return 0, "", err
	}
	u, err := url.Parse(loc)
	if err != nil {
		return 0, "", err
	}
	var status int64
	if resp != nil {
		status = resp.Status
	}
	return status, u.RequestURI(), nil
}

// do runs a shot's steps on the loaded page; a Submit step's answer
// becomes the page, whose status it returns.
func (tb *tab) do(ctx context.Context, steps []step) (status int64, at string, err error) {
	for _, s := range steps {
		switch {
		case s.Click != "":
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`((b) => !!b && (b.click(), true))(document.querySelector(`+strconv.Quote(s.Click)+`))`))
			if err == nil && !ok {
				err = errors.New("no such element")
			}
			if err != nil {
				return 0, "", fmt.Errorf("clicking %s: %w", s.Click, err)
			}
		case s.Check != "":
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelectorAll(`+strconv.Quote(s.Check)+`).forEach((i) => i.checked = true), true)`)); err != nil {
				return 0, "", fmt.Errorf("ticking %s: %w", s.Check, err)
			}
		case s.Type[0] != "":
			clear := chromedp.Evaluate[bool](`(document.querySelector(` + strconv.Quote(s.Type[0]) + `).value = "") === ""`)
			if _, err := chromedp.Run(ctx, clear); err != nil {
				return 0, "", fmt.Errorf("clearing %s: %w", s.Type[0], err)
			}
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(s.Type[0]), s.Type[1])); err != nil {
				return 0, "", fmt.Errorf("typing into %s: %w", s.Type[0], err)
			}
		case s.JS != "":
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](s.JS)); err != nil {
				return 0, "", fmt.Errorf("evaluating %s: %w", s.JS, err)
			}
		case s.Submit != "":
			resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(s.Submit)))
			if err != nil {
				return 0, "", fmt.Errorf("submitting with %s: %w", s.Submit, err)
			}
			if status, at, err = tb.settled(ctx, resp); err != nil {
				return 0, "", err
			}
		}
		if s.Wait > 0 {
			select {
			case <-time.After(s.Wait):
			case <-ctx.Done():
				return 0, "", ctx.Err()
			}
		}
	}
	return status, at, nil
}

// png is a full-page PNG of the loaded page.
func (tb *tab) png(ctx context.Context) ([]byte, error) {
	return chromedp.Run(ctx, chromedp.FullScreenshot(100))
}
