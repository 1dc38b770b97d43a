package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/stenose/stenose"
	"github.com/stenose/stenose/internal/account"
	"github.com/stenose/stenose/internal/care"
	"github.com/stenose/stenose/internal/site"
	"github.com/stenose/stenose/internal/store"
)

// seedInfo is what seed hands to load.
type seedInfo struct {
	Login, Password, Secret string
	Patients                []int64
}

const clinicianPassword = "bench-workspace-password-2026"

func seed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ExitOnError)
	dsn := fs.String("db", "", "PostgreSQL URL; empty: SQLite in -data")
	data := fs.String("data", "", "data folder (SQLite)")
	n := fs.Int("patients", 5000, "patients in the clinic")
	seedN := fs.Uint64("seed", 1, "seed of the made-up records")
	workers := fs.Int("workers", 32, "patients written at once")
	out := fs.String("out", "", "file for what load needs (required)")
	prof := fs.String("cpuprofile", "", "write a CPU profile of the seeding to this file")
	patientPW := fs.String("patient-password", "", "give every patient this password (one hash for all); empty: none")
	inClinic := fs.Bool("clinic", true, "the patients belong to the clinic (false: to none, like `stenose user add` without --clinic)")
	year := fs.Bool("year", true, "give each patient a year of record (false: none, a new account)")
	logins := fs.String("logins", "", "write the patients' logins to this file, one a line (bench/diary's -logins)")
	fs.Parse(args)
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *out == "" {
		return fmt.Errorf("seed: -out is required")
	}
	ctx := context.Background()
	now := time.Now()

	st, err := store.Open(ctx, *dsn, *data)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := site.Load(stenose.Content(), site.Options{BaseURL: "http://127.0.0.1"})
	if err != nil {
		return err
	}
	acc, err := account.New(st, account.Options{})
	if err != nil {
		return err
	}
	c, err := st.CreateClinic(ctx, store.Clinic{Slug: "bench", Name: "Rygklinikken Bench", Signup: store.SignupInvite, InactiveDays: 14})
	if err != nil {
		return err
	}
	cl, err := acc.CreateIn(ctx, "klinik", "Karen Kliniker", clinicianPassword, store.RoleClinician, c.ID)
	if err != nil {
		return err
	}
	en, err := acc.BeginTOTP(cl)
	if err != nil {
		return err
	}
	code, err := totp.GenerateCode(en.Secret, time.Now())
	if err != nil {
		return err
	}
	if _, err := acc.ConfirmTOTP(ctx, cl.ID, en.Secret, code); err != nil {
		return err
	}

	// The rules installed as stenose serve installs them: from now on
	// every write of a patient's record derives their alerts and summary
	// in its transaction. Each patient is made in the clinic, then their
	// year goes in with ImportRecord: one transaction, a few multi-row
	// INSERTs a table, and the derivation once, over the whole record.
	var hash string
	if *patientPW != "" {
		if hash, err = acc.Hash(ctx, *patientPW); err != nil {
			return err
		}
	}
	cs := care.New(care.Config{Store: st, Library: s.Library(), Logger: slog.New(slog.DiscardHandler)})
	t0 := time.Now()
	ids := make([]int64, *n)
	var records, done atomic.Int64
	err = parallel(*n, *workers, func(i int) error {
		p := genPatient(*seedN, i, now)
		p.User.PasswordHash = hash
		if *inClinic {
			p.User.ClinicID = c.ID
		}
		if !*year {
			p.User.CreatedAt = now
			*p = patientData{User: p.User}
		}
		u, err := st.CreateUser(ctx, p.User)
		if err != nil {
			return err
		}
		ids[i] = u.ID
		rec := store.CareRecord{RedFlagCheckins: p.Checkins, Baselines: p.Baselines, Diary: p.Diary,
			TrainingSessions: p.Sessions, Walks: p.Walks}
		if err := st.ImportRecord(ctx, u.ID, rec); err != nil {
			return fmt.Errorf("patient %d: %w", i, err)
		}
		// The clinic works its list: most alerts have been seen and
		// acknowledged (through the clinician's own call, which logs it),
		// a red flag never yet.
		if err := acknowledge(ctx, cs, st, &cl, u.ID, rand.New(rand.NewPCG(*seedN, uint64(*n+i)))); err != nil {
			return fmt.Errorf("patient %d: %w", i, err)
		}
		records.Add(int64(p.records()))
		if d := done.Add(1); d%500 == 0 {
			fmt.Fprintf(os.Stderr, "    %d patients, %d records, %.0f s\n", d, records.Load(), time.Since(t0).Seconds())
		}
		return nil
	})
	if err != nil {
		return err
	}
	el := time.Since(t0).Seconds()
	fmt.Printf("    seeded %d patients, %d records in %.1f s (%.0f records/s)\n", *n, records.Load(), el, float64(records.Load())/el)

	_, counts, err := st.ClinicPatients(ctx, c.ID, store.PatientQuery{Page: 1, PerPage: 25, Now: time.Now()})
	if err != nil {
		return err
	}
	fmt.Printf("    the list: %d patients, %d with open alerts, %d inactive\n", counts.All, counts.Alerts, counts.Inactive)

	if *logins != "" {
		var sb strings.Builder
		for i := range *n {
			sb.WriteString(genLogin(i) + "\n")
		}
		if err := os.WriteFile(*logins, []byte(sb.String()), 0o644); err != nil {
			return err
		}
	}

	b, err := json.Marshal(seedInfo{Login: cl.Login, Password: clinicianPassword, Secret: en.Secret, Patients: ids})
	if err != nil {
		return err
	}
	return os.WriteFile(*out, b, 0o600)
}

// acknowledge acknowledges patientID's open alerts as a clinic that works
// its list would have: an urgent one never, a warning for half the
// patients, information for 4 in 5.
func acknowledge(ctx context.Context, cs *care.Service, st *store.Store, cl *store.User, patientID int64, r *rand.Rand) error {
	alerts, err := st.PatientAlerts(ctx, cl.ClinicID, patientID)
	if err != nil || len(alerts) == 0 {
		return err
	}
	top := alerts[0].Rank // open ones first, most pressing first
	if top == store.RankUrgent || (top == store.RankWarning && r.IntN(2) == 0) || (top == store.RankInfo && r.IntN(5) == 0) {
		return nil
	}
	_, err = cs.AcknowledgeAll(ctx, cl, patientID, "Set. Ringer ved næste kontrol.")
	return err
}

// parallel runs fn(0…n-1) on workers goroutines and returns the first
// error.
func parallel(n, workers int, fn func(i int) error) error {
	var next atomic.Int64
	var first atomic.Pointer[error]
	var wg sync.WaitGroup
	for range max(1, min(workers, n, 64*runtime.NumCPU())) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || first.Load() != nil {
					return
				}
				if err := fn(i); err != nil {
					first.CompareAndSwap(nil, &err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if e := first.Load(); e != nil {
		return *e
	}
	return nil
}
