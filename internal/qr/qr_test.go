package qr

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"
)

// TestSVG: the SVG's dark squares are exactly the encoder's dark modules,
// inside the quiet zone, and the label is escaped.
func TestSVG(t *testing.T) {
	for _, text := range []string{"7K2M-Q9XD-4PWA", "https://klinik.example.dk/konto/opret?kode=7K2MQ9XD4PWA", "otpauth://totp/stenose:Dorte?secret=JBSWY3DPEHPK3PXP&issuer=stenose"} {
		svg, err := SVG(text, `Kode <"7K2M">`)
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		if !strings.Contains(s, `aria-label="Kode &lt;&#34;7K2M&#34;&gt;"`) || !strings.HasPrefix(s, "<svg ") || !strings.HasSuffix(s, "</svg>") {
			t.Errorf("%q: %s", text, s[:120])
		}
		code, _ := qr.Encode(text, qr.M, qr.Auto)
		n := code.Bounds().Dx()
		if !strings.Contains(s, `viewBox="0 0 `+strconv.Itoa(n+8)+` `+strconv.Itoa(n+8)+`"`) {
			t.Errorf("%q: viewBox for %d modules: %s", text, n, s[:160])
		}
		dark := map[[2]int]bool{}
		for _, m := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllStringSubmatch(s, -1) {
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			w, _ := strconv.Atoi(m[3])
			if m[3] != m[4] {
				t.Fatalf("a run that does not close: %s", m[0])
			}
			for i := range w {
				dark[[2]int{x + i - quiet, y - quiet}] = true
			}
		}
		for y := range n {
			for x := range n {
				if want := black(code.At(x, y)); dark[[2]int{x, y}] != want {
					t.Fatalf("%q: module (%d,%d) dark=%v, want %v", text, x, y, dark[[2]int{x, y}], want)
				}
			}
		}
	}
	if _, err := SVG(strings.Repeat("x", 5000), "too long"); err == nil {
		t.Error("a text too long for any QR code was drawn")
	}
}
