package web

import (
	"github.com/stenose/stenose/internal/preview"
	"github.com/stenose/stenose/internal/site"
)

// The route table: every route of the application, who may use it and the
// handler, top to bottom in one place (the model is miniflux's ui.Serve).
// Anything else goes to the public site (internal/site: Anyone,
// read-only, /healthz too); with `serve --watch` (authors only) that is
// the live preview's rendering of it (internal/preview), whose own two
// routes are at the end of the table. The handlers live in the file named
// beside each group.

// table is the route table.
func (a *app) table() []route {
	routes := []route{
		// Operations: whether to send this instance requests (ops.go;
		// /healthz is the public site's, /metrics has a listener of its
		// own: stenose serve --metrics-addr).
		{pattern: "GET /readyz", access: Anyone, stateless: true, handler: a.ready},

		// Accounts: sign-up, sign-in, the account page, the language
		// (signin.go, pages.go, lang.go).
		{pattern: "GET " + cssPath, access: Anyone, stateless: true, handler: a.serveCSS},
		{pattern: "GET /konto/opret", access: Anyone, handler: a.signUpForm},
		{pattern: "POST /konto/opret", access: Anyone, handler: a.signUp},
		{pattern: "GET /konto/log-ind", access: Anyone, handler: a.signInForm},
		{pattern: "POST /konto/log-ind", access: Anyone, handler: a.signIn},
		{pattern: "POST /konto/log-ud", access: SignedIn, handler: a.signOut},
		{pattern: "GET /konto", access: SignedIn, handler: a.accountPage},
		{pattern: "GET /konto/adgangskode", access: SignedIn, handler: a.passwordForm},
		{pattern: "POST /konto/adgangskode", access: SignedIn, handler: a.changePassword},
		{pattern: "POST /konto/klinik", access: Patient, handler: a.joinClinic},
		{pattern: "POST /konto/klinik/afslut", access: Patient, handler: a.leaveClinic},
		{pattern: "POST " + switchPath, access: Anyone, handler: a.switchLang},
		// The patient's training calendar: the page and its forms, and the
		// feed, whose secret address is its credential: no session, no
		// cookie (calendar.go).
		{pattern: "GET " + calendarPath, access: Patient, handler: a.calendarPage},
		{pattern: "POST " + calendarPath, access: Patient, handler: a.calendarSave},
		{pattern: "POST " + calendarPath + "/nyt-link", access: Patient, handler: a.calendarRenew},
		{pattern: "POST " + calendarPath + "/sluk", access: Patient, handler: a.calendarStop},
		{pattern: "GET " + feedPath + "{feed}", access: Anyone, stateless: true, secretPath: true, handler: a.calendarFeed},
		// The second step of a clinician's or admin's sign-in: the session
		// says who is signing in (twofactor.go).
		{pattern: "GET " + secondFactorPath, access: Anyone, handler: a.secondFactorForm},
		{pattern: "POST " + secondFactorPath, access: Anyone, handler: a.secondFactor},
		{pattern: "GET " + enrolPath, access: Anyone, handler: a.enrolForm},
		{pattern: "POST " + enrolPath, access: Anyone, handler: a.enrol},

		// Onboarding, today and progress (onboarding.go, examined.go,
		// psfs.go, today.go, progress.go).
		{pattern: "GET " + careCSSPath, access: Anyone, stateless: true, handler: serveCareCSS},
		{pattern: "GET /start", access: Patient, handler: a.start},
		{pattern: "GET /start/roede-flag", access: Patient, handler: a.redFlagForm},
		{pattern: "POST /start/roede-flag", access: Patient, handler: a.redFlagSubmit},
		{pattern: "GET /start/undersoegt", access: Patient, handler: a.examinedForm},
		{pattern: "POST /start/undersoegt", access: Patient, handler: a.examinedSubmit},
		{pattern: "GET /start/udgangspunkt", access: Patient, handler: a.baselineForm},
		{pattern: "POST /start/udgangspunkt", access: Patient, handler: a.baselineSubmit},
		{pattern: "GET " + psfsStartPath, access: Patient, handler: a.psfsStartForm},
		{pattern: "POST " + psfsStartPath, access: Patient, handler: a.psfsStartSubmit},
		{pattern: "GET " + psfsStatusPath, access: Patient, handler: a.psfsStatusForm},
		{pattern: "POST " + psfsStatusPath, access: Patient, handler: a.psfsStatusSubmit},
		{pattern: "GET /i-dag", access: Patient, handler: a.today},
		{pattern: "GET /fremskridt", access: Patient, handler: a.progressPage},
		{pattern: "POST " + acceptTargetsPath, access: Patient, handler: a.acceptTargets},

		// The patient's own programme, when their clinician has tailored
		// it (myprogramme.go).
		{pattern: "GET " + myProgrammePath, access: Patient, handler: a.myProgramme(site.PersonalProgramme)},
		{pattern: "GET " + myProgrammePath + "/traening", access: Patient, handler: a.myProgramme(site.PersonalSession)},
		{pattern: "GET " + myProgrammePath + "/udskrift", access: Patient, handler: a.myProgramme(site.PersonalHandout)},
		{pattern: "GET " + myProgrammePath + "/gang", access: Patient, handler: a.myProgramme(site.PersonalWalk)},

		// The diary (diary.go).
		{pattern: "GET /dagbog/sync.js", access: Anyone, stateless: true, handler: serveSyncJS},
		{pattern: "GET /dagbog", access: Patient, handler: a.diaryList},
		{pattern: "GET /dagbog/ny", access: Patient, handler: a.diaryNew},
		{pattern: "POST /dagbog", access: Patient, handler: a.diaryCreate},
		{pattern: "GET /dagbog/{id}/rediger", access: Patient, handler: a.diaryEdit},
		{pattern: "POST /dagbog/{id}", access: Patient, handler: a.diaryUpdate},
		{pattern: "POST /dagbog/{id}/slet", access: Patient, handler: a.diaryDelete},

		// Sessions and walks from the player and walk mode (sync.go,
		// owner.go).
		{pattern: "POST /api/traening", access: Patient, handler: ownedSync(a.syncSession)},
		{pattern: "POST /api/gang", access: Patient, handler: ownedSync(a.syncWalk)},

		// The clinician's workspace: the patients by exception, one
		// patient's chart, alerts, notes (workspace.go), their printable
		// status report (workspace_report.go), their record in FHIR
		// (fhir.go) and invitations
		// with their printable slip (workspace_invite.go). Each handler's
		// domain call applies the access policy, and the store's queries
		// filter by the clinician's clinic: another clinic's patient,
		// alert or invitation is a 404.
		{pattern: "GET " + workspacePath, access: Clinician, handler: a.workspacePatients},
		{pattern: "GET " + workspacePath + "/patienter/{pid}", access: Clinician, handler: a.workspacePatient},
		{pattern: "GET " + workspacePath + "/patienter/{pid}/status", access: Clinician, handler: a.workspaceReport},
		{pattern: "GET " + workspacePath + "/patienter/{pid}/eksport.fhir.json", access: Clinician, handler: a.workspaceFHIR},
		{pattern: "POST " + workspacePath + "/patienter/{pid}/kvitter", access: Clinician, handler: a.workspaceAckAll},
		{pattern: "POST " + workspacePath + "/patienter/{pid}/noter", access: Clinician, handler: a.workspaceNote},
		{pattern: "POST " + workspacePath + "/advarsler/{aid}/kvitter", access: Clinician, handler: a.workspaceAck},
		{pattern: "GET " + invitationsPath, access: Clinician, handler: a.invitationsPage},
		{pattern: "POST " + invitationsPath, access: Clinician, handler: a.invite},
		{pattern: "GET " + slipPath, access: Clinician, handler: a.slip},
		{pattern: "POST " + invitationsPath + "/{iid}/tilbagekald", access: Clinician, handler: a.revokeInvitation},
		{pattern: "GET " + workspacePath + "/patienter/{pid}/program", access: Clinician, handler: a.programmeEditor},
		{pattern: "POST " + workspacePath + "/patienter/{pid}/program", access: Clinician, handler: a.programmeSave},

		// My data: downloads and deleting the account (mydata.go); a
		// patient's record in FHIR R4 for a GP's or hospital's system
		// (fhir.go).
		{pattern: "GET /mine-data", access: SignedIn, handler: a.myData},
		{pattern: "GET /mine-data/eksport.json", access: SignedIn, handler: a.exportJSON},
		{pattern: "GET /mine-data/eksport.zip", access: SignedIn, handler: a.exportZIP},
		{pattern: "GET /mine-data/eksport.csv", access: SignedIn, handler: a.exportCSV},
		{pattern: "GET /mine-data/eksport.fhir.json", access: Patient, handler: a.exportFHIR},
		{pattern: "POST /mine-data/slet", access: SignedIn, handler: a.deleteAccount},
		{pattern: "GET /mine-data/opslag", access: SignedIn, handler: a.looks},

		// The admin's pages: the users and clinics an admin manages (an
		// admin of one clinic: that clinic's; internal/clinic), and the
		// public page where a user sets a new password with the one-time
		// code an admin gave them (admin.go).
		{pattern: "GET /admin", access: Admin, handler: a.adminHome},
		{pattern: "GET " + adminUsersPath, access: Admin, handler: a.adminUsers},
		{pattern: "GET " + adminUsersPath + "/{id}", access: Admin, handler: a.adminUser},
		{pattern: "POST " + adminUsersPath + "/{id}/spaer", access: Admin, handler: a.adminDisable},
		{pattern: "POST " + adminUsersPath + "/{id}/aabn", access: Admin, handler: a.adminEnable},
		{pattern: "POST " + adminUsersPath + "/{id}/telefonkode", access: Admin, handler: a.adminSecondFactor},
		{pattern: "POST " + adminUsersPath + "/{id}/engangskode", access: Admin, handler: a.adminResetCode},
		{pattern: "POST " + adminUsersPath + "/{id}/klinik", access: Admin, handler: a.adminMove},
		{pattern: "GET " + adminClinicsPath, access: Admin, handler: a.adminClinics},
		{pattern: "GET " + adminClinicsPath + "/{id}", access: Admin, handler: a.adminClinic},
		{pattern: "POST " + adminClinicsPath + "/{id}", access: Admin, handler: a.adminClinicSave},
		{pattern: "GET " + adminClinicsPath + "/{id}/opslag.csv", access: Admin, handler: a.adminAccessLog},
		{pattern: "GET " + resetPath, access: Anyone, handler: a.resetForm},
		{pattern: "POST " + resetPath, access: Anyone, handler: a.reset},
	}
	if a.preview != nil {
		// The live preview, only with `serve --watch` (for authors, never
		// on a public server; without it these are 404): the script each
		// page then loads, and the event stream that tells it the content
		// changed (internal/preview).
		routes = append(routes,
			route{pattern: "GET " + preview.ScriptPath, access: Anyone, stateless: true, handler: a.preview.ServeScript},
			route{pattern: "GET " + preview.EventsPath, access: Anyone, stateless: true, handler: a.preview.ServeEvents},
		)
	}
	return routes
}
