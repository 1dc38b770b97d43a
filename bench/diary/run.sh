#!/usr/bin/env bash
# Diary write benchmark: 64 signed-in patients POSTing /dagbog concurrently.
# See bench/diary/README.md.
#
#   bench/diary/run.sh [sqlite|postgres|both]     (default: both)
#
# Knobs: CLIENTS [64] USERS [64] WARMUP [2s] DURATION [10s]
#        PG_FSYNC [on]  on: PostgreSQL keeps its durable defaults;
#                       off: fsync/synchronous_commit off (like .ci/run)
#        PG_POOL [16] connections stenose opens to PostgreSQL (pool_max_conns)
#        CLINIC [none]  none: the patients belong to no clinic (each write's
#                       derivation only reads the user);
#                       new: they belong to a clinic, new accounts (records
#                       start empty);
#                       year: they belong to a clinic and have a year of
#                       record each (bench/workspace's seed), so each write
#                       derives the clinic's alerts and list line over a
#                       record of realistic size
#        STENOSE_BIN use this stenose binary instead of building ./cmd/stenose
#                    (to compare two versions on the same run)
#        KEEP=1 keep the temp dir (server logs)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=../../scripts/pg.sh
source scripts/pg.sh

MODE=${1:-both}
case "$MODE" in sqlite | postgres | both) ;; *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;; esac
CLIENTS=${CLIENTS:-64} USERS=${USERS:-64} WARMUP=${WARMUP:-2s} DURATION=${DURATION:-10s} PG_FSYNC=${PG_FSYNC:-on}
CLINIC=${CLINIC:-none}
case "$CLINIC" in none | new | year) ;; *) echo "CLINIC: none, new or year" >&2; exit 2 ;; esac
PASSWORD='bench-diary-password-2026'

TMP=$(mktemp -d /tmp/stenose-diary.XXXXXX)
SRVPID=""
cleanup() {
	if [[ -n "$SRVPID" ]]; then kill "$SRVPID" 2>/dev/null || true; wait "$SRVPID" 2>/dev/null || true; fi
	pg_stop
	if [[ -z "${KEEP:-}" ]]; then rm -rf "$TMP"; else echo "kept $TMP"; fi
}
trap cleanup EXIT

echo "==> build"
if [[ -n "${STENOSE_BIN:-}" ]]; then cp "$STENOSE_BIN" "$TMP/stenose"; else CGO_ENABLED=0 go build -o "$TMP/stenose" ./cmd/stenose; fi
go build -o "$TMP/load" ./bench/diary/load
CGO_ENABLED=0 go build -o "$TMP/workspace" ./bench/workspace

run_engine() {
	local engine=$1 data="$TMP/data-$1" dsn=""
	mkdir -p "$data"
	if [[ $engine == postgres ]]; then
		local opts=()
		[[ "$PG_FSYNC" == off ]] && opts=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
		pg_start "${opts[@]}" || exit 1
		dsn=$(pg_createdb stenose_bench) || exit 1
		[[ -n "${PG_POOL:-}" ]] && dsn="$dsn&pool_max_conns=$PG_POOL"
		# PG_SOCKET=1: through the server's Unix socket instead of TCP on
		# loopback, as a stenose on the database's own machine would connect.
		[[ -n "${PG_SOCKET:-}" ]] && dsn="postgres://postgres@/stenose_bench?host=$PGTMP&port=$PGPORT&sslmode=disable"
	fi
	echo "==> $engine: add $USERS patients (clinic: $CLINIC)"
	local t0=$SECONDS
	# The patients are made by bench/workspace's seed through the store
	# (one password hash for them all; 64 × `stenose user add` took 0.5–3 s
	# each).
	local how=()
	case $CLINIC in
	none) how=(-clinic=false -year=false) ;;
	new) how=(-year=false) ;;
	esac
	"$TMP/workspace" seed -db "$dsn" -data "$data" -patients "$USERS" "${how[@]}" -patient-password "$PASSWORD" \
		-logins "$TMP/logins-$engine" -out "$TMP/seed-$engine.json" | sed 's/^/    /'
	echo "    done in $((SECONDS - t0)) s"
	local port; port=$(free_port)
	"$TMP/stenose" serve --addr "127.0.0.1:$port" --data "$data" --db "$dsn" 2>"$TMP/serve-$engine.log" &
	SRVPID=$!
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.1
	done
	echo "==> $engine: $CLIENTS clients, warm-up $WARMUP, measure $DURATION"
	local rc=0
	"$TMP/load" -base "http://127.0.0.1:$port" -logins "$TMP/logins-$engine" -password "$PASSWORD" \
		-clients "$CLIENTS" -warmup "$WARMUP" -duration "$DURATION" -label "$engine" -server-pid "$SRVPID" || rc=$?
	kill "$SRVPID"; wait "$SRVPID" 2>/dev/null || true; SRVPID=""
	if [[ $rc -ne 0 ]]; then echo "    server log (last 20 lines):"; tail -20 "$TMP/serve-$engine.log"; fi
	[[ $engine == postgres ]] && pg_stop
	return $rc
}

RC=0
echo "==> $(date -u +%FT%TZ) $(nproc) cores, $(uname -sr)"
[[ $MODE == sqlite || $MODE == both ]] && { run_engine sqlite || RC=1; }
[[ $MODE == postgres || $MODE == both ]] && { run_engine postgres || RC=1; }
exit $RC
