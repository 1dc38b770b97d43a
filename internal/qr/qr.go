// Package qr draws a QR code as SVG: sharp when printed on an invitation
// slip at any size, and inline in a page without an image request. The
// encoding is github.com/boombuler/barcode/qr's (the encoder
// github.com/pquerna/otp uses for its enrolment codes); this package only
// turns its modules into one SVG path.
package qr

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// quiet is the margin around the code, in modules: the standard's 4.
const quiet = 4

// SVG returns text as a QR code (error correction M: a printed slip may
// get a crease), an SVG with the accessible name label, scaled to its
// container (width 100 %, square). The modules are one path of unit
// squares, black on white.
func SVG(text, label string) (template.HTML, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return "", fmt.Errorf("qr: %w", err)
	}
	b := code.Bounds()
	n := b.Dx()
	size := n + 2*quiet
	var d strings.Builder
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if black(code.At(b.Min.X+x, b.Min.Y+y)) {
				// A run of dark modules on a row is one rectangle.
				run := 1
				for x+run < n && black(code.At(b.Min.X+x+run, b.Min.Y+y)) {
					run++
				}
				d.WriteString("M" + strconv.Itoa(x+quiet) + " " + strconv.Itoa(y+quiet) + "h" + strconv.Itoa(run) + "v1h-" + strconv.Itoa(run) + "z")
				x += run - 1
			}
		}
	}
	svg := `<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 ` + strconv.Itoa(size) + ` ` + strconv.Itoa(size) +
		`" role="img" aria-label="` + template.HTMLEscapeString(label) + `" shape-rendering="crispEdges">` +
		`<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="` + d.String() + `"/></svg>`
	return template.HTML(svg), nil
}

func black(c interface{ RGBA() (r, g, b, a uint32) }) bool {
	r, _, _, _ := c.RGBA()
	return r < 0x8000
}
