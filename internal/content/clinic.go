package content

// clinic.yaml: the clinic's details (issue 12, "The clinic visible"). They
// appear on every page, on the handout, on the sign-in page and beside
// every advice that says to contact the clinic; the region's out-of-hours
// number appears beside the urgent advice (docs/sources.md, "Red flags":
// in Denmark one calls before going to an emergency department).

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/mail"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ClinicFile is the clinic's details' file in the content folder.
const ClinicFile = "clinic.yaml"

// Clinic is clinic.yaml: who the patient's clinic is and how to reach it.
type Clinic struct {
	Name    string
	Address []string // the lines of the address, e.g. "Nørre Voldgade 12", "1358 København K"
	Phone   Phone
	// Hours are the opening hours, one line each ("Mandag–torsdag kl. 8–16");
	// HoursEn the same in English (empty: not given).
	Hours, HoursEn []string
	Email          string // optional
	Web            string // optional, an http(s) address
	Region         Region
	// OutOfHours is the number to call outside the own doctor's opening
	// hours: the region's (Regions), or the clinic's own outOfHours.
	OutOfHours Phone
}

// Phone is a Danish phone number as shown ("33 12 34 56") and as a
// tap-to-call address ("tel:+4533123456").
type Phone struct {
	Text string
	Tel  string
}

// Region is one of the five Danish regions and its out-of-hours service.
type Region struct {
	Key            string // as written in clinic.yaml: "hovedstaden"
	NameDa, NameEn string // "Region Hovedstaden", "the Capital Region of Denmark"
	// ServiceDa and ServiceEn name the out-of-hours service that answers
	// the number ("Akuttelefonen" on 1813, "Lægevagten" on 70 11 31 31).
	ServiceDa, ServiceEn string
	Number               Phone
}

// Regions are the five Danish regions with their out-of-hours numbers
// (docs/sources.md, "Red flags"): Region Hovedstaden's Akuttelefonen 1813;
// Region Sjælland's 1818, one number for Lægevagten and the emergency
// departments since 1 October 2022 (it replaced 70 15 07 00); Lægevagten
// on 70 11 07 07 (Syddanmark), 70 11 31 31 (Midtjylland) and 70 15 03 00
// (Nordjylland). A clinic whose number has changed writes its own
// outOfHours: in clinic.yaml.
var Regions = []Region{
	{Key: "hovedstaden", NameDa: "Region Hovedstaden", NameEn: "the Capital Region of Denmark",
		ServiceDa: "Akuttelefonen", ServiceEn: "the medical helpline", Number: mustPhone("1813")},
	{Key: "sjaelland", NameDa: "Region Sjælland", NameEn: "Region Zealand",
		ServiceDa: "Lægevagten", ServiceEn: "the out-of-hours doctor (Lægevagten)", Number: mustPhone("1818")},
	{Key: "syddanmark", NameDa: "Region Syddanmark", NameEn: "the Region of Southern Denmark",
		ServiceDa: "Lægevagten", ServiceEn: "the out-of-hours doctor (Lægevagten)", Number: mustPhone("70 11 07 07")},
	{Key: "midtjylland", NameDa: "Region Midtjylland", NameEn: "the Central Denmark Region",
		ServiceDa: "Lægevagten", ServiceEn: "the out-of-hours doctor (Lægevagten)", Number: mustPhone("70 11 31 31")},
	{Key: "nordjylland", NameDa: "Region Nordjylland", NameEn: "the North Denmark Region",
		ServiceDa: "Lægevagten", ServiceEn: "the out-of-hours doctor (Lægevagten)", Number: mustPhone("70 15 03 00")},
}

// Emergency is the number to call when life is in danger.
var Emergency = mustPhone("112")

func mustPhone(s string) Phone {
	p, err := ParsePhone(s, true)
	if err != nil {
		panic(err)
	}
	return p
}

