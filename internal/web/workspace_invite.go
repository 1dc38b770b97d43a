package web

// Invitations (issue 13): a clinician makes a single-use code for a new
// patient — read out over the phone, or printed on a slip with a QR code
// of the sign-up link — lists the clinic's newest and withdraws one. The
// code is stored only as a hash (internal/clinic): the slip can be shown
// only from the session of the clinician who just made it.

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/clinic"
	"github.com/stenose/stenose/internal/qr"
	"github.com/stenose/stenose/internal/store"
)

const (
	invitationsPath = workspacePath + "/invitationer"
	slipPath        = invitationsPath + "/seddel"
)

// The slip's values in the clinician's session, from making the invitation
// to printing its slip (the code is nowhere else).
const (
	slipCodeKey    = "slipCode"
	slipNameKey    = "slipName"
	slipExpiresKey = "slipExpires"
)

type wsInvites struct {
	Rows    []wsInvite
	MaxDays int
	Hint    string
}

type wsInvite struct {
	ID                int64
	Made, Name, State string
	Open              bool
	RevokePath        string
}

func (a *app) invitationsPage(w http.ResponseWriter, r *http.Request) {
	v := a.wsView(r, "wsInviteTitle")
	v.Form["days"] = strconv.Itoa(clinic.DefaultValidDays)
	v.Flash = v.T(a.sm.PopString(r.Context(), "flash"))
	a.showInvitations(w, r, http.StatusOK, v)
}

func (a *app) showInvitations(w http.ResponseWriter, r *http.Request, status int, v *wsView) {
	ctx := r.Context()
	invs, err := a.clinics.Invitations(ctx, userFrom(ctx))
	if errors.Is(err, clinic.ErrNotMember) { // a clinician in no clinic: the page says so
		a.render(w, r, status, "workspace_invite.html", v)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	l := v.Lang
	now := a.now()
	iv := &wsInvites{MaxDays: clinic.MaxValidDays, Hint: l.Tf("wsInviteDaysHint", clinic.MaxValidDays)}
	for _, inv := range invs {
		row := wsInvite{ID: inv.ID, Made: shortDate(l, inv.CreatedAt.In(care.Zone)), Name: inv.Name}
		if row.Name == "" {
			row.Name = l.T("wsInvNoName")
		}
		switch inv.State(now) {
		case store.InvitationOpen:
			row.State, row.Open = l.Tf("wsInvOpen", shortDate(l, inv.ExpiresAt.In(care.Zone))), true
			row.RevokePath = invitationsPath + "/" + strconv.FormatInt(inv.ID, 10) + "/tilbagekald"
		case store.InvitationUsed:
			row.State = l.Tf("wsInvUsed", shortDate(l, inv.UsedAt.In(care.Zone)))
		case store.InvitationRevoked:
			row.State = l.Tf("wsInvRevoked", shortDate(l, inv.RevokedAt.In(care.Zone)))
		default:
			row.State = l.Tf("wsInvExpired", shortDate(l, inv.ExpiresAt.In(care.Zone)))
		}
		iv.Rows = append(iv.Rows, row)
	}
	v.Invites = iv
	v.summarise()
	a.render(w, r, status, "workspace_invite.html", v)
}

// invite makes an invitation and shows its slip.
func (a *app) invite(w http.ResponseWriter, r *http.Request) {
	if !form(w, r) {
		return
	}
	ctx := r.Context()
	v := a.wsView(r, "wsInviteTitle")
	name, days := strings.TrimSpace(r.PostForm.Get("name")), strings.TrimSpace(r.PostForm.Get("days"))
	v.Form["name"], v.Form["days"] = name, days
	n, err := strconv.Atoi(days)
	if err != nil || n < 1 || n > clinic.MaxValidDays {
		v.fail("days", v.Lang.Tf("errInviteDays", clinic.MaxValidDays))
	}
	if len([]rune(name)) > 200 {
		v.fail("name", v.T("errInviteName"))
	}
	if len(v.Errors) > 0 {
		a.showInvitations(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	inv, err := a.clinics.InviteAs(ctx, userFrom(ctx), name, "", n)
	var fe *clinic.FieldError
	if errors.As(err, &fe) {
		v.fail("days", v.Lang.Tf("errInviteDays", clinic.MaxValidDays))
		a.showInvitations(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.sm.Put(ctx, slipCodeKey, inv.Code)
	a.sm.Put(ctx, slipNameKey, inv.Name)
	a.sm.Put(ctx, slipExpiresKey, inv.ExpiresAt.Unix())
	http.Redirect(w, r, slipPath, http.StatusSeeOther)
}

type wsSlip struct {
	Code, Name, Clinic string
	Link, Site         string
	QR                 template.HTML
	Valid, Call        string
}

// slip is the printable slip of the invitation just made: the code, the
// sign-up link with the code in it as text and as a QR code (SVG: sharp
// when printed), how long it is valid and the clinic's phone.
func (a *app) slip(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := a.wsView(r, "wsInviteTitle")
	code := a.sm.GetString(ctx, slipCodeKey)
	if code == "" {
		a.render(w, r, http.StatusOK, "workspace_slip.html", v)
		return
	}
	c, err := a.clinics.Of(ctx, *userFrom(ctx))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	s := &wsSlip{Code: code, Name: a.sm.GetString(ctx, slipNameKey), Site: a.site.BaseURL() + "/konto/opret", Clinic: a.site.Name()}
	s.Link = s.Site + "?kode=" + url.QueryEscape(code)
	s.Valid = v.Lang.Tf("wsSlipValid", shortDate(v.Lang, time.Unix(a.sm.GetInt64(ctx, slipExpiresKey), 0).In(care.Zone)))
	if c != nil { // the clinic's own name and phone, not the site's
		s.Clinic = c.Name
		if c.Phone != "" {
			s.Call = v.Lang.Tf("wsSlipClinic", c.Name, c.Phone)
		}
	}
	if s.QR, err = qr.SVG(s.Link, v.T("wsSlipQR")); err != nil {
		a.serverError(w, r, err)
		return
	}
	v.Slip = s
	v.Title = v.Lang.Tf("wsSlipTitle", s.Clinic)
	a.render(w, r, http.StatusOK, "workspace_slip.html", v)
}

// revokeInvitation withdraws an open invitation of the clinic.
func (a *app) revokeInvitation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := pathID(r, "iid")
	if !ok {
		a.notFound(w, r)
		return
	}
	if err := a.clinics.Revoke(ctx, userFrom(ctx), id); err != nil {
		a.fail(w, r, err)
		return
	}
	a.sm.Put(ctx, "flash", "wsInvRevokeDone")
	http.Redirect(w, r, invitationsPath, http.StatusSeeOther)
}
