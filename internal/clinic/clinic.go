package clinic

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stenose/stenose/internal/content"
	"github.com/stenose/stenose/internal/store"
)

// How long an invitation is valid: DefaultValidDays unless the clinician
// says otherwise, never more than MaxValidDays (CodeLen's entropy is
// sized for it).
const (
	DefaultValidDays = 14
	MaxValidDays     = 90
)

// Service is the clinics' domain over the store, with the clock every
// invitation is dated and checked by.
type Service struct {
	st  *store.Store
	now func() time.Time
}

// New returns a Service over st; now nil is time.Now.
func New(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, now: now}
}

// FieldError is a clinic's detail that cannot be used, named by its field.
type FieldError struct {
	Field, Message string
}

func (e *FieldError) Error() string { return "clinic: " + e.Field + ": " + e.Message }

// Check normalises c's details as the store keeps them — the phone number
// written the Danish way, the region one of content.Regions — and returns
// the first problem as a *FieldError.
func Check(c *store.Clinic) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return &FieldError{"name", "a clinic needs a name"}
	}
	if c.Phone != "" {
		p, err := content.ParsePhone(c.Phone, false)
		if err != nil {
			return &FieldError{"phone", err.Error()}
		}
		c.Phone = p.Text
	}
	if c.Region != "" {
		if _, ok := content.RegionByKey(c.Region); !ok {
			return &FieldError{"region", fmt.Sprintf("%q is no Danish region: use %s", c.Region, regionKeys())}
		}
	}
	return nil
}

func regionKeys() string {
	ks := make([]string, len(content.Regions))
	for i, r := range content.Regions {
		ks[i] = r.Key
	}
	return strings.Join(ks, ", ")
}

// Add makes the clinic c.
func (s *Service) Add(ctx context.Context, c store.Clinic) (store.Clinic, error) {
	if err := Check(&c); err != nil {
		return store.Clinic{}, err
	}
	c.CreatedAt = s.now()
	return s.st.CreateClinic(ctx, c)
}

// Invitation is a new invitation with its code, which is shown once.
type Invitation struct {
	store.Invitation
	Code string // as shown: "7K2M-Q9XD-4PWA"
}

// Invite makes an invitation into the clinic, valid for days (0:
// DefaultValidDays), optionally made out to a name and a programme.
func (s *Service) Invite(ctx context.Context, clinicID, by int64, name, programme string, days int) (Invitation, error) {
	if days == 0 {
		days = DefaultValidDays
	}
	if days < 1 || days > MaxValidDays {
		return Invitation{}, &FieldError{"days", fmt.Sprintf("an invitation is valid for 1 to %d days", MaxValidDays)}
	}
	now := s.now()
	inv := store.Invitation{ClinicID: clinicID, CreatedBy: by, Name: strings.TrimSpace(name), Programme: programme,
		CreatedAt: now, ExpiresAt: now.Add(time.Duration(days) * 24 * time.Hour)}
	for range 3 { // a second draw of the same 60 bits would be news
		code, hash := NewCode()
		got, err := s.st.CreateInvitation(ctx, inv, hash)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return Invitation{}, err
		}
		return Invitation{Invitation: got, Code: code}, nil
	}
	return Invitation{}, errors.New("clinic: three invitation codes in a row were taken")
}
