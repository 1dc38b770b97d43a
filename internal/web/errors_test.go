package web

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/store"
)

// TestStatusOf: the one table of domain errors and their HTTP status,
// wrapped or not.
func TestStatusOf(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int
	}{
		{nil, 200},
		{store.ErrNotFound, 404},
		{fmt.Errorf("loading: %w", &store.Error{Code: store.ENOTFOUND, Message: "diary entry 7 not found"}), 404},
		{&store.Error{Code: store.ECONFLICT, Field: "login"}, 409},
		{care.ErrTargetsChanged, 409},
		{&store.Error{Code: store.EINVALID, Field: "leg_pain"}, 422},
		{&store.InvitationError{State: store.InvitationUsed}, 422},
		{&account.Error{Field: "login", Code: "loginTaken"}, 422},
		{care.ErrTargetNotOffered, 422},
		{&account.RateLimitedError{RetryAfter: time.Minute}, 429},
		{account.ErrDisabled, 403},
		{fmt.Errorf("query: %w", context.Canceled), 503},
		{errors.New("disk full"), 500},
		{&store.Error{Code: store.EINTERNAL}, 500},
	} {
		if got := statusOf(tt.err); got != tt.want {
			t.Errorf("statusOf(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
