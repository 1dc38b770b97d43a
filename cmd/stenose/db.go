package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stenose/stenose/internal/store"
)

// dbOptions are --db and --data, shared by serve, user and migrate.
type dbOptions struct {
	dsn  *string
	data *string
}

// dbFlags adds --db (STENOSE_DB) and --data (STENOSE_DATA).
func dbFlags(fs *flag.FlagSet) dbOptions {
	return dbOptions{
		dsn: fs.String("db", envDefault("STENOSE_DB", ""),
			"database: empty means SQLite in the data folder; sqlite:PATH; or postgres://USER:PASS@HOST/DB (STENOSE_DB)"),
		data: fs.String("data", envDefault("STENOSE_DATA", ""),
			"data folder for the SQLite database; default $XDG_DATA_HOME/stenose, else ~/.local/share/stenose, else ./stenose-data (STENOSE_DATA)"),
	}
}

// open opens (and migrates) the database.
func (o dbOptions) open(ctx context.Context) (*store.Store, error) {
	data := *o.data
	if data == "" {
		data = defaultDataDir()
	}
	st, err := store.Open(ctx, *o.dsn, data)
	if err != nil {
		return nil, fmt.Errorf("opening the database: %w", err)
	}
	return st, nil
}

// defaultDataDir is where the data lives when --data is not given:
// $XDG_DATA_HOME/stenose, else $HOME/.local/share/stenose, else
// ./stenose-data.
func defaultDataDir() string {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "stenose")
	}
	if h, err := os.UserHomeDir(); err == nil && h != "" && strings.TrimSpace(h) != "/" {
		return filepath.Join(h, ".local", "share", "stenose")
	}
	return "stenose-data"
}
