package content

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

const goodClinic = `name: Klinik for Ryg og Bevægelse
address:
  - Fiolstræde 44
  - 1171 København K
phone: 33 12 34 56
hours: [Mandag–fredag kl. 8–16]
hoursEn: [Monday–Friday 8 am – 4 pm]
email: kontakt@klinik.example
web: https://klinik.example
region: hovedstaden
`

func TestParseClinic(t *testing.T) {
	c, probs := ParseClinic([]byte(goodClinic))
	if len(probs) != 0 || c == nil {
		t.Fatalf("good clinic: %v", probs)
	}
	want := &Clinic{
		Name: "Klinik for Ryg og Bevægelse", Address: []string{"Fiolstræde 44", "1171 København K"},
		Phone: Phone{"33 12 34 56", "tel:+4533123456"},
		Hours: []string{"Mandag–fredag kl. 8–16"}, HoursEn: []string{"Monday–Friday 8 am – 4 pm"},
		Email: "kontakt@klinik.example", Web: "https://klinik.example",
		Region: Regions[0], OutOfHours: Phone{"1813", "tel:1813"},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("clinic (-want +got):\n%s", diff)
	}

	// Each case changes one line of the good file (or adds one) and names
	// the problem it must give: file:line: severity: message.
	tests := []struct {
		name, from, to string
		want           string // the problem, as Problem.String
		ok             bool   // the clinic is kept (only warnings)
	}{
		{"missing name", "name: Klinik for Ryg og Bevægelse\n", "", "clinic.yaml:1: error: the clinic has no name", false},
		{"empty name", "name: Klinik for Ryg og Bevægelse", "name: ", "clinic.yaml:1: error: the clinic has no name", false},
		{"bad phone", "phone: 33 12 34 56", "phone: 33 12 34", `clinic.yaml:5: error: phone: "33 12 34" is not a Danish phone number`, false},
		{"letters in the phone", "phone: 33 12 34 56", "phone: ring os op", `clinic.yaml:5: error: phone: "ring os op" is not a phone number`, false},
		{"short number as the clinic's phone", "phone: 33 12 34 56", "phone: 1813", `clinic.yaml:5: error: phone: "1813" is not a Danish phone number`, false},
		{"missing phone", "phone: 33 12 34 56\n", "", "clinic.yaml:1: error: the clinic has no phone number", false},
		{"missing address", "address:\n  - Fiolstræde 44\n  - 1171 København K\n", "", "clinic.yaml:1: error: the clinic has no address", false},
		{"unknown region", "region: hovedstaden", "region: København", `clinic.yaml:10: error: unknown region "København": write one of hovedstaden, sjaelland, syddanmark, midtjylland, nordjylland`, false},
		{"missing region", "region: hovedstaden\n", "", "clinic.yaml:1: error: the clinic has no region", false},
		{"bad e-mail", "email: kontakt@klinik.example", "email: kontakt at klinik", `clinic.yaml:8: error: email "kontakt at klinik" is not an e-mail address`, false},
		{"bad web", "web: https://klinik.example", "web: klinik.example", `clinic.yaml:9: error: web "klinik.example" is not a web address`, false},
		{"bad out-of-hours", "region: hovedstaden", "region: hovedstaden\noutOfHours: 18 13 1", `clinic.yaml:11: error: outOfHours: "18 13 1" is not a Danish phone number`, false},
		{"name as a list", "name: Klinik for Ryg og Bevægelse", "name: [a, b]", `clinic.yaml:1: error: "name" must be a single value`, false},
		{"twice", "region: hovedstaden", "region: hovedstaden\nname: Anden klinik", `clinic.yaml:11: error: "name" is given twice`, false},
		{"broken YAML", "hours: [Mandag–fredag kl. 8–16]", "hours: [Mandag", "clinic.yaml:6: error: invalid YAML", false},
		{"unknown key", "region: hovedstaden", "region: hovedstaden\nfax: 33 12 34 57", `clinic.yaml:11: warning: unknown key "fax"`, true},
		{"no hours", "hours: [Mandag–fredag kl. 8–16]\nhoursEn: [Monday–Friday 8 am – 4 pm]\n", "", "clinic.yaml:1: warning: no opening hours", true},
		{"hoursEn not matching", "hoursEn: [Monday–Friday 8 am – 4 pm]", "hoursEn: [Monday 8–16, Tuesday 8–16]", "clinic.yaml:7: warning: hoursEn has 2 lines and hours 1", true},
		{"too long", "name: Klinik for Ryg og Bevægelse", "name: " + strings.Repeat("x", 121), `clinic.yaml:1: error: "name" is longer than 120 characters`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(goodClinic, tt.from) {
				t.Fatalf("%q is not in the good file", tt.from)
			}
			c, probs := ParseClinic([]byte(strings.Replace(goodClinic, tt.from, tt.to, 1)))
			if len(probs) != 1 || !strings.HasPrefix(probs[0].String(), tt.want) {
				t.Errorf("problems %v, want one: %s…", probs, tt.want)
			}
			if (c != nil) != tt.ok {
				t.Errorf("clinic kept = %v, want %v", c != nil, tt.ok)
			}
		})
	}
}

