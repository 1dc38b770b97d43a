package web

// The FHIR R4 export of a patient's record (internal/fhir, docs/fhir.md):
// the patient downloads their own from "My data", their clinician from
// the patient's page. care builds it in one call — the clinician's through
// the access policy, logged on the patient's "who has looked" page.

import (
	"net/http"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/export"
	"github.com/stenose/stenose/internal/fhir"
)

// fhirFile is the end of a FHIR download's name: stenose-LOGIN-DATE.fhir.json.
const fhirFile = "fhir.json"

// exportFHIR is the signed-in patient's own record as a FHIR bundle.
func (a *app) exportFHIR(w http.ResponseWriter, r *http.Request) {
	x, err := a.care.MyFHIR(r.Context(), userFrom(r.Context()), a.site.BaseURL())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.sendFHIR(w, x)
}

// workspaceFHIR is a patient's record as a FHIR bundle for their clinician.
func (a *app) workspaceFHIR(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "pid")
	if !ok {
		a.notFound(w, r)
		return
	}
	x, err := a.care.PatientFHIR(r.Context(), userFrom(r.Context()), id, a.site.BaseURL())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.sendFHIR(w, x)
}

// sendFHIR sends x as a download named after the patient and today.
func (a *app) sendFHIR(w http.ResponseWriter, x care.FHIRExport) {
	w.Header().Set("Content-Type", fhir.ContentType)
	w.Header().Set("Content-Disposition", export.Disposition(x.Patient.ShownLogin(), a.now(), fhirFile))
	_, _ = w.Write(x.JSON)
}
