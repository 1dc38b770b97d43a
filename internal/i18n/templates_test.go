package i18n

import (
	"html/template"
	"strings"
	"testing"
)

func TestCheckTemplate(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each in the error; none: no error
	}{
		{"known keys", `{{define "main"}}{{.L.navHome}} {{$.L.navLabel}} {{index .L "skip"}}{{with .X}}{{$.L.homeLead}}{{end}}{{end}}`, nil},
		{"field", `{{.L.navHome}} {{.L.noSuchKey}}`, []string{`t:1:19: the catalogue has no text "noSuchKey"`}},
		{"variable in range", "{{range .Xs}}\n{{$.L.alsoMissing}}{{end}}", []string{`t:2:3: the catalogue has no text "alsoMissing"`}},
		{"index", `{{if .Y}}{{index .L "viaIndex"}}{{end}}`, []string{`"viaIndex"`}},
		{"in a block", `{{define "other"}}{{if .L.inBlock}}x{{end}}{{end}}`, []string{`"inBlock"`}},
		{"argument", `{{printf "%s" .L.asArg}}`, []string{`"asArg"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := template.Must(template.New("t").Parse(tt.src))
			err := CheckTemplate(tm)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
