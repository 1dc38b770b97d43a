package main

import (
	"flag"
	"strings"
	"testing"
	"time"

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

// TestHashSlotsEnv: STENOSE_HASH_SLOTS is read like the other variables,
// and a value that is no number, or below 1, is a usage error said before
// anything listens.
func TestHashSlotsEnv(t *testing.T) {
	for _, tc := range []struct{ value, msg string }{
		{"many", "STENOSE_HASH_SLOTS"},
		{"0", "--hash-slots must be at least 1"},
		{"-3", "--hash-slots must be at least 1"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			t.Setenv("STENOSE_HASH_SLOTS", tc.value)
			code, _, errs := runCmd(t, "serve", "--addr", "127.0.0.1:0")
			if code != 2 || !strings.Contains(errs, tc.msg) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tc.msg)
			}
		})
	}
}

// TestServeOneHashSlot: a small server's setting starts and serves.
func TestServeOneHashSlot(t *testing.T) {
	t.Setenv("STENOSE_ADDR", "127.0.0.1:0")
	url, _, stop := startServe(t, "--hash-slots", "1")
	if code, _ := httpGet(t, url+articlePath); code != 200 {
		t.Errorf("article = %d", code)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d, want 0", code)
	}
}

// TestEnvFlag: a variable sets its flag, parsed as the flag parses it; a
// flag on the command line still wins; a value the flag cannot take names
// the variable.
func TestEnvFlag(t *testing.T) {
	for _, tc := range []struct {
		env     string // "" leaves the variable unset
		args    []string
		want    time.Duration
		wantErr bool
	}{
		{"", nil, 5 * time.Second, false},
		{"2s", nil, 2 * time.Second, false},
		{"2s", []string{"--drain", "7s"}, 7 * time.Second, false},
		{"soon", nil, 0, true},
	} {
		t.Run(tc.env+strings.Join(tc.args, " "), func(t *testing.T) {
			t.Setenv("STENOSE_TEST_DRAIN", tc.env)
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			d := fs.Duration("drain", 5*time.Second, "")
			err := envFlag(fs, "drain", "STENOSE_TEST_DRAIN")
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), "STENOSE_TEST_DRAIN") {
					t.Fatalf("envFlag = %v, want an error naming the variable", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			if *d != tc.want {
				t.Errorf("--drain = %v, want %v", *d, tc.want)
			}
		})
	}
}
