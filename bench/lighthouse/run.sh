#!/usr/bin/env bash
# Lighthouse mobile audit of a local `stenose serve`. See bench/lighthouse/README.md.
#
#   bench/lighthouse/run.sh [URL-PATH…]
#
# Default paths: /oevelser/knae-til-bryst /program/5-bedste-oevelser/traening
#                /blog/5-bedste-oevelser-til-spinalstenose /gang
#
# Environment knobs (defaults in brackets):
#   RUNS [3]           Lighthouse runs per path; the median run is reported
#   LH_PORT [18190]    port for stenose serve (always on 127.0.0.1)
#   CHROME_PATH [/usr/bin/chromium]
#   STENOSE_BIN        use this binary instead of building ./cmd/stenose
#   KEEP=1             keep the temp dir (Lighthouse JSON + HTML reports, net logs, logs)
#   LH_TIMEOUT [300]   seconds one Lighthouse run may take before it is killed
#   LH_DIAGNOSTICS=0   hide the unweighted diagnostics (hints that cost no points)
#   QUIET_WAIT=N       wait up to N s for the CPUs to be idle (<=15% busy) first
set -euo pipefail

case "${1:-}" in
-h | --help | help)
	sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
HOST=127.0.0.1 # loopback only, always
PORT=${LH_PORT:-18190}
BASE="http://$HOST:$PORT"
LH_TIMEOUT=${LH_TIMEOUT:-300}
RUNS=${RUNS:-3}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "lighthouse: error: RUNS must be a positive integer" >&2; exit 2; }
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

