package web

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestSessionCodec(t *testing.T) {
	deadline := time.Date(2026, 11, 26, 9, 30, 0, 123, time.UTC)
	tests := []struct {
		name   string
		values map[string]any
	}{
		{"empty", map[string]any{}},
		{"signed in", map[string]any{sessionUserKey: int64(42)}},
		{"flash", map[string]any{sessionUserKey: int64(1), "flash": "Din adgangskode er skiftet. ÆØÅ æøå"}},
		{"extremes", map[string]any{"min": int64(-1 << 63), "max": int64(1<<63 - 1), "zero": int64(0), "": ""}},
		{"bools", map[string]any{"t": true, "f": false}},
		{"kept", map[string]any{sessionUserKey: int64(42), sessionKeepKey: true, "flash": "hej"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := sessionCodec{}.Encode(deadline, tt.values)
			if err != nil {
				t.Fatal(err)
			}
			d, v, err := sessionCodec{}.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Equal(deadline) {
				t.Errorf("deadline %v, want %v", d, deadline)
			}
			if diff := cmp.Diff(tt.values, v); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
			b2, _ := sessionCodec{}.Encode(deadline, v)
			if string(b2) != string(b) {
				t.Error("encoding the decoded values gives other bytes")
			}
			hd, keep, ok := headOf(b)
			if !ok || !hd.Equal(deadline) || keep != (tt.values[sessionKeepKey] == true) {
				t.Errorf("headOf: %v %v %v", hd, keep, ok)
			}
		})
	}

	t.Run("the keep choice, as the store reads it", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			values map[string]any
			keep   bool
		}{
			{"ticked", map[string]any{sessionKeepKey: true}, true},
			{"not ticked", map[string]any{sessionUserKey: int64(1)}, false},
			{"false", map[string]any{sessionKeepKey: false}, false},
			{"not a bool", map[string]any{sessionKeepKey: "ja"}, false},
			{"another key", map[string]any{"keeps": true, "kee": true}, false},
			{"among others", map[string]any{"a": "x", sessionKeepKey: true, "z": int64(-5), sessionUserKey: int64(9)}, true},
		} {
			b, err := sessionCodec{}.Encode(deadline, tc.values)
			if err != nil {
				t.Fatal(err)
			}
			if _, keep, ok := headOf(b); !ok || keep != tc.keep {
				t.Errorf("%s: keep %v (%v), want %v", tc.name, keep, ok, tc.keep)
			}
			if testing.AllocsPerRun(100, func() { headOf(b) }) != 0 {
				t.Errorf("%s: headOf allocates", tc.name)
			}
			// A gob session (an older stenose) is read by decoding it.
			g, err := scs.GobCodec{}.Encode(deadline, tc.values)
			if err != nil {
				t.Fatal(err)
			}
			if d, keep, ok := headOf(g); !ok || keep != tc.keep || !d.Equal(deadline) {
				t.Errorf("%s, gob: %v %v %v", tc.name, d, keep, ok)
			}
		}
	})

	t.Run("unsupported type", func(t *testing.T) {
		if _, err := (sessionCodec{}).Encode(deadline, map[string]any{"n": 3}); err == nil {
			t.Error("an int (not int64) was accepted and would come back as something else")
		}
	})

	t.Run("sessions saved with gob", func(t *testing.T) {
		want := map[string]any{sessionUserKey: int64(7), "flash": "hej"}
		b, err := scs.GobCodec{}.Encode(deadline, want)
		if err != nil {
			t.Fatal(err)
		}
		_, v, err := sessionCodec{}.Decode(b)
		if err != nil || !cmp.Equal(want, v) {
			t.Errorf("gob session: %v, %v", v, err)
		}
		if userOf(b) != 7 {
			t.Errorf("userOf(gob) = %d", userOf(b))
		}
	})

	t.Run("gob deadline with nanoseconds past a second", func(t *testing.T) {
		// time.Time's binary form does not check its nanoseconds; a gob
		// session (read from the database, or forged) may hold 1.05 s of
		// them. Found by FuzzSessionCodec: it must decode to the same
		// instant, written in range, and survive a round trip.
		at := time.Unix(5e9, 0).UTC()
		b, err := scs.GobCodec{}.Encode(at, map[string]any{})
		if err != nil {
			t.Fatal(err)
		}
		tb, _ := at.MarshalBinary()
		i := bytes.Index(b, tb)
		if i < 0 {
			t.Fatal("time's binary form not found in the gob stream")
		}
		binary.BigEndian.PutUint32(b[i+9:], 1_056_964_608)
		d, _, err := sessionCodec{}.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if want := at.Add(1_056_964_608); !d.Equal(want) || d.Nanosecond() >= 1e9 {
			t.Fatalf("deadline %v (ns %d), want %v", d, d.Nanosecond(), want)
		}
		enc, err := sessionCodec{}.Encode(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d2, _, err := (sessionCodec{}).Decode(enc); err != nil || !d2.Equal(d) {
			t.Fatalf("round trip: %v → %v %v", d, d2, err)
		}
	})

	t.Run("malformed", func(t *testing.T) {
		good, _ := sessionCodec{}.Encode(deadline, map[string]any{"flash": "hej", sessionUserKey: int64(9)})
		for i := len(codecMagic); i < len(good); i++ {
			if _, _, err := (sessionCodec{}).Decode(good[:i]); err == nil {
				t.Errorf("cut at %d of %d bytes: decoded without error", i, len(good))
			}
		}
		if _, _, err := (sessionCodec{}).Decode(append(good, 0)); err == nil {
			t.Error("trailing byte accepted")
		}
		if _, _, err := (sessionCodec{}).Decode(nil); err == nil {
			t.Error("no bytes accepted")
		}
	})
}

