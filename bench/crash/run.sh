#!/usr/bin/env bash
# Crash test: kill -9 stenose mid-load, restart it on the same data, and check
# that every write the server acknowledged (303 to /dagbog) is still there.
# See bench/crash/README.md.
#
#   bench/crash/run.sh [sqlite|postgres|both]     (default: sqlite)
#
# Knobs: RUNS [3] CLIENTS [16] KILL_AFTER [3] (seconds of load before kill -9)
#        KEEP=1 keep the temp dir
#        SELFTEST=1 add a never-sent note to each run's acknowledged list:
#                   every run must then FAIL with 1 missing (checks the checker)
# Exits 1 if any acknowledged note is missing in any run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=../../scripts/pg.sh
source scripts/pg.sh

MODE=${1:-sqlite}
case "$MODE" in sqlite | postgres | both) ;; *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;; esac
RUNS=${RUNS:-3} CLIENTS=${CLIENTS:-16} KILL_AFTER=${KILL_AFTER:-3}
PASSWORD='crash-test-password-2026'
LOGIN=crashpatient

TMP=$(mktemp -d /tmp/stenose-crash.XXXXXX)
SRVPID="" WPID=""
cleanup() {
	[[ -n "$WPID" ]] && { kill "$WPID" 2>/dev/null || true; }
	[[ -n "$SRVPID" ]] && { kill -9 "$SRVPID" 2>/dev/null || true; wait "$SRVPID" 2>/dev/null || true; }
	pg_stop
	if [[ -z "${KEEP:-}" ]]; then rm -rf "$TMP"; else echo "kept $TMP"; fi
}
trap cleanup EXIT

echo "==> build"
CGO_ENABLED=0 go build -o "$TMP/stenose" ./cmd/stenose
go build -o "$TMP/writer" ./bench/crash/writer
go build -o "$TMP/verify" ./bench/crash/verify

# A throwaway PostgreSQL cluster with its durable defaults (fsync on).

start_server() { # data dsn port log
	"$TMP/stenose" serve --addr "127.0.0.1:$3" --data "$1" --db "$2" 2>>"$4" &
	SRVPID=$!
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$3") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "server did not start"; tail "$4"; exit 1
}

one_run() { # engine run
	local engine=$1 run=$2 data="$TMP/data-$1-$2" dsn="" log="$TMP/serve-$1-$2.log" ack="$TMP/ack-$1-$2"
	mkdir -p "$data"
	if [[ $engine == postgres ]]; then
		dsn=$(pg_createdb "crash$run") || exit 1
	fi
	echo "$PASSWORD" | "$TMP/stenose" user add --login "$LOGIN" --role patient --data "$data" --db "$dsn" >/dev/null
	local port; port=$(free_port)
	start_server "$data" "$dsn" "$port" "$log"
	: >"$ack"
	"$TMP/writer" -base "http://127.0.0.1:$port" -login "$LOGIN" -password "$PASSWORD" -ack "$ack" \
		-run "$engine$run" -clients "$CLIENTS" &
	WPID=$!
	sleep "$KILL_AFTER"
	kill -9 "$SRVPID"
	wait "$SRVPID" 2>/dev/null || true
	SRVPID=""
	echo "    kill -9 after ${KILL_AFTER}s ($(wc -l <"$ack") acknowledged so far)"
	wait "$WPID" || { echo "writer failed"; WPID=""; return 1; }
	WPID=""
	# SELFTEST=1: a note that was never sent must be reported missing.
	[[ -n "${SELFTEST:-}" ]] && echo "crash-test-never-sent" >>"$ack"
	start_server "$data" "$dsn" "$port" "$log"
	local rc=0
	"$TMP/verify" -base "http://127.0.0.1:$port" -login "$LOGIN" -password "$PASSWORD" -ack "$ack" || rc=1
	kill "$SRVPID"; wait "$SRVPID" 2>/dev/null || true; SRVPID=""
	return $rc
}

RC=0
echo "==> $(date -u +%FT%TZ) $(nproc) cores, $(uname -sr)"
for engine in sqlite postgres; do
	[[ $MODE == both || $MODE == "$engine" ]] || continue
	[[ $engine == postgres ]] && { pg_start || exit 1; }
	for run in $(seq "$RUNS"); do
		echo "==> $engine run $run/$RUNS: $CLIENTS clients"
		if ! one_run "$engine" "$run"; then RC=1; echo "    FAIL"; fi
	done
done
[[ $RC == 0 ]] && echo "==> all runs: 0 missing" || echo "==> SOME ACKNOWLEDGED WRITES ARE MISSING (or a run failed)"
exit $RC
