package fhir

// The code systems and codes the bundle uses, each with its source
// (docs/fhir.md lists them with the reasons). Displays are the code
// systems' own, in English as LOINC's and SNOMED CT's are; what a person
// reads (CodeableConcept.text) is the catalogue's, in the patient's
// language.

const (
	// LOINC, https://loinc.org.
	systemLOINC = "http://loinc.org"
	// SNOMED CT, https://www.snomed.org.
	systemSNOMED = "http://snomed.info/sct"
	// UCUM, https://ucum.org.
	systemUCUM = "http://unitsofmeasure.org"
	// HL7's observation categories (R4, terminology.hl7.org).
	systemObsCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
	// BCP 47 language tags (Patient.communication.language).
	systemLanguage = "urn:ietf:bcp:47"
)

// A coded concept: system, code and the system's display.
type concept struct{ system, code, display string }

var (
	// LOINC 72514-3: pain severity on the 0–10 verbal numeric rating
	// scale, reported by the patient (https://loinc.org/72514-3).
	loincPainNRS = concept{systemLOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}
	// LOINC 55411-3: the duration of a period of exercise, as HL7's
	// Physical Activity IG uses it (https://loinc.org/55411-3).
	loincExerciseDuration = concept{systemLOINC, "55411-3", "Exercise duration"}

	// SNOMED CT body structures (R4's body-site value set: is-a
	// 442083009). 61685007 |Lower limb structure| ("leg"); 37822005
	// |Lower back structure| (the lumbar region of the back, the finding
	// site of 279039007 |Low back pain|).
	snomedLowerLimb = concept{systemSNOMED, "61685007", "Lower limb structure"}
	snomedLowerBack = concept{systemSNOMED, "37822005", "Lower back structure"}

	// SNOMED CT findings for the symptoms a patient names (the diary's and
	// the player's, docs/sources.md A3): 91019004 |Paresthesia| for
	// tingling, 90673000 |Burning sensation|, 26544005 |Muscle weakness|,
	// 22253000 |Pain|.
	snomedParesthesia = concept{systemSNOMED, "91019004", "Paresthesia"}
	snomedBurning     = concept{systemSNOMED, "90673000", "Burning sensation"}
	snomedWeakness    = concept{systemSNOMED, "26544005", "Muscle weakness"}
	snomedPain        = concept{systemSNOMED, "22253000", "Pain"}

	// SNOMED CT 229065009 |Exercise therapy (regime/therapy)|: a session
	// of the programme.
	snomedExerciseTherapy = concept{systemSNOMED, "229065009", "Exercise therapy"}

	// HL7 observation categories.
	catSurvey   = concept{systemObsCategory, "survey", "Survey"}
	catActivity = concept{systemObsCategory, "activity", "Activity"}
)

// The clinic's own codes, where LOINC and SNOMED CT have none that fits
// (docs/fhir.md, "The clinic's codes"): a CodeSystem under the
// installation's address, sent in the bundle with a definition of each
// code, so that a receiver can read them.
const (
	csMeasures   = "measures"    // {base}/fhir/CodeSystem/measures
	csExercise   = "exercise"    // {base}/fhir/CodeSystem/exercise: the exercise library's slugs
	csExaminedBy = "examined-by" // {base}/fhir/CodeSystem/examined-by
)

// A clinic code: its code, display and definition (English).
type localCode struct{ code, display, definition string }

var (
	codeFirstSymptoms = localCode{"time-to-first-symptoms", "Walking time to first symptoms",
		"Seconds of walking until the first leg symptoms of neurogenic claudication (pain, tingling, burning or weakness) began."}
	codeTimeToStop = localCode{"time-to-stop", "Walking time until having to stop",
		"Seconds of walking until the symptoms made the patient stop (Self-Paced Walking Test: the test's total walking time)."}
	codePauseTime = localCode{"pause-time", "Time paused during a walk",
		"Seconds paused (standing or sitting) during a walk with pauses, all pauses together."}
	codeSPWT = localCode{"spwt", "Self-Paced Walking Test",
		"Walking at one's own pace on level ground until symptoms force a stop, at most 30 minutes (Tomkins et al. 2009), timed by the patient in the app's walk mode."}
	codeBaseline = localCode{"baseline", "Baseline",
		"A measurement taken at the start of the programme, which later measurements are compared with."}
	codeLegSymptoms = localCode{"leg-symptoms", "Neurological symptoms in the legs",
		"Whether the patient had tingling, burning or weakness in the legs that day, as recorded in the diary (each a component)."}
	codePSFS = localCode{"psfs", "Patient-Specific Functional Scale, mean",
		"The mean of the scores of the patient's own activities, 0 (unable to do it) to 10 (able as before the problem) (Stratford et al. 1995)."}
	codePSFSActivity = localCode{"psfs-activity", "Patient-Specific Functional Scale activity",
		"One activity the patient named, scored 0–10; the activity is the component's text."}
	codeWalk = localCode{"walk", "Walking with pauses",
		"Walks at one's own pace, pausing when the symptoms come and walking on when they ease; the goal is a walking time."}
	codeSymptoms = localCode{"symptoms", "Symptoms, not named",
		"The patient reported symptoms during the exercise without naming which."}
)

// measureCodes are the codes of csMeasures, in the order the CodeSystem
// lists them.
var measureCodes = []localCode{codeFirstSymptoms, codeTimeToStop, codePauseTime, codeSPWT, codeBaseline,
	codeLegSymptoms, codePSFS, codePSFSActivity, codeWalk, codeSymptoms}

// examinedByCodes are csExaminedBy's codes: who examined a patient after a
// red flag (store.Examination.By).
var examinedByCodes = []localCode{
	{"own_doctor", "The patient's own general practitioner", "The patient's own GP examined them."},
	{"out_of_hours", "Out-of-hours medical service", "The out-of-hours service (lægevagten, Akuttelefonen 1813) examined them."},
	{"emergency", "Emergency department", "A hospital's emergency department examined them."},
	{"other", "Another doctor", "Another doctor examined them; who, in the patient's own words, is the next answer."},
}
