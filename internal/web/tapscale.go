package web

// The 0–10 tap scale of the diary's pain, the baseline's pain and the PSFS
// scores ({{template "scale"}} in layout.html).

import (
	"strconv"
	"strings"
)

// tapScale is a 0–10 tap scale: one large radio button per value in a
// fieldset, the ends named beneath ({{template "scale"}} in layout.html).
// The diary's and the baseline's pain and the PSFS's scores use it.
type tapScale struct {
	Field, Legend, Error string
	// Low and High name the ends: "0 = Low", "10 = High".
	Low, High string
	// Required: an answer must be given (the first button says so).
	Required bool
	// None, when not "", is the label of a last choice that sends no
	// number: the way back from a number chosen by mistake.
	None string
	// ErrorPrefix is the words a screen reader says before the error.
	ErrorPrefix string
	Values      []scaleValue
}

type scaleValue struct {
	N int
	// ID is the radio button's id: the first one's is the field's own, so
	// the error summary's link (#leg) lands in the group.
	ID      string
	Checked bool
}

// PainScales are the two pain scales of the diary and the baseline, legs
// then back, with the value chosen (or kept after an error) checked.
func (v *view) PainScales() []tapScale {
	return []tapScale{v.painScale("leg", "diaryLeg"), v.painScale("back", "diaryBack")}
}

func (v *view) painScale(field, legend string) tapScale {
	return v.newScale(field, v.T(legend), v.T("diaryPainNone"), v.T("diaryPainWorst"), true)
}

// newScale is the tap scale of field with the value in v.Form checked.
func (v *view) newScale(field, legend, low, high string, required bool) tapScale {
	s := tapScale{Field: field, Legend: legend, Error: v.Errors[field], Low: low, High: high,
		Required: required, ErrorPrefix: v.T("errorPrefix")}
	chosen := strings.TrimSpace(v.Form[field])
	for n := 0; n <= 10; n++ {
		id := field + "-" + strconv.Itoa(n)
		if n == 0 {
			id = field
		}
		s.Values = append(s.Values, scaleValue{N: n, ID: id, Checked: chosen == strconv.Itoa(n)})
	}
	return s
}
