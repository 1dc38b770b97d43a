package fhir

// The bundle's entries, one builder method per kind of record: the patient
// and their clinic, the programme's CarePlans, the red-flag screens, the
// Observations (baselines, diary, walks, PSFS), the sessions, and the
// clinic's own code systems. fhir.go holds the bundle and the builder.

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	fm "github.com/samply/golang-fhir-models/fhir-models/fhir"

	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/programme"
	"github.com/stenose/stenose/internal/rules"
	"github.com/stenose/stenose/internal/store"
)

// ---- The patient and their clinic ----

// languageNames are the BCP 47 languages a patient may choose, with the
// language's English name (the display urn:ietf:bcp:47 gives).
var languageNames = map[string]string{"da": "Danish", "en": "English"}

func (b *builder) patientEntry() {
	u := b.r.Export.User
	if c := b.r.Export.Clinic; c != nil {
		id, ref := b.ident("Organization", strconv.FormatInt(c.ID, 10))
		o := fm.Organization{
			Id:         &id,
			Identifier: []fm.Identifier{{System: ptr(b.base + "/fhir/sid/clinic"), Value: ptr(c.Slug)}},
			Active:     ptr(true),
			Name:       text(c.Name),
		}
		if c.Phone != "" {
			o.Telecom = append(o.Telecom, fm.ContactPoint{System: ptr(fm.ContactPointSystemPhone), Value: ptr(c.Phone)})
		}
		if c.Email != "" {
			o.Telecom = append(o.Telecom, fm.ContactPoint{System: ptr(fm.ContactPointSystemEmail), Value: ptr(c.Email)})
		}
		if lines := nonEmptyLines(c.Address); len(lines) > 0 {
			o.Address = []fm.Address{{Line: lines, Text: ptr(strings.Join(lines, ", "))}}
		}
		ref.Display = ptr(c.Name)
		b.clinic = &ref
		defer b.add(secPatient, id, o) // after the patient
	}
	id, ref := b.ident("Patient", strconv.FormatInt(u.ID, 10))
	b.patient = ref
	p := fm.Patient{
		Id: &id,
		// No CPR number is stored, so none is sent: the patient is known
		// by their number in this installation.
		Identifier: []fm.Identifier{{System: ptr(b.base + "/fhir/sid/patient"), Value: ptr(strconv.FormatInt(u.ID, 10))}},
		Active:     ptr(!u.Disabled()),
	}
	if u.Name != "" {
		p.Name = []fm.HumanName{{Text: ptr(u.Name)}}
	}
	if name, ok := languageNames[u.Lang]; ok {
		p.Communication = []fm.PatientCommunication{{
			Language:  cc(b.l.T("fhir_lang_"+u.Lang), fm.Coding{System: ptr(systemLanguage), Code: ptr(u.Lang), Display: ptr(name)}),
			Preferred: ptr(true),
		}}
	}
	p.ManagingOrganization = b.clinic
	b.add(secPatient, id, p)
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// ---- The programme: CarePlans and the walking Goal ----

func (b *builder) planEntries() {
	plans := b.r.Plans
	if len(plans) == 0 {
		return
	}
	if b.r.WalkTarget > 0 {
		id, ref := b.ident("Goal", "walk")
		b.goal = &ref
		b.add(secPlan, id, fm.Goal{
			Id:              &id,
			LifecycleStatus: fm.GoalLifecycleStatusActive,
			Description:     cc(b.l.N("fhir_walkGoal", b.r.WalkTarget), b.local(csMeasures, codeWalk)),
			Subject:         b.patient,
			Target: []fm.GoalTarget{{
				Measure: ptr(cc(b.l.T("fhir_walkTime"), coding(loincExerciseDuration))),
				DetailQuantity: &fm.Quantity{Value: ptr(json.Number(strconv.Itoa(b.r.WalkTarget))), Unit: ptr("min"),
					System: ptr(systemUCUM), Code: ptr("min")},
			}},
		})
	}
	for i, p := range plans {
		key := "programme/default"
		if p.Version != nil {
			key = "programme/" + strconv.FormatInt(p.Version.ID, 10)
		}
		id, ref := b.ident("CarePlan", key)
		current := i == len(plans)-1
		pr := planRef{ref: ref, start: p.Start}
		if !current {
			pr.end = plans[i+1].Start
		}
		b.plans = append(b.plans, pr)
		slug := ""
		if p.Programme != nil {
			slug = p.Programme.Slug
		}
		if p.Version != nil && slug == "" {
			slug = p.Version.Base
		}
		c := fm.CarePlan{
			Id:      &id,
			Status:  fm.RequestStatusActive,
			Intent:  fm.CarePlanIntentPlan,
			Title:   text(b.programmeName(p.Programme, slug)),
			Subject: b.patient,
			Period:  &fm.Period{Start: b.dateTime(p.Start), End: b.dateTimeOrNil(pr.end)},
		}
		if slug != "" {
			c.InstantiatesUri = []string{b.base + "/program/" + slug}
		}
		if !current {
			c.Status = fm.RequestStatusRevoked // replaced by the next version
		}
		if i > 0 {
			c.Replaces = []fm.Reference{b.plans[i-1].ref}
		}
		if v := p.Version; v != nil {
			c.Created = b.dateTime(v.At)
			if v.Reason != "" {
				c.Description = ptr(v.Reason)
			}
			if v.ByName != "" {
				c.Author = &fm.Reference{Display: ptr(v.ByName)}
			}
		} else if b.clinic != nil {
			c.Author = b.clinic
		}
		status := fm.CarePlanActivityStatusInProgress
		if !current {
			status = fm.CarePlanActivityStatusStopped
		}
		if current && b.goal != nil {
			c.Goal = []fm.Reference{*b.goal}
		}
		if p.Programme != nil {
			for _, it := range p.Programme.Items {
				if it.Exercise == nil {
					continue
				}
				d := &fm.CarePlanActivityDetail{
					Code:        ptr(b.exercise(it.Exercise.Slug)),
					Status:      status,
					Description: text(programme.DoseText(it.Dose, b.l == i18n.En)),
				}
				if p.PerWeek > 0 {
					d.ScheduledTiming = &fm.Timing{Repeat: &fm.TimingRepeat{Frequency: ptr(p.PerWeek), Period: ptr(json.Number("1")), PeriodUnit: ptr("wk")}}
				}
				c.Activity = append(c.Activity, fm.CarePlanActivity{Detail: d})
			}
		}
		if p.WalkMinutes > 0 {
			d := &fm.CarePlanActivityDetail{
				Code:        ptr(cc(b.l.T("fhir_walkActivity"), b.local(csMeasures, codeWalk))),
				Status:      status,
				Description: ptr(b.l.N("fhir_walkGoal", p.WalkMinutes)),
			}
			if current && b.goal != nil {
				d.Goal = []fm.Reference{*b.goal}
			}
			c.Activity = append(c.Activity, fm.CarePlanActivity{Detail: d})
		}
		b.add(secPlan, id, c)
	}
}

// planAt is the CarePlan in force at t, or nil.
func (b *builder) planAt(t time.Time) *fm.Reference {
	for i := len(b.plans) - 1; i >= 0; i-- {
		p := b.plans[i]
		if !t.Before(p.start) && (p.end.IsZero() || t.Before(p.end)) {
			return &p.ref
		}
	}
	return nil
}

// ---- The red-flag screens: the Questionnaire and its responses ----

// Link ids of the examination's group (the /start/undersoegt form).
const (
	linkExamination = "examination"
	linkExaminedAt  = "examined-at"
	linkExaminedOn  = "examined-on"
	linkExaminedBy  = "examined-by"
	linkByOther     = "examined-by-other"
)

// questionText is the red-flag question key in the patient's language:
// the screen's question, or for a retired key the words it was asked in.
func (b *builder) questionText(f rules.Flag) string {
	if slices.ContainsFunc(rules.Flags, func(g rules.Flag) bool { return g.Key == f.Key }) {
		return b.l.T("q_" + f.Key)
	}
	return f.Name(b.l)
}

// allFlags are the screen's questions, then the retired ones.
func allFlags() []rules.Flag { return slices.Concat(rules.Flags, rules.RetiredFlags) }

func (b *builder) screenEntries() {
	cs := b.r.Export.RedFlagCheckins
	if len(cs) == 0 {
		return
	}
	url := b.base + "/fhir/Questionnaire/red-flags"
	qid, _ := b.ident("Questionnaire", "red-flags/"+string(b.l))
	q := fm.Questionnaire{
		Id:          &qid,
		Url:         &url,
		Name:        ptr("RedFlagScreen"),
		Title:       ptr(b.l.T("redflagsTitle")),
		Status:      fm.PublicationStatusActive,
		SubjectType: []fm.ResourceType{fm.ResourceTypePatient},
		Description: ptr(b.l.T("fhir_redflagsAbout")),
	}
	for _, f := range allFlags() {
		q.Item = append(q.Item, fm.QuestionnaireItem{LinkId: f.Key, Text: ptr(b.questionText(f)), Type: fm.QuestionnaireItemTypeBoolean})
	}
	q.Item = append(q.Item, fm.QuestionnaireItem{
		LinkId: linkExamination, Text: ptr(b.l.T("examinedTitle")), Type: fm.QuestionnaireItemTypeGroup,
		Item: []fm.QuestionnaireItem{
			{LinkId: linkExaminedAt, Text: ptr(b.l.T("fhir_examinedAt")), Type: fm.QuestionnaireItemTypeDateTime},
			{LinkId: linkExaminedOn, Text: ptr(b.l.T("examinedDate")), Type: fm.QuestionnaireItemTypeDate},
			{LinkId: linkExaminedBy, Text: ptr(b.l.T("examinedByLegend")), Type: fm.QuestionnaireItemTypeChoice},
			{LinkId: linkByOther, Text: ptr(b.l.T("examinedByOtherLabel")), Type: fm.QuestionnaireItemTypeString},
		},
	})
	b.add(secQuestionnaire, qid, q)

	for _, c := range cs {
		id, _ := b.ident("QuestionnaireResponse", "red-flags/"+strconv.FormatInt(c.ID, 10))
		qr := fm.QuestionnaireResponse{
			Id:            &id,
			Questionnaire: &url,
			Status:        fm.QuestionnaireResponseStatusCompleted,
			Subject:       &b.patient,
			Authored:      b.dateTime(c.At),
			Author:        &b.patient,
			Source:        &b.patient,
		}
		// In the screen's order; a key the rules do not know (never one
		// the form sends) has no question to answer and is left out.
		for _, f := range allFlags() {
			if yes, ok := c.Answers[f.Key]; ok {
				qr.Item = append(qr.Item, fm.QuestionnaireResponseItem{LinkId: f.Key, Text: ptr(b.questionText(f)),
					Answer: []fm.QuestionnaireResponseItemAnswer{{ValueBoolean: ptr(yes)}}})
			}
		}
		if !c.ExaminedAt.IsZero() {
			// Confirmed after the screen was answered: amended.
			qr.Status = fm.QuestionnaireResponseStatusAmended
			ex := fm.QuestionnaireResponseItem{LinkId: linkExamination, Text: ptr(b.l.T("examinedTitle"))}
			add := func(link, text string, a fm.QuestionnaireResponseItemAnswer) {
				ex.Item = append(ex.Item, fm.QuestionnaireResponseItem{LinkId: link, Text: ptr(text), Answer: []fm.QuestionnaireResponseItemAnswer{a}})
			}
			add(linkExaminedAt, b.l.T("fhir_examinedAt"), fm.QuestionnaireResponseItemAnswer{ValueDateTime: b.dateTime(c.ExaminedAt)})
			e := c.Examination
			if e.On != "" {
				add(linkExaminedOn, b.l.T("examinedDate"), fm.QuestionnaireResponseItemAnswer{ValueDate: ptr(e.On)})
			}
			if i := slices.IndexFunc(examinedByCodes, func(x localCode) bool { return x.code == e.By }); i >= 0 {
				add(linkExaminedBy, b.l.T("examinedByLegend"), fm.QuestionnaireResponseItemAnswer{ValueCoding: ptr(b.local(csExaminedBy, examinedByCodes[i]))})
			}
			if e.ByOther != "" {
				add(linkByOther, b.l.T("examinedByOtherLabel"), fm.QuestionnaireResponseItemAnswer{ValueString: ptr(e.ByOther)})
			}
			qr.Item = append(qr.Item, ex)
		}
		b.add(secScreens, id, qr)
	}
}

// ---- Observations ----

// obs is an Observation of the patient, reported by them, with its id
// and fullUrl set from key.
func (b *builder) obs(key string, status fm.ObservationStatus, categories []fm.CodeableConcept, code fm.CodeableConcept) (string, fm.Observation) {
	id, _ := b.ident("Observation", key)
	return id, fm.Observation{
		Id:        &id,
		Status:    status,
		Category:  categories,
		Code:      code,
		Subject:   &b.patient,
		Performer: []fm.Reference{b.patient},
	}
}

// category is an HL7 observation category as a CodeableConcept.
func category(c concept) fm.CodeableConcept { return cc("", coding(c)) }

// painSite is a body site: SNOMED CT's structure with the words for it.
func (b *builder) painSite(leg bool) *fm.CodeableConcept {
	if leg {
		return ptr(cc(b.l.T("fhir_siteLegs"), coding(snomedLowerLimb)))
	}
	return ptr(cc(b.l.T("fhir_siteBack"), coding(snomedLowerBack)))
}

// pain is a pain score (LOINC 72514-3, 0–10 NRS) in the legs or the back.
func (b *builder) pain(key string, status fm.ObservationStatus, cats []fm.CodeableConcept, at, issued time.Time, score int, leg bool) {
	id, o := b.obs(key, status, cats, cc(b.l.T("fhir_pain"), coding(loincPainNRS)))
	o.EffectiveDateTime = b.dateTime(at)
	o.Issued = b.dateTimeOrNil(issued)
	o.ValueInteger = ptr(score)
	o.BodySite = b.painSite(leg)
	b.add(secObservations, id, o)
}

func (b *builder) baselineEntries() {
	for _, bl := range b.r.Export.Baselines {
		key := "baseline/" + strconv.FormatInt(bl.ID, 10)
		base := cc(b.l.T("fhir_baseline"), b.local(csMeasures, codeBaseline))
		survey := []fm.CodeableConcept{category(catSurvey), base}
		b.pain(key+"/leg", fm.ObservationStatusFinal, survey, bl.At, bl.CreatedAt, bl.NRSLeg, true)
		b.pain(key+"/back", fm.ObservationStatusFinal, survey, bl.At, bl.CreatedAt, bl.NRSBack, false)
		activity := []fm.CodeableConcept{category(catActivity), base}
		method := ptr(cc(b.l.T("fhir_spwt"), b.local(csMeasures, codeSPWT)))
		if s := bl.SPWTFirstSymptomsSeconds; s != nil {
			id, o := b.obs(key+"/first-symptoms", fm.ObservationStatusFinal, activity, cc(b.l.T("fhir_firstSymptoms"), b.local(csMeasures, codeFirstSymptoms)))
			o.EffectiveDateTime, o.Issued, o.Method = b.dateTime(bl.At), b.dateTimeOrNil(bl.CreatedAt), method
			o.ValueQuantity = seconds(*s)
			b.add(secObservations, id, o)
		}
		id, o := b.obs(key+"/stop", fm.ObservationStatusFinal, activity, cc(b.l.T("fhir_timeToStop"), b.local(csMeasures, codeTimeToStop)))
		o.EffectiveDateTime, o.Issued, o.Method = b.dateTime(bl.At), b.dateTimeOrNil(bl.CreatedAt), method
		o.ValueQuantity = seconds(bl.SPWTStopSeconds)
		b.add(secObservations, id, o)
	}
}

func (b *builder) diaryEntries() {
	survey := []fm.CodeableConcept{category(catSurvey)}
	for _, e := range b.r.Export.Diary {
		key := "diary/" + strconv.FormatInt(e.ID, 10)
		status, issued := fm.ObservationStatusFinal, e.CreatedAt
		if e.UpdatedAt.After(e.CreatedAt) { // edited after it was first saved
			status, issued = fm.ObservationStatusAmended, e.UpdatedAt
		}
		b.pain(key+"/leg", status, survey, e.At, issued, e.LegPain, true)
		b.pain(key+"/back", status, survey, e.At, issued, e.BackPain, false)
		id, o := b.obs(key+"/symptoms", status, survey, cc(b.l.T("fhir_legSymptoms"), b.local(csMeasures, codeLegSymptoms)))
		o.EffectiveDateTime, o.Issued = b.dateTime(e.At), b.dateTimeOrNil(issued)
		o.BodySite = b.painSite(true)
		for _, s := range []struct {
			c   concept
			key string
			yes bool
		}{{snomedParesthesia, "tingling", e.Tingling}, {snomedBurning, "burning", e.Burning}, {snomedWeakness, "weakness", e.Weakness}} {
			o.Component = append(o.Component, fm.ObservationComponent{
				Code: cc(b.l.T("fhir_symptom_"+s.key), coding(s.c)), ValueBoolean: ptr(s.yes),
			})
		}
		b.add(secObservations, id, o)
	}
}

func (b *builder) walkEntries() {
	for _, w := range b.r.Export.Walks {
		id, o := b.obs("walk/"+strconv.FormatInt(w.ID, 10), fm.ObservationStatusFinal, []fm.CodeableConcept{category(catActivity)},
			cc(b.l.T("fhir_walkTime"), coding(loincExerciseDuration)))
		o.EffectivePeriod = &fm.Period{Start: b.dateTime(w.StartedAt), End: b.dateTime(w.EndedAt)}
		o.Issued = b.dateTimeOrNil(w.CreatedAt)
		o.Method = ptr(cc(b.l.T("fhir_walkActivity"), b.local(csMeasures, codeWalk)))
		o.ValueQuantity = seconds(w.WalkSeconds())
		if s := w.FirstSymptomsSeconds(); s != nil {
			o.Component = append(o.Component, fm.ObservationComponent{
				Code: cc(b.l.T("fhir_firstSymptoms"), b.local(csMeasures, codeFirstSymptoms)), ValueQuantity: seconds(*s)})
		}
		o.Component = append(o.Component, fm.ObservationComponent{
			Code: cc(b.l.T("fhir_pauseTime"), b.local(csMeasures, codePauseTime)), ValueQuantity: seconds(w.PauseSeconds())})
		b.add(secObservations, id, o)
	}
}

func (b *builder) psfsEntries() {
	for _, p := range b.r.Export.PSFS {
		if len(p.Activities) == 0 {
			continue
		}
		id, o := b.obs("psfs/"+strconv.FormatInt(p.ID, 10), fm.ObservationStatusFinal, []fm.CodeableConcept{category(catSurvey)},
			cc(b.l.T("fhir_psfs"), b.local(csMeasures, codePSFS)))
		o.EffectiveDateTime, o.Issued = b.dateTime(p.At), b.dateTimeOrNil(p.CreatedAt)
		sum := 0
		for _, a := range p.Activities {
			sum += a.Score
			o.Component = append(o.Component, fm.ObservationComponent{
				Code: cc(a.Name, b.local(csMeasures, codePSFSActivity)), ValueInteger: ptr(a.Score)})
		}
		o.ValueQuantity = &fm.Quantity{Value: ptr(decimal(float64(sum) / float64(len(p.Activities)))), Unit: ptr("{score}"),
			System: ptr(systemUCUM), Code: ptr("{score}")}
		b.add(secObservations, id, o)
	}
}

// decimal is f with at most two decimals, trailing zeros dropped: 6, 6.5,
// 6.33.
func decimal(f float64) json.Number {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return json.Number(s)
}

// ---- Sessions: Procedures ----

// symptomConcepts are SNOMED CT's findings for the player's symptom kinds.
var symptomConcepts = map[string]concept{"tingling": snomedParesthesia, "burning": snomedBurning, "weakness": snomedWeakness, "pain": snomedPain}

// symptoms are the complications of a step or session: each named kind,
// or "symptoms, not named" when the patient reported some without naming.
func (b *builder) symptoms(kinds []string, unnamed bool) []fm.CodeableConcept {
	var out []fm.CodeableConcept
	for _, k := range store.SymptomKinds {
		if slices.Contains(kinds, k) {
			out = append(out, cc(b.l.T("fhir_symptom_"+k), coding(symptomConcepts[k])))
		}
	}
	if len(out) == 0 && unnamed {
		out = append(out, cc(b.l.T("fhir_symptom_unnamed"), b.local(csMeasures, codeSymptoms)))
	}
	return out
}

func (b *builder) sessionEntries() {
	for _, t := range b.r.Export.TrainingSessions {
		key := "session/" + strconv.FormatInt(t.ID, 10)
		id, ref := b.ident("Procedure", key)
		unnamed := t.Symptoms > 0
		for _, s := range t.Steps {
			unnamed = unnamed || s.Symptoms
		}
		p := fm.Procedure{
			Id:              &id,
			Status:          fm.EventStatusCompleted,
			Code:            ptr(cc(b.l.Tf("fhir_session", b.programmeName(nil, t.Programme)), coding(snomedExerciseTherapy))),
			Subject:         b.patient,
			PerformedPeriod: &fm.Period{Start: b.dateTime(t.StartedAt), End: b.dateTime(t.EndedAt)},
			Performer:       []fm.ProcedurePerformer{{Actor: b.patient}},
			Complication:    b.symptoms(t.SymptomKinds(), unnamed),
		}
		if plan := b.planAt(t.StartedAt); plan != nil {
			p.BasedOn = []fm.Reference{*plan}
		}
		b.add(secSessions, id, p)
		for i, s := range t.Steps {
			sid, _ := b.ident("Procedure", key+"/step/"+strconv.Itoa(i+1))
			step := fm.Procedure{
				Id:           &sid,
				PartOf:       []fm.Reference{ref},
				Status:       fm.EventStatusCompleted,
				Code:         ptr(b.exercise(s.Exercise)),
				Subject:      b.patient,
				Performer:    []fm.ProcedurePerformer{{Actor: b.patient}},
				Complication: b.symptoms(s.SymptomKinds, s.Symptoms),
			}
			if !s.Done {
				step.Status = fm.EventStatusNotDone // skipped
			}
			b.add(secSessions, sid, step)
		}
	}
}

// ---- The clinic's code systems ----

// codeSystems sends each of the clinic's code systems the bundle used:
// the measures and who examined a patient whole, the exercises as the
// fragment the bundle names (sorted by code).
func (b *builder) codeSystems() {
	for _, cs := range []struct {
		name, title string
		codes       []localCode
	}{
		{csMeasures, "stenose measures and activities", measureCodes},
		{csExaminedBy, "Who examined the patient after a red flag", examinedByCodes},
		{csExercise, "The clinic's exercise library", nil},
	} {
		used := b.used[cs.name]
		if len(used) == 0 {
			continue
		}
		id, _ := b.ident("CodeSystem", cs.name)
		url := b.systemURL(cs.name)
		c := fm.CodeSystem{
			Id:      &id,
			Url:     &url,
			Name:    ptr(codeSystemName(cs.name)),
			Title:   ptr(cs.title),
			Status:  fm.PublicationStatusActive,
			Content: fm.CodeSystemContentModeComplete,
		}
		codes := cs.codes
		if codes == nil { // the exercises the bundle names
			c.Content = fm.CodeSystemContentModeFragment
			for _, slug := range sortedKeys(used) {
				display := slug
				if e := b.lib().Exercise(slug); e != nil {
					display = cmp(e.NameEn, e.Name)
				}
				codes = append(codes, localCode{code: slug, display: display})
			}
		}
		for _, lc := range codes {
			con := fm.CodeSystemConcept{Code: lc.code, Display: ptr(lc.display)}
			if lc.definition != "" {
				con.Definition = ptr(lc.definition)
			}
			c.Concept = append(c.Concept, con)
		}
		c.Count = ptr(len(c.Concept))
		b.add(secTerminology, id, c)
	}
}

// codeSystemName is a computer-friendly name: "examined-by" → "ExaminedBy".
func codeSystemName(s string) string {
	var out strings.Builder
	for _, part := range strings.Split(s, "-") {
		if part != "" {
			out.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return "Stenose" + out.String()
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
