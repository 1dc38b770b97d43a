package main

import (
	"testing"

	"github.com/stenose/stenose/internal/account"
)

// TestHeapLimit: the soft memory limit is two hashes' memory per hashing
// slot — 256 MiB for the default two slots, the figure the README's memory
// budget (320 MiB) is made of — so the hashes alone never reach it.
func TestHeapLimit(t *testing.T) {
	for _, tc := range []struct {
		slots int
		want  int64
	}{
		{account.DefaultHashSlots, 256 << 20},
		{1, 128 << 20},
		{4, 512 << 20},
	} {
		if got := heapLimit(tc.slots); got != tc.want {
			t.Errorf("heapLimit(%d) = %d MiB, want %d MiB", tc.slots, got>>20, tc.want>>20)
		}
		if hashes := int64(tc.slots) * int64(account.DefaultParams.Memory) << 10; heapLimit(tc.slots) < 2*hashes {
			t.Errorf("heapLimit(%d) = %d MiB leaves no room beside %d MiB of hashes", tc.slots, heapLimit(tc.slots)>>20, hashes>>20)
		}
	}
}
