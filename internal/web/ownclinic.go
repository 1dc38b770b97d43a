package web

// A clinic's own details on its patients' and staff's pages: once a clinic
// exists in the database (internal/clinic, the admin's clinic page), its
// name, address, phone, e-mail, opening hours and region replace the
// content folder's (content/clinic.yaml, the default of a one-clinic
// install) in the footer, on the sign-in-free pages a signed-in user sees,
// beside advice that says to contact the clinic, and in the urgent route's
// out-of-hours number.

import (
	"context"
	"sync"
	"time"

	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/i18n"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
)

// clinicTTL is how long a server keeps a clinic's details before reading
// them again: a change on the admin's page shows on every server within
// it, and a page view does not cost a query.
const clinicTTL = 30 * time.Second

type cachedClinic struct {
	c  *content.Clinic
	at time.Time
}

// clinicCache holds clinics' details by ID (cachedClinic).
type clinicCache struct{ m sync.Map }

// ownClinic is the details of u's clinic as the pages show them, or nil
// (u has no clinic, or it cannot be read now: the content's details stand,
// and the error is logged).
func (a *app) ownClinic(ctx context.Context, u *store.User) *content.Clinic {
	if u == nil || u.ClinicID == 0 {
		return nil
	}
	now := a.now()
	if v, ok := a.clinicDetails.m.Load(u.ClinicID); ok {
		if cc := v.(cachedClinic); now.Sub(cc.at) < clinicTTL {
			return cc.c
		}
	}
	c, err := a.st.Clinic(ctx, u.ClinicID)
	if err != nil {
		a.log.WarnContext(ctx, "a clinic's details could not be read; the content's are shown", "clinic", u.ClinicID, "err", err)
		return nil
	}
	cc := content.ClinicFrom(c.Name, c.Address, c.Phone, c.Email, c.Hours, c.Region, a.site.ContentClinic())
	a.clinicDetails.m.Store(u.ClinicID, cachedClinic{c: cc, at: now})
	return cc
}

// withOwnClinic puts the details of the clinic of v's reader in v: the
// page's clinic, and its footer in the chrome the menu chose (section).
func (a *app) withOwnClinic(ctx context.Context, v *view, l i18n.Lang, section string) {
	c := a.ownClinic(ctx, v.User)
	if c == nil {
		return
	}
	v.Clinic = site.ClinicOf(c, l)
	f, err := a.site.FooterFor(l, section, c)
	if err != nil {
		a.log.ErrorContext(ctx, "rendering a clinic's footer", "err", err)
		return
	}
	v.Chrome.Footer = f
}
