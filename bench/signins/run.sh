#!/usr/bin/env bash
# Peak memory of `stenose serve` under a burst of sign-ins: N users (each
# argon2id-hashed with the real parameters), then ROUNDS rounds of N
# sign-ins at once, each from its own forwarded address; prints the
# process's resident memory (VmRSS) and its peak (VmHWM) after each round.
#
#   bench/signins/run.sh            N [24] ROUNDS [3]
#   STENOSE_BIN=/tmp/old bench/signins/run.sh   compare another build
#   GOMEMLIMIT=…                    passed to the server (default: its own)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
N=${N:-24} ROUNDS=${ROUNDS:-3}
TMP=$(mktemp -d)
trap 'kill "${PID:-}" 2>/dev/null || true; rm -rf "$TMP"' EXIT
BIN=${STENOSE_BIN:-$TMP/stenose}
[ -n "${STENOSE_BIN:-}" ] || CGO_ENABLED=0 go build -o "$BIN" ./cmd/stenose
go build -o "$TMP/signins" ./bench/signins
for i in $(seq 0 $((N - 1))); do
	printf 'gå en tur hver dag\n' | "$BIN" user add --login "$(printf 'u%02d' "$i")" --data "$TMP/data" >/dev/null
done
PORT=$((20000 + RANDOM % 20000))
"$BIN" serve --addr 127.0.0.1:$PORT --data "$TMP/data" --trusted-proxies 127.0.0.1 --drain 0s 2>"$TMP/log" &
PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
echo "idle: $(grep VmRSS /proc/$PID/status | tr -s ' ')"
for r in $(seq "$ROUNDS"); do
	"$TMP/signins" "http://127.0.0.1:$PORT" "$N"
	echo "round $r: $(grep -E 'VmRSS|VmHWM' /proc/$PID/status | tr -s ' ' | tr '\n' ' ')"
done
