package store

import (
	"net/url"
	"testing"
)

func TestPoolSize(t *testing.T) {
	tests := []struct {
		dsn, want string
		n         int
		bad       bool
	}{
		{dsn: "postgres://u@h/db", want: "postgres://u@h/db", n: defaultPoolConns},
		{dsn: "postgres://u@h/db?sslmode=disable", want: "postgres://u@h/db?sslmode=disable", n: defaultPoolConns},
		{dsn: "postgres://u@h/db?pool_max_conns=4&sslmode=disable", want: "postgres://u@h/db?sslmode=disable", n: 4},
		{dsn: "postgresql://u:p%40ss@h:5433/db?pool_max_conns=64", want: "postgresql://u:p%40ss@h:5433/db", n: 64},
		{dsn: "postgres://u@h/db?pool_max_conns=0", bad: true},
		{dsn: "postgres://u@h/db?pool_max_conns=lots", bad: true},
		{dsn: "postgres://u@h/db?pool_max_conns=1001", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			got, n, err := poolSize(tt.dsn)
			if tt.bad {
				wantCode(t, err, EINVALID, "db")
				return
			}
			if err != nil || got != tt.want || n != tt.n {
				t.Errorf("poolSize = %q, %d, %v; want %q, %d", got, n, err, tt.want, tt.n)
			}
		})
	}
}

// TestPostgresPoolSize opens a real server with pool_max_conns: pgx must
// not see it (it would send it to the server as an unknown setting).
func TestPostgresPoolSize(t *testing.T) {
	u, err := url.Parse(testPostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "3")
	u.RawQuery = q.Encode()
	s, err := Open(t.Context(), u.String(), "")
	if err != nil {
		t.Fatalf("Open with pool_max_conns: %v", err)
	}
	defer s.Close()
	if err := s.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := s.w.Stats().MaxOpenConnections; got != 3 {
		t.Errorf("MaxOpenConnections = %d, want 3", got)
	}
}
