#!/usr/bin/env bash
# Diary write benchmark: 64 signed-in patients POSTing /dagbog concurrently.
# See bench/diary/README.md.
#
#   bench/diary/run.sh [sqlite|postgres|both]     (default: both)
#
# Knobs: CLIENTS [64] USERS [64] WARMUP [2s] DURATION [10s]
#        PG_FSYNC [on]  on: PostgreSQL keeps its durable defaults;
#                       off: fsync/synchronous_commit off (like .ci/run)
#        KEEP=1 keep the temp dir (server logs)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

MODE=${1:-both}
case "$MODE" in sqlite | postgres | both) ;; *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;; esac
CLIENTS=${CLIENTS:-64} USERS=${USERS:-64} WARMUP=${WARMUP:-2s} DURATION=${DURATION:-10s} PG_FSYNC=${PG_FSYNC:-on}
PGBIN=/usr/lib/postgresql/15/bin
PASSWORD='bench-diary-password-2026'

TMP=$(mktemp -d /tmp/stenose-diary.XXXXXX)
PGTMP="" SRVPID=""
cleanup() {
	if [[ -n "$SRVPID" ]]; then kill "$SRVPID" 2>/dev/null || true; wait "$SRVPID" 2>/dev/null || true; fi
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
go build -o "$TMP/load" ./bench/diary/load

start_pg() {
	PGTMP=$(mktemp -d /tmp/stenose-pg.XXXXXX)
	chown postgres:postgres "$PGTMP"; chmod 700 "$PGTMP"
	pgrun() { (cd "$PGTMP" && runuser -u postgres -- "$@"); }
	pgrun "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$PGTMP/initdb.log" 2>&1 ||
		{ cat "$PGTMP/initdb.log"; exit 1; }
	local opts="-k $PGTMP -c listen_addresses=127.0.0.1 -c max_connections=200"
	[[ "$PG_FSYNC" == off ]] && opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	PGPORT=""
	for _ in 1 2 3; do
		local port; port=$(free_port)
		if pgrun "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 -o "$opts -p $port" start >/dev/null; then
			PGPORT=$port; break
		fi
	done
	[[ -n "$PGPORT" ]] || { cat "$PGTMP/server.log"; exit 1; }
	pgrun "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres stenose_bench
	DSN="postgres://postgres@127.0.0.1:$PGPORT/stenose_bench?sslmode=disable"
}

stop_pg() {
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$PGTMP"; PGTMP=""
}

run_engine() {
	local engine=$1 data="$TMP/data-$1" dsn=""
	mkdir -p "$data"
	if [[ $engine == postgres ]]; then start_pg; dsn=$DSN; fi
	echo "==> $engine: add $USERS patients"
	: >"$TMP/logins-$engine"
	local t0=$SECONDS
	for i in $(seq -w 1 "$USERS"); do
		echo "$PASSWORD" | "$TMP/stenose" user add --login "bench$i" --role patient --data "$data" --db "$dsn" >/dev/null
		echo "bench$i" >>"$TMP/logins-$engine"
	done
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
		-clients "$CLIENTS" -warmup "$WARMUP" -duration "$DURATION" -label "$engine" || rc=$?
	kill "$SRVPID"; wait "$SRVPID" 2>/dev/null || true; SRVPID=""
	if [[ $rc -ne 0 ]]; then echo "    server log (last 20 lines):"; tail -20 "$TMP/serve-$engine.log"; fi
	[[ $engine == postgres ]] && stop_pg
	return $rc
}

RC=0
echo "==> $(date -u +%FT%TZ) $(nproc) cores, $(uname -sr)"
[[ $MODE == sqlite || $MODE == both ]] && { run_engine sqlite || RC=1; }
[[ $MODE == postgres || $MODE == both ]] && { run_engine postgres || RC=1; }
exit $RC
