package i18n

import "testing"

func TestCount(t *testing.T) {
	tests := []struct {
		l          Lang
		n          int
		one, other string
		want       string
	}{
		{Da, 0, "minut", "minutter", "0 minutter"},
		{Da, 1, "minut", "minutter", "1 minut"},
		{Da, 2, "minut", "minutter", "2 minutter"},
		{Da, -1, "dag", "dage", "-1 dag"},
		{Da, 2000, "tegn", "tegn", "2.000 tegn"},
		{Da, 1234567, "skridt", "skridt", "1.234.567 skridt"},
		{En, 0, "minute", "minutes", "0 minutes"},
		{En, 1, "minute", "minutes", "1 minute"},
		{En, 21, "day", "days", "21 days"},
		{En, 2000, "character", "characters", "2,000 characters"},
	}
	for _, tt := range tests {
		if got := tt.l.Count(tt.n, tt.one, tt.other); got != tt.want {
			t.Errorf("%s Count(%d) = %q, want %q", tt.l, tt.n, got, tt.want)
		}
	}
}
