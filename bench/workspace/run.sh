#!/usr/bin/env bash
# Clinician workspace benchmark: a clinic of 5,000 patients with a year of
# record each; a signed-in clinician's first page of the patient list and
# one patient's page, timed. See bench/workspace/README.md.
#
#   bench/workspace/run.sh [sqlite|postgres|both]     (default: both)
#
# Knobs: PATIENTS [5000] SEED [1] N [500] WARMUP [50] WORKERS [8]
#        ROUNDS [2] timed rounds against the same server (the first comes
#               right after seeding, while the database may still be
#               writing the load out: checkpoint, autovacuum)
#        PG_FSYNC [on]  on: PostgreSQL keeps its durable defaults;
#                       off: fsync/synchronous_commit off (like .ci/run)
#        KEEP=1 keep the temp dir (data, server logs)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=../../scripts/pg.sh
source scripts/pg.sh

MODE=${1:-both}
case "$MODE" in sqlite | postgres | both) ;; *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;; esac
PATIENTS=${PATIENTS:-5000} SEED=${SEED:-1} N=${N:-500} WARMUP=${WARMUP:-50} WORKERS=${WORKERS:-8} PG_FSYNC=${PG_FSYNC:-on}
ROUNDS=${ROUNDS:-2}

TMP=$(mktemp -d /tmp/stenose-workspace.XXXXXX)
SRVPID=""
cleanup() {
	if [[ -n "$SRVPID" ]]; then kill "$SRVPID" 2>/dev/null || true; wait "$SRVPID" 2>/dev/null || true; fi
	pg_stop
	if [[ -z "${KEEP:-}" ]]; then rm -rf "$TMP"; else echo "kept $TMP"; fi
}
trap cleanup EXIT

echo "==> build"
CGO_ENABLED=0 go build -o "$TMP/stenose" ./cmd/stenose
CGO_ENABLED=0 go build -o "$TMP/workspace" ./bench/workspace

run_engine() {
	local engine=$1 data="$TMP/data-$1" dsn=""
	mkdir -p "$data"
	if [[ $engine == postgres ]]; then
		local opts=()
		[[ "$PG_FSYNC" == off ]] && opts=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
		pg_start "${opts[@]}" || exit 1
		dsn=$(pg_createdb stenose_bench) || exit 1
	fi
	echo "==> $engine: seed $PATIENTS patients (seed $SEED)"
	local t0=$SECONDS
	"$TMP/workspace" seed -db "$dsn" -data "$data" -patients "$PATIENTS" -seed "$SEED" -workers "$WORKERS" -out "$TMP/seed-$engine.json"
	echo "    done in $((SECONDS - t0)) s"
	[[ $engine == sqlite ]] && echo "    database: $(du -sh "$data" | cut -f1)"
	local port; port=$(free_port)
	"$TMP/stenose" serve --addr "127.0.0.1:$port" --data "$data" --db "$dsn" 2>"$TMP/serve-$engine.log" &
	SRVPID=$!
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.1
	done
	local rc=0
	for round in $(seq "$ROUNDS"); do
		echo "==> $engine, round $round: $WARMUP warm-up, then $N requests of each page, one at a time ($(uptime | sed 's/.*load/load/'))"
		"$TMP/workspace" load -base "http://127.0.0.1:$port" -in "$TMP/seed-$engine.json" -n "$N" -warmup "$WARMUP" -label "$engine" || { rc=$?; break; }
	done
	kill "$SRVPID"; wait "$SRVPID" 2>/dev/null || true; SRVPID=""
	if grep -q '"level":"WARN"\|"level":"ERROR"' "$TMP/serve-$engine.log"; then
		echo "    the server logged warnings (last 5):"; grep '"level":"WARN"\|"level":"ERROR"' "$TMP/serve-$engine.log" | tail -5
	fi
	if [[ $rc -ne 0 ]]; then echo "    server log (last 20 lines):"; tail -20 "$TMP/serve-$engine.log"; fi
	[[ $engine == postgres ]] && pg_stop
	return $rc
}

RC=0
echo "==> $(date -u +%FT%TZ) $(nproc) cores, $(uname -sr)"
[[ $MODE == sqlite || $MODE == both ]] && { run_engine sqlite || RC=1; }
[[ $MODE == postgres || $MODE == both ]] && { run_engine postgres || RC=1; }
exit $RC
