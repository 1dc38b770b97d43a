package humancode

import "testing"

func TestRead(t *testing.T) {
	for _, tt := range []struct {
		in  string
		n   int
		raw string
	}{
		{"abcde-fghjk", 10, "ABCDEFGHJK"},
		{"O1IL0 oill0", 10, "0111001110"},
		{"ABCDE-FGHJU", 10, ""}, // U
		{"ABCDE", 10, ""},
		{"ABCDEFGHJKM", 10, ""},
	} {
		raw, ok := Read(tt.in, tt.n)
		if raw != tt.raw || ok != (tt.raw != "") {
			t.Errorf("Read(%q, %d) = %q, %v; want %q", tt.in, tt.n, raw, ok, tt.raw)
		}
	}
	if g := Group("ABCDEFGHJK", 5, "-"); g != "ABCDE-FGHJK" {
		t.Errorf("Group = %q", g)
	}
	if c := New(10); len(c) != 10 {
		t.Errorf("New(10) = %q", c)
	} else if r, ok := Read(c, 10); !ok || r != c {
		t.Errorf("Read(New) = %q, %v", r, ok)
	}
}
