// Package cluster holds the tests that run several `stenose serve`
// processes on one PostgreSQL database, behind a real reverse proxy
// (Debian's HAProxy), and prove that the instances are interchangeable:
// what one instance writes or ends (a session, a password, a sign-in limit,
// a red-flag pause) holds on the other at once; an instance killed with
// SIGKILL under write load loses no acknowledged write and stores none
// twice, and rejoins when restarted; several instances starting at once on
// an empty database migrate it exactly once.
//
// The tests build the stenose binary once (go build -o into a temporary
// folder) and start it, PostgreSQL's schema (internal/store/pgtest) and
// haproxy as separate processes, the proxy with its own configuration in
// the test's temporary folder and loopback ports picked free — nothing is
// installed or started as a system service. Without STENOSE_TEST_POSTGRES
// or the haproxy binary they skip, and under CI=true they fail
// (internal/testenv); .ci/run installs haproxy and starts PostgreSQL.
//
// The package has no exported API; all code lives in _test.go files.
package cluster
