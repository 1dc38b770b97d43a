// Package e2e holds stenose's end-to-end tests: every public page is served
// in-process and checked in headless Chromium (console errors, requests that
// leave the server, axe-core accessibility audit, 390 px mobile layout) and by
// the Nu HTML Checker.
//
// The package has no exported API; all code lives in _test.go files. The
// tests need /usr/bin/chromium, java, and `npm ci` (axe-core, vnu-jar). When
// one is missing they skip, unless CI=true, where they fail.
package e2e
