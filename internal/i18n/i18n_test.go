package i18n

import (
	"testing"
	"time"
)

func TestEveryKeyInEveryLanguage(t *testing.T) {
	for _, l := range Langs {
		for _, k := range Keys() {
			if !Has(l, k) {
				t.Errorf("%s: missing %q", l, k)
			}
		}
	}
	if len(catalogue[En]) != len(catalogue[Da]) {
		t.Errorf("en has %d keys, da %d", len(catalogue[En]), len(catalogue[Da]))
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		lang Lang
		date time.Time
		want string
	}{
		{Da, time.Date(2025, 7, 10, 0, 0, 0, 0, time.UTC), "10. juli 2025"},
		{Da, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "1. januar 2024"},
		{Da, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), "31. december 2024"},
		{En, time.Date(2025, 7, 10, 0, 0, 0, 0, time.UTC), "10 July 2025"},
	}
	for _, tt := range tests {
		if got := tt.lang.Date(tt.date); got != tt.want {
			t.Errorf("%s.Date(%v) = %q, want %q", tt.lang, tt.date, got, tt.want)
		}
	}
}