if (($# > 0)); then
	PATHS=("$@")
else
	PATHS=(
		/oevelser/knae-til-bryst
		/program/5-bedste-oevelser/traening
		/blog/5-bedste-oevelser-til-spinalstenose
		/gang
	)
fi

# Never send loopback requests through a proxy.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
CURL=(curl --noproxy '*' -sS --max-time 5)

log() { printf '==> %s\n' "$*" >&2; }
die() {
	printf 'lighthouse: error: %s\n' "$*" >&2
	exit 1
}

for p in "${PATHS[@]}"; do
	[[ $p == /* ]] || die "not a URL path (must start with /): $p"
done
command -v node >/dev/null || die "node is not on PATH"
command -v npm >/dev/null || die "npm is not on PATH"
command -v curl >/dev/null || die "curl is not on PATH"
[[ -x $CHROME_PATH ]] || die "no Chrome at $CHROME_PATH (Debian: apt-get install chromium)"
[[ -n ${STENOSE_BIN:-} ]] || command -v go >/dev/null || die "go is not on PATH"

# ---------------------------------------------------------------- cleanup

WORK=$(mktemp -d /tmp/stenose-lighthouse.XXXXXX)
SERVER_PID=

cleanup() {
	if [[ -n $SERVER_PID ]]; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=
	fi
	if [[ ${KEEP:-0} == 1 ]]; then
		log "kept $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- lighthouse

# npm ci when node_modules is missing or holds another Lighthouse than the pin.
want=$(node -p 'require(process.argv[1]).dependencies.lighthouse' "$HERE/package.json")
have=$(node -p 'require(process.argv[1]).version' "$HERE/node_modules/lighthouse/package.json" 2>/dev/null || true)
if [[ $have != "$want" || ! -f $HERE/node_modules/lighthouse/cli/index.js ]]; then
	log "npm ci in bench/lighthouse (lighthouse $want)"
	(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) >&2 || die "npm ci failed"
fi
LH_VERSION=$(node "$HERE/node_modules/lighthouse/cli/index.js" --version)
log "lighthouse $LH_VERSION, $("$CHROME_PATH" --version 2>/dev/null | head -1)"

# ---------------------------------------------------------------- quiet?

# shellcheck source=../../scripts/quiet.sh
source "$ROOT/scripts/quiet.sh"
wait_quiet 2
if [[ $BUSY0 =~ ^[0-9]+$ ]] && ((BUSY0 > 15)); then
	log "WARNING: the CPUs were ${BUSY0}% busy before the audit started; performance scores will be noisy"
else
	log "CPUs ${BUSY0}% busy before the audit ($(nproc) cores)"
fi

# ---------------------------------------------------------------- server

if "${CURL[@]}" -o /dev/null "$BASE/" 2>/dev/null; then
	die "something already listens on $HOST:$PORT (set LH_PORT)"
fi

if [[ -n ${STENOSE_BIN:-} ]]; then
	BIN=$STENOSE_BIN
else
	log "go build ./cmd/stenose"
	(cd "$ROOT" && go build -o "$WORK/stenose" ./cmd/stenose) || die "go build failed"
	BIN=$WORK/stenose
fi

# Only the flags given here count: drop STENOSE_* settings from the environment.
UNSET=()
for v in ${!STENOSE_@}; do
	[[ $v == STENOSE_BIN ]] || UNSET+=(-u "$v")
done
log "stenose serve --addr $HOST:$PORT"
env "${UNSET[@]}" "$BIN" serve --addr "$HOST:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 150); do
	"${CURL[@]}" -o /dev/null -f "$BASE/healthz" 2>/dev/null && break
	kill -0 "$SERVER_PID" 2>/dev/null || {
		tail -20 "$WORK/server.log" >&2
		die "stenose serve exited"
	}
	sleep 0.1
done
"${CURL[@]}" -o /dev/null -f "$BASE/healthz" || {
	tail -20 "$WORK/server.log" >&2
	die "no answer from $BASE/healthz"
}

# ---------------------------------------------------------------- audits

# Chrome flags. --host-resolver-rules makes every host name but 127.0.0.1 fail
# to resolve at once, inside Chrome, so nothing (page, Lighthouse, or Chrome's
# own background services) can reach or wait for the outside network.
chrome_flags() {
	printf '%s ' \
		--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --disable-quic \
		"--host-resolver-rules=\"MAP * ~NOTFOUND, EXCLUDE $HOST\"" \
		"--user-data-dir=$1" "--log-net-log=$2" --net-log-capture-mode=Default
}

REPORTS=()
FAILED=()
NETBAD=()
i=0
for p in "${PATHS[@]}"; do
	i=$((i + 1))
	code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE$p" || true)
	[[ $code == 200 ]] || log "warning: $p answers HTTP $code"
	for run in $(seq "$RUNS"); do
		name=$(printf '%02d-%d' "$i" "$run")
		log "lighthouse $p (run $run of $RUNS)"
		mkdir -p "$WORK/tmp-$name"
		rc=0
		# TMPDIR: chrome-launcher's own scratch dir goes inside WORK as well.
		TMPDIR="$WORK/tmp-$name" timeout --kill-after=10 "$LH_TIMEOUT" \
			node "$HERE/node_modules/lighthouse/cli/index.js" "$BASE$p" \
			--only-categories=performance,accessibility,best-practices,seo \
			--output=json --output=html --output-path="$WORK/$name" \
			--chrome-flags="$(chrome_flags "$WORK/profile-$name" "$WORK/$name.netlog.json")" \
			--no-enable-error-reporting --quiet \
			>"$WORK/$name.lighthouse.log" 2>&1 || rc=$?
		rm -rf "$WORK/profile-$name" "$WORK/tmp-$name"
		if ((rc != 0)) || [[ ! -s $WORK/$name.report.json ]]; then
			tail -20 "$WORK/$name.lighthouse.log" >&2
			log "lighthouse failed on $p (exit $rc)"
			FAILED+=("$p")
			break
		fi
		REPORTS+=("$WORK/$name.report.json")

		# Did Chrome reach, or try to reach, anything but loopback?
		if [[ -s $WORK/$name.netlog.json ]]; then
			net=$(node "$HERE/netcheck.mjs" "$WORK/$name.netlog.json" 2>&1) || NETBAD+=("$p")
			[[ -z $net || $run -gt 1 ]] || sed 's/^/    /' <<<"$net" >&2
			[[ $net != *NETWORK:* || $run -eq 1 ]] || sed 's/^/    /' <<<"$net" >&2
		else
			log "warning: no net log for $p"
		fi
	done
done

((${#REPORTS[@]} > 0)) || die "no Lighthouse report was written"
echo
echo "stenose lighthouse: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(cd "$ROOT" && git rev-parse --short --verify -q HEAD 2>/dev/null || echo none)$(cd "$ROOT" && [[ -n $(git status --porcelain 2>/dev/null) ]] && echo ' (dirty)'), $("$CHROME_PATH" --version 2>/dev/null | head -1), node $(node --version), $(nproc) cores, CPUs ${BUSY0}% busy before the audit"
rc=0
node "$HERE/report.mjs" "${REPORTS[@]}" || rc=$?
if ((${#FAILED[@]} > 0)); then
	log "lighthouse failed on: ${FAILED[*]}"
	rc=1
fi
if ((${#NETBAD[@]} > 0)); then
	log "Chrome tried a non-loopback address during: $(printf '%s\n' "${NETBAD[@]}" | sort -u | tr '\n' ' ')(see the NETWORK lines above)"
	rc=1
fi
exit "$rc"