// FuzzSessionCodec: decoding never panics, what decodes encodes back to
// values that decode the same, and headOf reads what Decode reads.
func FuzzSessionCodec(f *testing.F) {
	for _, v := range []map[string]any{{}, {sessionUserKey: int64(42), "flash": "hej"}, {"b": true}, {sessionUserKey: int64(7), sessionKeepKey: true}} {
		b, _ := sessionCodec{}.Encode(time.Unix(1e9, 0), v)
		f.Add(b)
	}
	gob, _ := scs.GobCodec{}.Encode(time.Unix(1e9, 0), map[string]any{"x": int64(1)})
	f.Add(gob)
	f.Add([]byte("S1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, v, err := sessionCodec{}.Decode(b)
		// The store's quick read agrees with Decode: the same deadline and
		// keep choice, and no answer where Decode has none.
		hd, keep, ok := headOf(b)
		if ok != (err == nil) || ok && (!hd.Equal(d) || keep != (v[sessionKeepKey] == true)) {
			t.Fatalf("headOf %v %v %v, Decode %v %v %v", hd, keep, ok, d, v, err)
		}
		if err != nil {
			return
		}
		enc, err := sessionCodec{}.Encode(d, v)
		if err != nil {
			return // a gob session may hold types this codec does not write
		}
		d2, v2, err := sessionCodec{}.Decode(enc)
		if err != nil || !d2.Equal(d) || !cmp.Equal(v, v2, cmpopts.EquateEmpty()) {
			t.Fatalf("round trip: %v %v → %v %v %v", d, v, d2, v2, err)
		}
	})
}

// BenchmarkSessionHead: what the session store reads of every session it
// finds (the deadline and the keep choice), by headOf and by a full Decode.
func BenchmarkSessionHead(b *testing.B) {
	data, err := sessionCodec{}.Encode(time.Unix(2e9, 0), map[string]any{
		sessionUserKey: int64(4711), sessionKeepKey: true, "flash": "flashPassword", "lang": "da"})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("headOf", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, keep, ok := headOf(data); !keep || !ok {
				b.Fatal("not kept")
			}
		}
	})
	b.Run("Decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, v, err := (sessionCodec{}).Decode(data); err != nil || v[sessionKeepKey] != true {
				b.Fatal("not kept")
			}
		}
	})
}
