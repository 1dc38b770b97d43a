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

MODE=${1:-sqlite}
case "$MODE" in sqlite | postgres | both) ;; *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;; esac
RUNS=${RUNS:-3} CLIENTS=${CLIENTS:-16} KILL_AFTER=${KILL_AFTER:-3}
PGBIN=/usr/lib/postgresql/15/bin
PASSWORD='crash-test-password-2026'
LOGIN=crashpatient

TMP=$(mktemp -d /tmp/stenose-crash.XXXXXX)
PGTMP="" SRVPID="" WPID=""
cleanup() {
	[[ -n "$WPID" ]] && { kill "$WPID" 2>/dev/null || true; }
	[[ -n "$SRVPID" ]] && { kill -9 "$SRVPID" 2>/dev/null || true; wait "$SRVPID" 2>/dev/null || true; }
	if [[ -n "$PGTMP" ]]; then
		[[ -f "$PGTMP/data/postmaster.pid" ]] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
		rm -rf "$PGTMP" || true
	fi
	if [[ -z "${KEEP:-}" ]]; then rm -rf "$TMP"; else echo "kept $TMP"; fi
}
trap cleanup EXIT

free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	return 1
}

echo "==> build"
CGO_ENABLED=0 go build -o "$TMP/stenose" ./cmd/stenose
go build -o "$TMP/writer" ./bench/crash/writer
go build -o "$TMP/verify" ./bench/crash/verify

# A throwaway PostgreSQL cluster with its durable defaults (fsync on).
start_pg() {
	PGTMP=$(mktemp -d /tmp/stenose-pg.XXXXXX)
	chown postgres:postgres "$PGTMP"; chmod 700 "$PGTMP"
	pgrun() { (cd "$PGTMP" && runuser -u postgres -- "$@"); }
	pgrun "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$PGTMP/initdb.log" 2>&1 ||
		{ cat "$PGTMP/initdb.log"; exit 1; }
	PGPORT=""
	for _ in 1 2 3; do
		local port; port=$(free_port)
		if pgrun "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
			-o "-k $PGTMP -p $port -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null; then
			PGPORT=$port; break
		fi
	done
	[[ -n "$PGPORT" ]] || { cat "$PGTMP/server.log"; exit 1; }
}

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
		(cd "$PGTMP" && runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "crash$run")
		dsn="postgres://postgres@127.0.0.1:$PGPORT/crash$run?sslmode=disable"
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
	[[ $engine == postgres ]] && start_pg
	for run in $(seq "$RUNS"); do
		echo "==> $engine run $run/$RUNS: $CLIENTS clients"
		if ! one_run "$engine" "$run"; then RC=1; echo "    FAIL"; fi
	done
done
[[ $RC == 0 ]] && echo "==> all runs: 0 missing" || echo "==> SOME ACKNOWLEDGED WRITES ARE MISSING (or a run failed)"
exit $RC