// ParsePhone reads a Danish phone number: eight digits (spaces, hyphens
// and dots between them allowed, "+45" or "0045" before them), or, when
// short is true, a short number of three or four digits starting with 1
// (112, 1813). It is shown in pairs ("33 12 34 56").
func ParsePhone(s string, short bool) (Phone, error) {
	in := strings.TrimSpace(s)
	d := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '\u00a0':
			return -1
		}
		return r
	}, in)
	intl := false
	for _, p := range []string{"+45", "0045"} {
		if rest, ok := strings.CutPrefix(d, p); ok && len(rest) == 8 {
			d, intl = rest, true
		}
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return Phone{}, fmt.Errorf("%q is not a phone number: write the 8 digits, for example 33 12 34 56", in)
		}
	}
	switch {
	case len(d) == 8 && d[0] != '0' && d[0] != '1':
		return Phone{Text: d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8], Tel: "tel:+45" + d}, nil
	case short && !intl && (len(d) == 3 || len(d) == 4) && d[0] == '1':
		return Phone{Text: d, Tel: "tel:" + d}, nil
	case short:
		return Phone{}, fmt.Errorf("%q is not a Danish phone number: write 8 digits (70 11 31 31) or a short number (1813)", in)
	}
	return Phone{}, fmt.Errorf("%q is not a Danish phone number: write the 8 digits, for example 33 12 34 56", in)
}

// RegionByKey returns the region written key in clinic.yaml.
func RegionByKey(key string) (Region, bool) {
	for _, r := range Regions {
		if r.Key == key {
			return r, true
		}
	}
	return Region{}, false
}

// RegionKeys lists the regions' keys as clinic.yaml writes them,
// for an error message: "hovedstaden, sjaelland, …".
func RegionKeys() string {
	ks := make([]string, len(Regions))
	for i, r := range Regions {
		ks[i] = r.Key
	}
	return strings.Join(ks, ", ")
}

var clinicKeys = map[string]bool{
	"name": true, "address": true, "phone": true, "hours": true, "hoursEn": true,
	"email": true, "web": true, "region": true, "outOfHours": true,
}

// maxClinicText caps every text of clinic.yaml (they stand in the footer
// of every page).
const maxClinicText = 120

// loadClinic reads clinic.yaml, when there is one. A clinic with an error
// is left out (nil), as a broken article is; every problem names its line.
func loadClinic(fsys fs.FS, probs *Problems) *Clinic {
	src, err := fs.ReadFile(fsys, ClinicFile)
	if err != nil {
		return nil // optional
	}
	c, ps := ParseClinic(src)
	*probs = append(*probs, ps...)
	if ps.HasErrors() {
		return nil
	}
	return c
}

