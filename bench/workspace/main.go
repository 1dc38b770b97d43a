// Command workspace is the clinician workspace benchmark (see README.md):
//
//	workspace seed -db DSN -data DIR [-patients 5000] [-seed 1] -out FILE
//	workspace load -base URL -in FILE [-n 500] [-warmup 50] -label ENGINE
//
// seed makes a clinic, its clinician (password and second factor) and its
// patients with a year of record each, through the store's write
// functions, and writes what load needs (the clinician's login, password,
// TOTP secret and the patients' ids) to FILE. load signs the clinician in
// against a running `stenose serve`, then times GET /klinik and GET
// /klinik/patienter/{pid}.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: workspace seed|load [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "seed":
		err = seed(os.Args[2:])
	case "load":
		err = load(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: seed or load", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "workspace:", err)
		os.Exit(1)
	}
}
