#!/usr/bin/env bash
# Soak test: 10,000 patients with a year of record each on PostgreSQL, two
# `stenose serve` instances on it, a steady mix of traffic for 10 minutes.
# See bench/soak/README.md. Not part of CI (it takes ~15 minutes).
#
#   bench/soak/run.sh
#
# Knobs: PATIENTS [10000] RPS [60] DURATION [10m] SESSIONS [200]
#        PG_FSYNC [on]  on: PostgreSQL keeps its durable defaults
#        KEEP=1 keep the temp dir (server logs, the database's cluster is removed)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=../../scripts/pg.sh
source scripts/pg.sh

PATIENTS=${PATIENTS:-10000} RPS=${RPS:-60} DURATION=${DURATION:-10m} SESSIONS=${SESSIONS:-200} PG_FSYNC=${PG_FSYNC:-on}
PASSWORD='bench-soak-password-2026'

TMP=$(mktemp -d /tmp/stenose-soak.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	pg_stop
	if [[ -z "${KEEP:-}" ]]; then rm -rf "$TMP"; else echo "kept $TMP"; fi
}
trap cleanup EXIT

echo "==> $(date -u +%FT%TZ) $(nproc) cores, $(uname -sr)"
echo "==> build"
CGO_ENABLED=0 go build -o "$TMP/stenose" ./cmd/stenose
CGO_ENABLED=0 go build -o "$TMP/workspace" ./bench/workspace
go build -o "$TMP/load" ./bench/soak/load

opts=()
[[ "$PG_FSYNC" == off ]] && opts=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
pg_start "${opts[@]}" || exit 1
dsn=$(pg_createdb stenose_soak) || exit 1

echo "==> seed $PATIENTS patients with a year of record each"
t0=$SECONDS
"$TMP/workspace" seed -db "$dsn" -data "$TMP/data" -patients "$PATIENTS" -patient-password "$PASSWORD" \
	-logins "$TMP/logins" -out "$TMP/seed.json" | sed 's/^/    /'
echo "    done in $((SECONDS - t0)) s"

bases=() pids=()
for i in 1 2; do
	port=$(free_port)
	# Each instance trusts loopback as its proxy, so the load's
	# X-Forwarded-For gives every simulated patient an address of their own.
	"$TMP/stenose" serve --addr "127.0.0.1:$port" --db "$dsn&pool_max_conns=16" --trusted-proxies 127.0.0.1 \
		2>"$TMP/serve-$i.log" &
	PIDS+=($!)
	pids+=($!)
	bases+=("http://127.0.0.1:$port")
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.1
	done
done
echo "==> two instances: ${bases[*]}; $RPS requests/s for $DURATION"
rc=0
"$TMP/load" -bases "$(IFS=,; echo "${bases[*]}")" -pids "$(IFS=,; echo "${pids[*]}")" -logins "$TMP/logins" \
	-password "$PASSWORD" -rps "$RPS" -duration "$DURATION" -sessions "$SESSIONS" || rc=$?
for i in 1 2; do
	if grep -q '"level":"ERROR"' "$TMP/serve-$i.log"; then
		echo "    server $i logged errors (last 5):"; grep '"level":"ERROR"' "$TMP/serve-$i.log" | tail -5
		rc=1
	fi
done
exit $rc