// ParseClinic parses and validates clinic.yaml's source. The clinic is nil
// when there is an error; every problem is returned, with its line.
func ParseClinic(src []byte) (*Clinic, Problems) {
	var probs Problems
	p := problems{ClinicFile, &probs}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		msg := strings.TrimPrefix(yamlLineRE.ReplaceAllString(err.Error(), ""), "yaml: ")
		p.errorf(yamlErrorLine(src, err), "invalid YAML: %s", msg)
		return nil, probs
	}
	fields := map[string]*yaml.Node{}
	lines := map[string]int{}
	if len(doc.Content) > 0 {
		m := doc.Content[0]
		if m.Kind != yaml.MappingNode {
			p.errorf(m.Line, "the clinic's details must be key: value lines (name: …, phone: …)")
			return nil, probs
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			switch {
			case !clinicKeys[k.Value]:
				p.warnf(k.Line, "unknown key %q (known: %s); it is ignored", k.Value, knownList(clinicKeys))
			case fields[k.Value] != nil:
				p.errorf(k.Line, "%q is given twice", k.Value)
			default:
				fields[k.Value], lines[k.Value] = v, k.Line
			}
		}
	}
	c := &Clinic{}
	bad := map[string]bool{} // keys whose value has been reported as the wrong kind
	missing := func(key string, format string, args ...any) {
		if !bad[key] {
			p.errorf(max(lines[key], 1), format, args...)
		}
	}
	// text reads a single value; ok is false when it is absent or empty.
	text := func(key string) (string, int, bool) {
		v := fields[key]
		if v == nil {
			return "", 1, false
		}
		if v.Kind != yaml.ScalarNode {
			p.errorf(lines[key], "%q must be a single value, not a list or a map", key)
			bad[key] = true
			return "", lines[key], false
		}
		s := strings.TrimSpace(v.Value)
		if v.Tag == "!!null" || s == "" {
			return "", lines[key], false
		}
		if utf8.RuneCountInString(s) > maxClinicText {
			p.errorf(v.Line, "%q is longer than %d characters", key, maxClinicText)
		}
		return s, v.Line, true
	}
	// list reads one value or a list of them, one line each.
	list := func(key string) ([]string, int) {
		v := fields[key]
		if v == nil {
			return nil, 1
		}
		var nodes []*yaml.Node
		switch v.Kind {
		case yaml.ScalarNode:
			nodes = []*yaml.Node{v}
		case yaml.SequenceNode:
			nodes = v.Content
		default:
			p.errorf(lines[key], "%q must be a line or a list of lines", key)
			bad[key] = true
			return nil, lines[key]
		}
		var out []string
		for _, n := range nodes {
			if n.Kind != yaml.ScalarNode {
				p.errorf(n.Line, "%q must be a list of lines, not of lists or maps", key)
				continue
			}
			s := strings.TrimSpace(n.Value)
			if n.Tag == "!!null" || s == "" {
				continue
			}
			if utf8.RuneCountInString(s) > maxClinicText {
				p.errorf(n.Line, "a line of %q is longer than %d characters", key, maxClinicText)
			}
			out = append(out, s)
		}
		return out, lines[key]
	}

	if s, _, ok := text("name"); ok {
		c.Name = s
	} else {
		missing("name", "the clinic has no name: add a line  name: …")
	}
	c.Address, _ = list("address")
	if len(c.Address) == 0 {
		missing("address", "the clinic has no address: add a line  address: [\"Street 1\", \"1234 Town\"]")
	}
	if s, line, ok := text("phone"); !ok {
		missing("phone", "the clinic has no phone number: add a line  phone: 33 12 34 56")
	} else if ph, err := ParsePhone(s, false); err != nil {
		p.errorf(line, "phone: %v", err)
	} else {
		c.Phone = ph
	}
	c.Hours, _ = list("hours")
	if len(c.Hours) == 0 {
		p.warnf(max(lines["hours"], 1), "no opening hours: add  hours: [\"Mandag–fredag kl. 8–16\"]  so patients know when to call")
	}
	var line int
	c.HoursEn, line = list("hoursEn")
	if len(c.HoursEn) > 0 && len(c.HoursEn) != len(c.Hours) {
		p.warnf(line, "hoursEn has %d lines and hours %d: give the same lines in English", len(c.HoursEn), len(c.Hours))
	}
	if s, line, ok := text("email"); ok {
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s || a.Name != "" {
			p.errorf(line, "email %q is not an e-mail address (write it as name@example.dk)", s)
		} else {
			c.Email = s
		}
	}
	if s, line, ok := text("web"); ok {
		if u, err := url.Parse(s); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			p.errorf(line, "web %q is not a web address: write it with https://", s)
		} else {
			c.Web = s
		}
	}
	if s, line, ok := text("region"); !ok {
		missing("region", "the clinic has no region: add a line  region: …  (one of %s); it decides the out-of-hours number on the urgent advice", RegionKeys())
	} else if r, ok := RegionByKey(strings.ToLower(s)); !ok {
		p.errorf(line, "unknown region %q: write one of %s", s, RegionKeys())
	} else {
		c.Region, c.OutOfHours = r, r.Number
	}
	if s, line, ok := text("outOfHours"); ok {
		if ph, err := ParsePhone(s, true); err != nil {
			p.errorf(line, "outOfHours: %v", err)
		} else {
			c.OutOfHours = ph
		}
	}
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	if probs.HasErrors() {
		return nil, probs
	}
	return c, probs
}

// HoursIn are the opening hours in English when en and the clinic gave
// them, else in Danish.
func (c *Clinic) HoursIn(en bool) []string {
	if en && len(c.HoursEn) > 0 {
		return c.HoursEn
	}
	return c.Hours
}

// ClinicFrom is a clinic's details as the database keeps them
// (internal/store.Clinic: the address and the opening hours one line per
// line, the region's key), for the pages of that clinic's own patients and
// staff. A clinic that names no region has the install's (fallback:
// content/clinic.yaml, may be nil): the out-of-hours number is the
// region's. A phone number that does not read as one is shown as written,
// without a tap-to-call address.
func ClinicFrom(name, address, phone, email, hours, region string, fallback *Clinic) *Clinic {
	c := &Clinic{Name: name, Address: lines(address), Hours: lines(hours), Email: email}
	if p, err := ParsePhone(phone, false); err == nil {
		c.Phone = p
	} else {
		c.Phone = Phone{Text: strings.TrimSpace(phone)}
	}
	if r, ok := RegionByKey(region); ok {
		c.Region, c.OutOfHours = r, r.Number
	} else if fallback != nil {
		c.Region, c.OutOfHours = fallback.Region, fallback.OutOfHours
	}
	return c
}

// lines are s's non-empty lines, trimmed.
func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