func TestParseClinicOutOfHours(t *testing.T) {
	for _, tt := range []struct {
		region, own string
		want        Phone
	}{
		{"hovedstaden", "", Phone{"1813", "tel:1813"}},
		{"sjaelland", "", Phone{"1818", "tel:1818"}},
		{"syddanmark", "", Phone{"70 11 07 07", "tel:+4570110707"}},
		{"midtjylland", "", Phone{"70 11 31 31", "tel:+4570113131"}},
		{"Nordjylland", "", Phone{"70 15 03 00", "tel:+4570150300"}},
		{"midtjylland", "+45 7011-3132", Phone{"70 11 31 32", "tel:+4570113132"}},
		{"hovedstaden", "113", Phone{"113", "tel:113"}},
	} {
		src := strings.Replace(goodClinic, "region: hovedstaden", "region: "+tt.region, 1)
		if tt.own != "" {
			src += "outOfHours: " + tt.own + "\n"
		}
		c, probs := ParseClinic([]byte(src))
		if len(probs) > 0 {
			t.Fatalf("%s %s: %v", tt.region, tt.own, probs)
		}
		if c.OutOfHours != tt.want {
			t.Errorf("%s %s: out of hours %v, want %v", tt.region, tt.own, c.OutOfHours, tt.want)
		}
	}
}

func TestParsePhone(t *testing.T) {
	for _, tt := range []struct {
		in    string
		short bool
		want  Phone
		err   bool
	}{
		{"33123456", false, Phone{"33 12 34 56", "tel:+4533123456"}, false},
		{"+45 33 12 34 56", false, Phone{"33 12 34 56", "tel:+4533123456"}, false},
		{"0045 3312 3456", false, Phone{"33 12 34 56", "tel:+4533123456"}, false},
		{"33.12.34.56", false, Phone{"33 12 34 56", "tel:+4533123456"}, false},
		{"112", true, Phone{"112", "tel:112"}, false},
		{"112", false, Phone{}, true},
		{"03 12 34 56", false, Phone{}, true},
		{"3312345", false, Phone{}, true},
		{"+46 33 12 34 56", false, Phone{}, true},
		{"+45 1813", true, Phone{}, true},
		{"", false, Phone{}, true},
	} {
		got, err := ParsePhone(tt.in, tt.short)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParsePhone(%q, %v) = %v, %v", tt.in, tt.short, got, err)
		}
	}
}

// TestClinicNamesTheSite: the clinic's name is the site's; a name in
// site.yaml beside clinic.yaml is warned about; a broken clinic.yaml
// leaves the clinic out and the site keeps its own name.
func TestClinicNamesTheSite(t *testing.T) {
	fsys := fstest.MapFS{
		"clinic.yaml": {Data: []byte(goodClinic)},
		"site.yaml":   {Data: []byte("# settings\nname: stenose\n")},
	}
	ix, probs := Load(fsys)
	if ix.Clinic == nil || ix.Site.Name != "Klinik for Ryg og Bevægelse" {
		t.Errorf("site name %q, clinic %v", ix.Site.Name, ix.Clinic)
	}
	if len(probs) != 1 || !strings.HasPrefix(probs[0].String(), "site.yaml:2: warning: name is ignored") {
		t.Errorf("problems %v", probs)
	}
	fsys["clinic.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(goodClinic, "33 12 34 56", "33", 1))}
	ix, probs = Load(fsys)
	if ix.Clinic != nil || ix.Site.Name != "stenose" || !probs.HasErrors() {
		t.Errorf("broken clinic: site name %q, clinic %v, problems %v", ix.Site.Name, ix.Clinic, probs)
	}
}

func TestClinicFrom(t *testing.T) {
	fallback := &Clinic{Region: Regions[0], OutOfHours: Regions[0].Number}
	tests := []struct {
		name                  string
		phone, region         string
		wantTel, wantOutHours string
	}{
		{"a phone and a region", "98 12 34 56", "nordjylland", "tel:+4598123456", mustRegion("nordjylland").Number.Tel},
		{"no region: the install's", "+45 98123456", "", "tel:+4598123456", Regions[0].Number.Tel},
		{"a phone that is none: as written, no link", "ring til os", "hovedstaden", "", mustRegion("hovedstaden").Number.Tel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ClinicFrom("Klinik", " Havnegade 3 \n\n9000 Aalborg", tt.phone, "a@b.dk", "Man–fre 8–15\n", tt.region, fallback)
			if c.Phone.Tel != tt.wantTel || c.OutOfHours.Tel != tt.wantOutHours {
				t.Errorf("phone %+v, out of hours %+v", c.Phone, c.OutOfHours)
			}
			if len(c.Address) != 2 || c.Address[0] != "Havnegade 3" || len(c.Hours) != 1 || c.Email != "a@b.dk" {
				t.Errorf("lines: %+v", c)
			}
		})
	}
	if c := ClinicFrom("K", "", "", "", "", "", nil); c.OutOfHours.Tel != "" || c.Phone.Text != "" {
		t.Errorf("nothing given, no fallback: %+v", c)
	}
}

func mustRegion(key string) Region {
	r, ok := RegionByKey(key)
	if !ok {
		panic(key)
	}
	return r
}
