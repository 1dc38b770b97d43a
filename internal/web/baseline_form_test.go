package web

// The baseline form for older hands: the pain on the diary's 0–10 tap
// scales, each time of the walking test as whole minutes and seconds in
// two number fields, not "mm:ss" typed as text.

import "testing"

// TestBaselineFormFields: the form's fields, what the server reads from
// them (and still from a form of the earlier "3:15" kind), and what it
// shows again after an error.
func TestBaselineFormFields(t *testing.T) {
	st := openSQLite(t)
	e := newEnv(t, st, nil)
	c := e.signUp("anna")
	id := userID(t, st, "anna")
	want(t, "red flags", c.post("/start/roede-flag", allNo()...), 303, "/start")

	r := c.get("/start/udgangspunkt")
	want(t, "baseline form", r, 200, "")
	for _, f := range []string{"leg", "back"} {
		contains(t, "baseline form", r.body, `<fieldset class="scale" aria-describedby="`+f+`-ends">`,
			`<input id="`+f+`" type="radio" name="`+f+`" value="0" required>`, `<input id="`+f+`-10" type="radio" name="`+f+`" value="10">`)
	}
	contains(t, "baseline form", r.body, "0 = ingen smerter", "10 = værst tænkelige",
		`<input id="first" name="first-min" type="number"`, `<input id="first-sec" name="first-sec" type="number"`,
		`<input id="stop" name="stop-min" type="number"`, `<input id="stop-sec" name="stop-sec" type="number"`,
		`<label for="first">Minutter</label>`, `<label for="stop-sec">Sekunder</label>`)
	lacks(t, "baseline form", r.body, `type="text"`, "Minutter:sekunder", `name="leg" type="text"`)

	// Errors: the seconds past 59, a pain left out; what was typed and
	// chosen is shown again, the summary links to the minutes' field.
	r = c.post("/start/udgangspunkt", "first-min", "3", "first-sec", "75", "stop-min", "6", "stop-sec", "30", "leg", "6")
	want(t, "bad baseline", r, 422, "")
	contains(t, "bad baseline", r.body, `id="first-error"`, `id="back-error"`, `href="#first"`, `href="#back"`,
		`name="first-sec" type="number" inputmode="numeric" min="0" max="59" step="1" autocomplete="off" value="75"`,
		`name="stop-min" type="number" inputmode="numeric" min="0" max="30" step="1" autocomplete="off" value="6"`)
	if got := checkedPain(r.body, "leg"); got != "6" {
		t.Errorf("the legs' pain after an error: %q checked, want 6", got)
	}
	if _, err := st.LatestBaseline(t.Context(), id); err == nil {
		t.Fatal("a bad baseline was stored")
	}

	// Minutes alone are whole minutes.
	want(t, "baseline", c.post("/start/udgangspunkt", "first-min", "3", "first-sec", "15", "stop-min", "6", "stop-sec", "", "leg", "6", "back", "4"), 303, "/start")
	b, err := st.LatestBaseline(t.Context(), id)
	if err != nil || b.SPWTFirstSymptomsSeconds == nil || *b.SPWTFirstSymptomsSeconds != 195 || b.SPWTStopSeconds != 360 || b.NRSLeg != 6 || b.NRSBack != 4 {
		t.Fatalf("baseline %+v %v", b, err)
	}
}

// TestBaselineTimeParts: the two number fields of one time, and the one
// text field of a form of the earlier kind, read into seconds.
func TestBaselineTimeParts(t *testing.T) {
	for _, tc := range []struct {
		kv       []string
		secs     int
		state    timeState
		min, sec string // shown again
	}{
		{[]string{"stop-min", "6", "stop-sec", "30"}, 390, timeOK, "6", "30"},
		{[]string{"stop-min", " 6 ", "stop-sec", ""}, 360, timeOK, "6", ""},
		{[]string{"stop-min", "", "stop-sec", "45"}, 45, timeOK, "", "45"},
		{[]string{"stop-min", "0", "stop-sec", "0"}, 0, timeOK, "0", "0"},
		{[]string{"stop-min", "", "stop-sec", ""}, 0, timeEmpty, "", ""},
		{[]string{"stop-min", "6", "stop-sec", "60"}, 0, timeBadSeconds, "6", "60"},
		{[]string{"stop-min", "6,5", "stop-sec", ""}, 0, timeBad, "", ""},
		{[]string{"stop-min", "-1", "stop-sec", ""}, 0, timeBad, "", ""},
		{[]string{"stop-min", "99999", "stop-sec", ""}, 0, timeBad, "", ""},
		// A form of the earlier kind: one text field.
		{[]string{"stop", "6:30"}, 390, timeOK, "6", "30"},
		{[]string{"stop", "6"}, 360, timeOK, "6", "0"},
		{[]string{"stop", ""}, 0, timeEmpty, "", ""},
		{[]string{"stop", "9:99"}, 0, timeBad, "9", "99"},
		{[]string{"stop", "x"}, 0, timeBad, "", ""},
		// Both kinds: the number fields win.
		{[]string{"stop", "1:00", "stop-min", "2"}, 120, timeOK, "2", ""},
	} {
		f := map[string][]string{}
		for i := 0; i+1 < len(tc.kv); i += 2 {
			f[tc.kv[i]] = append(f[tc.kv[i]], tc.kv[i+1])
		}
		secs, state, min, sec := readTime(f, "stop")
		if state != tc.state || (state == timeOK && secs != tc.secs) || min != tc.min || sec != tc.sec {
			t.Errorf("%q: %d s, state %d, shown %q %q; want %d s, state %d, shown %q %q", tc.kv, secs, state, min, sec, tc.secs, tc.state, tc.min, tc.sec)
		}
	}
}

// timeValues are the baseline form's number fields of the times as the
// body shows them: field, minutes, seconds, field, minutes, seconds, ….
func timeValues(fmv ...string) []string {
	var out []string
	for i := 0; i+2 < len(fmv); i += 3 {
		f := fmv[i]
		out = append(out, `<input id="`+f+`" name="`+f+`-min" type="number" inputmode="numeric" min="0" max="30" step="1" autocomplete="off" value="`+fmv[i+1]+`"`,
			`<input id="`+f+`-sec" name="`+f+`-sec" type="number" inputmode="numeric" min="0" max="59" step="1" autocomplete="off" value="`+fmv[i+2]+`"`)
	}
	return out
}
