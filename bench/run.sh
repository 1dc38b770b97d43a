#!/usr/bin/env bash
# stenose benchmarks. See bench/README.md.
#
#   bench/run.sh [serve|build|all]      (default: serve)
#
# serve: stenose serve vs nginx (serving `stenose build` output) vs a bare
#        net/http server (the same article bytes from memory), wrk on loopback,
#        plain and with Accept-Encoding: gzip (all three send stenose's gzip
#        bytes); then serve's peak RSS from fresh starts under wrk.
# build: `stenose build` wall time and peak RSS on 1,000 and 10,000 articles,
#        fresh, again unchanged and again with one article edited (and Hugo's,
#        fresh and again, when hugo is installed).
#
# Environment knobs (defaults in brackets):
#   STENOSE_PORT [18080] NGINX_PORT [18081] BARE_PORT [18082] FRESH_PORT [18083] BAREH_PORT [18084]
#   DURATION [10s] THREADS [2] CONNECTIONS [64] WARMUP [3s] ROUNDS [3]
#   AGG [best|median]  how rounds are summarised
#   BUILD_SIZES ["1000 10000"]
#   STENOSE_BIN  use this binary instead of building ./cmd/stenose
#   STENOSE_SERVE_FLAGS  extra flags for `stenose serve` (e.g. --access-log=false)
#   KEEP=1       keep the temp dir;  VERBOSE=1  print raw wrk output
#   QUIET_WAIT=N wait up to N s for the CPUs to be idle (<=15% busy) first
set -euo pipefail

MODE=${1:-serve}
case "$MODE" in
serve | build | all) ;;
-h | --help | help)
	sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
*)
	echo "usage: $0 [serve|build|all]" >&2
	exit 2
	;;
esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ARTICLE_PATH=/blog/5-bedste-oevelser-til-spinalstenose
HOST=127.0.0.1 # loopback only, always
STENOSE_PORT=${STENOSE_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
BARE_PORT=${BARE_PORT:-18082}
BAREH_PORT=${BAREH_PORT:-18084}
FRESH_PORT=${FRESH_PORT:-18083}
WRK_HDR=() # extra wrk arguments of the current mode (-H 'Accept-Encoding: gzip')
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-3}
AGG=${AGG:-best}
BUILD_SIZES=${BUILD_SIZES:-"1000 10000"}
FLOOR_ROWS=() # bench_floors' table

# Never send loopback requests through a proxy.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
CURL=(curl --noproxy '*' -sS --max-time 10)

log() { printf '==> %s\n' "$*" >&2; }
die() {
	printf 'bench: error: %s\n' "$*" >&2
	exit 1
}

# ---------------------------------------------------------------- cleanup

WORK=$(mktemp -d /tmp/stenose-bench.XXXXXX)
PIDS=()

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	PIDS=()
	if [[ ${KEEP:-0} == 1 ]]; then
		log "kept $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Drop a pid from the list cleanup() stops.
forget_pid() {
	local p keep=()
	for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
	PIDS=("${keep[@]}")
}

# Stop one process we started (TERM, then KILL after 5 s), and forget it.
stop_pid() {
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	forget_pid "$pid"
}

# ---------------------------------------------------------------- tools

need_tools() {
	local missing=() pkgs=()
	command -v curl >/dev/null || {
		missing+=(curl)
		pkgs+=(curl ca-certificates)
	}
	command -v go >/dev/null || die "go is not on PATH"
	if [[ $MODE != build ]]; then
		command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || {
			missing+=(nginx)
			pkgs+=(nginx)
		}
		command -v wrk >/dev/null || {
			missing+=(wrk)
			pkgs+=(wrk)
		}
	fi
	[[ -x /usr/bin/time ]] || {
		missing+=(/usr/bin/time)
		pkgs+=(time)
	}
	((${#missing[@]} == 0)) && return 0
	[[ $EUID -eq 0 ]] || die "missing ${missing[*]}; install: apt-get install -y --no-install-recommends ${pkgs[*]}"
	log "installing ${pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${pkgs[@]}" >"$WORK/apt.log" 2>&1 ||
		{ apt-get -o DPkg::Lock::Timeout=900 update >>"$WORK/apt.log" 2>&1 &&
			apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${pkgs[@]}" >>"$WORK/apt.log" 2>&1; } ||
		{
			tail -20 "$WORK/apt.log" >&2
			die "apt-get install failed"
		}
}

NGINX=$(command -v nginx || echo /usr/sbin/nginx)

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

check_ports() {
	local p
	for p in "$@"; do
		port_free "$p" || die "port $HOST:$p is already in use (set STENOSE_PORT/NGINX_PORT/BARE_PORT)"
	done
}

# wait_http URL PID NAME LOG: poll until URL answers 200, or the process dies.
wait_http() {
	local url=$1 pid=$2 name=$3 logf=$4
	for _ in $(seq 300); do
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -30 "$logf" >&2 || true
			die "$name exited before it was ready"
		fi
		if [[ $("${CURL[@]}" -o /dev/null -w '%{http_code}' "$url" 2>/dev/null || true) == 200 ]]; then
			return 0
		fi
		sleep 0.1
	done
	tail -30 "$logf" >&2 || true
	die "$name did not answer 200 on $url within 30 s"
}

build_binaries() {
	mkdir -p "$WORK/bin"
	if [[ -n ${STENOSE_BIN:-} ]]; then
		[[ -x $STENOSE_BIN ]] || die "STENOSE_BIN=$STENOSE_BIN is not executable"
		cp "$STENOSE_BIN" "$WORK/bin/stenose"
		log "using STENOSE_BIN=$STENOSE_BIN"
	else
		log "go build ./cmd/stenose"
		(cd "$ROOT" && go build -o "$WORK/bin/stenose" ./cmd/stenose) || die "could not build ./cmd/stenose"
	fi
	(cd "$ROOT" && go build -o "$WORK/bin/baregoserver" ./bench/baregoserver &&
		go build -o "$WORK/bin/gencontent" ./bench/gencontent) || die "could not build bench tools"
	BIN=$WORK/bin/stenose
}

# ---------------------------------------------------------------- helpers

# The app reads STENOSE_* variables as flag defaults; run it without any from
# the caller's environment (this script's own knobs included), so only the
# flags given here count.
APP_ENV=()
for v in $(compgen -e | grep '^STENOSE_' || true); do APP_ENV+=(-u "$v"); done

# max_rss_sampler PID OUTFILE STOPFILE: every 0.5 s read VmRSS (kB) of PID and
# keep the max, until PID exits or STOPFILE appears.
max_rss_sampler() {
	local pid=$1 out=$2 stop=$3 max=0 kb
	while kill -0 "$pid" 2>/dev/null && [[ ! -e $stop ]]; do
		kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
		if [[ -n $kb ]] && ((kb > max)); then
			max=$kb
			echo "$max" >"$out"
		fi
		sleep 0.5
	done
}

# tree_ticks PID: CPU ticks (user+system) used so far by PID and its children.
tree_ticks() {
	{ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '{
		pid = $1; r = $0; sub(/^.*\) /, "", r); split(r, f, " ")
		if (pid == root || f[2] == root) t += f[12] + f[13] }
		END { print t + 0 }'
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# to_us "1.23ms" -> microseconds (integer)
to_us() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") m = 1; else if (u == "ms") m = 1000; else if (u == "s") m = 1000000;
		else if (u == "m") m = 60000000; else m = 1
		printf "%d", n * m + 0.5 }'
}

fmt_us() { awk -v u="$1" 'BEGIN { if (u >= 1000) printf "%.2f ms", u/1000; else printf "%d us", u }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k/1024 }'; }

# ---------------------------------------------------------------- serve

write_nginx_conf() {
	local site=$1 dir=$2 user_line=""
	mkdir -p "$dir/tmp"
	# Workers drop to nobody when the master runs as root; they must be able
	# to read the site, so the temp tree is world-readable (loopback only).
	if [[ $EUID -eq 0 ]]; then
		user_line="user nobody nogroup;"
		getent group nogroup >/dev/null || user_line="user nobody;"
	fi
	cat >"$dir/nginx.conf" <<EOF
$user_line
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;

events {
    worker_connections 4096;
}

http {
    types {
        text/html                html htm;
        text/css                 css;
        text/javascript          js mjs;
        application/json         json webmanifest;
        application/xml          xml;
        application/rss+xml      rss;
        application/atom+xml     atom;
        text/plain               txt;
        image/png                png;
        image/jpeg               jpg jpeg;
        image/gif                gif;
        image/webp               webp;
        image/avif               avif;
        image/svg+xml            svg;
        image/x-icon             ico;
        font/woff2               woff2;
        font/woff                woff;
    }
    default_type application/octet-stream;
    charset utf-8;

    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server_tokens off;

    client_body_temp_path $dir/tmp/client_body;
    proxy_temp_path       $dir/tmp/proxy;
    fastcgi_temp_path     $dir/tmp/fastcgi;
    uwsgi_temp_path       $dir/tmp/uwsgi;
    scgi_temp_path        $dir/tmp/scgi;

    server {
        listen $HOST:$NGINX_PORT;
        server_name localhost;
        root $site;
        error_page 404 /404.html;
        gzip_static on;
        location / {
            try_files \$uri \$uri/index.html \$uri.html =404;
        }
    }
}
EOF
}

# run_wrk NAME ROUND URL RSSPID SERVERPID -> sets W_RPS W_P99US W_ERR W_OTHER;
# with RSSPID also W_IDLE (RSS before the load) and W_RSS (max RSS sampled
# during it), in kB. W_OTHER is the % of the box's CPU used by neither wrk nor
# SERVERPID (and its children) during the round. The first round of each
# server is preceded by a warm-up.
run_wrk() {
	local name=$1 round=$2 url=$3 pid=${4:-} spid_of=$5 out=$WORK/wrk-$1-$2.txt rssf=$WORK/rss-$1-$2.txt sampler=""
	if [[ $round == 1 ]]; then
		log "warm-up $name ($WARMUP)"
		wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${WRK_HDR[@]}" "$url" >"$WORK/warm-$name.txt" 2>&1 ||
			die "wrk warm-up failed for $name: $(cat "$WORK/warm-$name.txt")"
	fi
	sleep 1
	W_IDLE=""
	W_RSS=""
	if [[ -n $pid ]]; then
		W_IDLE=$(rss_kb "$pid")
		echo 0 >"$rssf"
		rm -f "$rssf.stop"
		max_rss_sampler "$pid" "$rssf" "$rssf.stop" &
		sampler=$!
		PIDS+=("$sampler")
	fi
	log "round $round/$ROUNDS $name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency ${WRK_HDR[*]} $url"
	local cpu0 cpu1 srv0 srv1
	cpu0=$(head -1 /proc/stat)
	srv0=$(tree_ticks "$spid_of")
	/usr/bin/time -f '%U %S' -o "$out.cpu" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${WRK_HDR[@]}" "$url" >"$out" 2>&1 ||
		die "wrk failed for $name: $(cat "$out")"
	srv1=$(tree_ticks "$spid_of")
	cpu1=$(head -1 /proc/stat)
	# CPU time nobody in this measurement used: all busy time on the box minus
	# wrk's and the server's own (kernel network work that is not charged to
	# a process lands here too, so a few % is normal).
	W_OTHER=$(awk -v a="$cpu0" -v b="$cpu1" -v s=$((srv1 - srv0)) -v w="$(tail -1 "$out.cpu")" -v hz="$CLK_TCK" 'BEGIN {
		split(a, x, " "); split(b, y, " "); t = 0
		for (i = 2; i <= 9; i++) t += y[i] - x[i]
		busy = t - (y[5] - x[5]) - (y[6] - x[6])
		split(w, c, " "); wt = (c[1] + c[2]) * hz
		o = t > 0 ? 100 * (busy - s - wt) / t : 0
		printf "%.0f", (o < 0 ? 0 : o) }')
	if [[ -n $sampler ]]; then
		# Let the sampler finish its sleep and exit by itself (killing it
		# would orphan the sleep), then forget it.
		touch "$rssf.stop"
		wait "$sampler" 2>/dev/null || true
		forget_pid "$sampler"
		W_RSS=$(cat "$rssf")
	fi
	if [[ ${VERBOSE:-0} == 1 ]]; then sed 's/^/    /' "$out" >&2; fi
	W_RPS=$(awk '/^Requests\/sec:/ {print $2}' "$out")
	local p99
	p99=$(awk '$1 == "99%" {print $2}' "$out")
	[[ -n $W_RPS && -n $p99 ]] || die "could not parse wrk output for $name: $(cat "$out")"
	W_P99US=$(to_us "$p99")
	W_ERR=$(grep -E 'Non-2xx|Socket errors' "$out" | sed 's/^ *//' | paste -sd ';' - || true)
	if [[ -n $W_ERR ]]; then log "WARNING $name round $round: $W_ERR"; fi
	return 0
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -1; }
minof() { printf '%s\n' "$@" | sort -g | head -1; }
# rounds_list "rps1 rps2 …" "other1 other2 …" -> "26105 (3%) / 17087 (41%)"
rounds_list() {
	awk -v l="$1" -v o="$2" 'BEGIN { n = split(l, a, " "); split(o, b, " ")
		for (i = 1; i <= n; i++) printf "%s%.0f (%s%%)", (i > 1 ? " / " : ""), a[i], b[i] }'
}

bench_serve() {
	check_ports "$STENOSE_PORT" "$NGINX_PORT" "$BARE_PORT" "$FRESH_PORT" "$BAREH_PORT"
	local base="http://$HOST:$STENOSE_PORT" site=$WORK/site
	chmod 755 "$WORK"

	log "stenose build -o $site"
	local baseflag=()
	if "$BIN" build -h 2>&1 | grep -q -- 'base-url'; then baseflag=(--base-url "$base"); fi
	env "${APP_ENV[@]}" "$BIN" build "${baseflag[@]}" -o "$site" >"$WORK/build.log" 2>&1 || {
		cat "$WORK/build.log" >&2
		die "stenose build failed"
	}
	local built=$site$ARTICLE_PATH/index.html
	[[ -f $built ]] || built=$site$ARTICLE_PATH.html
	[[ -f $built ]] || die "stenose build wrote neither $site$ARTICLE_PATH/index.html nor $site$ARTICLE_PATH.html"

	# Peak memory first, from fresh starts: nothing has run in those
	# processes before the load (the main server below is warmed up).
	bench_fresh_peaks "${baseflag[@]}"

	log "starting stenose serve on $HOST:$STENOSE_PORT"
	# shellcheck disable=SC2086 # STENOSE_SERVE_FLAGS is a list of flags
	# env execs the binary, so $! is stenose's own pid (for RSS sampling).
	env "${APP_ENV[@]}" "$BIN" serve --addr "$HOST:$STENOSE_PORT" --data "$WORK/data" "${baseflag[@]}" ${STENOSE_SERVE_FLAGS:-} >"$WORK/stenose.log" 2>&1 &
	local spid=$!
	PIDS+=("$spid")
	wait_http "$base/healthz" "$spid" "stenose serve" "$WORK/stenose.log"
	wait_http "$base$ARTICLE_PATH" "$spid" "stenose serve" "$WORK/stenose.log"

	"${CURL[@]}" -o "$WORK/article.html" "$base$ARTICLE_PATH" || die "could not fetch the article from stenose"
	# The compressed page exactly as stenose sends it to a browser; nginx
	# (gzip_static) and the bare server send these bytes too.
	"${CURL[@]}" -H 'Accept-Encoding: gzip' -o "$WORK/article.html.gz" "$base$ARTICLE_PATH" || die "could not fetch the gzipped article from stenose"
	gzip -t <"$WORK/article.html.gz" 2>/dev/null || die "stenose did not send gzip to Accept-Encoding: gzip"
	cp "$WORK/article.html.gz" "$built.gz"
	chmod -R a+rX "$site"

	log "starting nginx on $HOST:$NGINX_PORT"
	write_nginx_conf "$site" "$WORK/nginx"
	"$NGINX" -t -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx/test.log" 2>&1 ||
		{
			cat "$WORK/nginx/test.log" >&2
			die "nginx config test failed"
		}
	"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' >"$WORK/nginx/stdout.log" 2>&1 &
	local npid=$!
	PIDS+=("$npid")
	wait_http "http://$HOST:$NGINX_PORT$ARTICLE_PATH" "$npid" "nginx" "$WORK/nginx/error.log"

	log "starting bare Go server on $HOST:$BARE_PORT"
	"$WORK/bin/baregoserver" -addr "$HOST:$BARE_PORT" -file "$WORK/article.html" -gzip "$WORK/article.html.gz" >"$WORK/bare.log" 2>&1 &
	local bpid=$!
	PIDS+=("$bpid")
	wait_http "http://$HOST:$BARE_PORT$ARTICLE_PATH" "$bpid" "bare Go server" "$WORK/bare.log"

	# The same bare server sending every header field stenose sends with
	# the compressed page (its security headers, ETag, Vary, Cache-Control
	# …; Date, Content-Type/-Length/-Encoding it writes itself): what
	# net/http costs for stenose's response, without stenose.
	"${CURL[@]}" -H 'Accept-Encoding: gzip' -D "$WORK/stenose-fields.raw" -o /dev/null "$base$ARTICLE_PATH" || die "could not fetch stenose's header fields"
	tr -d '\r' <"$WORK/stenose-fields.raw" | grep -viE '^(HTTP/|date:|content-type:|content-length:|content-encoding:|$)' >"$WORK/stenose-fields.txt" || true
	local nfields
	nfields=$(($(wc -l <"$WORK/stenose-fields.txt") + 4))
	log "starting bare Go server with stenose's $nfields header fields on $HOST:$BAREH_PORT"
	"$WORK/bin/baregoserver" -addr "$HOST:$BAREH_PORT" -file "$WORK/article.html" -gzip "$WORK/article.html.gz" -headers "$WORK/stenose-fields.txt" >"$WORK/bareh.log" 2>&1 &
	local hpid=$!
	PIDS+=("$hpid")
	wait_http "http://$HOST:$BAREH_PORT$ARTICLE_PATH" "$hpid" "bare Go server with stenose's fields" "$WORK/bareh.log"

	declare -A URL=([stenose]="$base$ARTICLE_PATH" [nginx]="http://$HOST:$NGINX_PORT$ARTICLE_PATH" [bare]="http://$HOST:$BARE_PORT$ARTICLE_PATH" [bareh]="http://$HOST:$BAREH_PORT$ARTICLE_PATH")
	declare -A PIDOF=([stenose]=$spid [nginx]="" [bare]=$bpid [bareh]=$hpid)
	declare -A SRVPID=([stenose]=$spid [nginx]=$npid [bare]=$bpid [bareh]=$hpid)

	# Response sizes and bytes, plain and gzip: all three must send the
	# same body (for gzip: the same compressed bytes).
	local mode name gz=(-H 'Accept-Encoding: gzip')
	declare -A BYTES=() SAME=()
	for mode in plain gzip; do
		local want=$WORK/article.html hdr=()
		if [[ $mode == gzip ]]; then want=$WORK/article.html.gz hdr=("${gz[@]}"); fi
		SAME[$mode]=yes
		for name in stenose nginx bare bareh; do
			"${CURL[@]}" "${hdr[@]}" -o "$WORK/got-$name-$mode" "${URL[$name]}" || die "could not fetch the article from $name"
			BYTES[$name-$mode]=$(wc -c <"$WORK/got-$name-$mode")
			cmp -s "$WORK/got-$name-$mode" "$want" || SAME[$mode]=no
		done
	done

	# ---- page weight: HTML + same-origin CSS and JS it links (uncompressed)
	local assets total html_bytes gz_total a ab ag
	html_bytes=$(wc -c <"$WORK/article.html")
	total=$html_bytes
	gz_total=$(wc -c <"$WORK/article.html.gz")
	assets=$(grep -oE '(href="(https?://[^/"]+)?/static/[^"]+\.css(\?[^"]*)?"|src="(https?://[^/"]+)?/static/[^"]+\.m?js(\?[^"]*)?"|href="(https?://[^/"]+)?/static/[^"]+\.m?js(\?[^"]*)?")' "$WORK/article.html" |
		sed -E 's/^(href|src)="//; s/"$//; s#^https?://[^/]+##' | awk '!seen[$0]++' || true)
	: >"$WORK/weight.txt"
	printf '  %-56s %9s\n' "$ARTICLE_PATH (HTML)" "$html_bytes" >>"$WORK/weight.txt"
	for a in $assets; do
		ab=$("${CURL[@]}" -f -o /dev/null -w '%{size_download}' "$base$a") || die "linked asset $a did not load from stenose"
		ag=$("${CURL[@]}" -f "${gz[@]}" -o /dev/null -w '%{size_download}' "$base$a")
		total=$((total + ab))
		gz_total=$((gz_total + ag))
		printf '  %-56s %9s\n' "$a" "$ab" >>"$WORK/weight.txt"
	done

	# ---- load: ROUNDS interleaved rounds, each: plain then gzip, one
	# server after the other.
	declare -A RPS=() P99=() ERRS=() RSS=() IDLE=() OTHER=()
	local r key
	for r in $(seq "$ROUNDS"); do
		for mode in plain gzip; do
			WRK_HDR=()
			[[ $mode == gzip ]] && WRK_HDR=("${gz[@]}")
			for name in stenose nginx bare bareh; do
				key=$name-$mode
				run_wrk "$key" "$r" "${URL[$name]}" "${PIDOF[$name]}" "${SRVPID[$name]}"
				RPS[$key]+="$W_RPS "
				OTHER[$key]+="$W_OTHER "
				P99[$key]+="$W_P99US "
				RSS[$name]=$(maxof "${RSS[$name]:-0}" "${W_RSS:-0}")
				if [[ $r == 1 && -z ${IDLE[$name]:-} ]]; then IDLE[$name]=${W_IDLE:-0}; fi
				if [[ -n $W_ERR ]]; then ERRS[$key]+="round $r: $W_ERR; "; fi
			done
		done
	done
	WRK_HDR=()
	local hi=maxof lo=minof agg
	if [[ $AGG == median ]]; then
		hi=median lo=median agg="median of $ROUNDS rounds"
	else
		agg="best of $ROUNDS rounds (highest req/s, lowest p99)"
	fi
	((ROUNDS == 1)) && agg="1 round"
	declare -A BEST=() TAIL=()
	# shellcheck disable=SC2086 # word-splitting the space-separated lists is intended
	for key in "${!RPS[@]}"; do
		BEST[$key]=$($hi ${RPS[$key]})
		TAIL[$key]=$($lo ${P99[$key]})
	done

	local label
	for mode in plain gzip; do
		label="no Accept-Encoding: the page uncompressed"
		[[ $mode == gzip ]] && label="Accept-Encoding: gzip (what browsers send): the page compressed; nginx with gzip_static serves stenose's .gz bytes"
		echo
		echo "## Serve ($mode): GET $ARTICLE_PATH — $label"
		echo "## wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency$([[ $mode == gzip ]] && echo " -H 'Accept-Encoding: gzip'") on loopback, one server at a time, $ROUNDS interleaved round(s);"
		echo "## $(nproc) cores shared by wrk and the server. Figures: $agg."
		echo "## CPU busy in the 3 s before the script started: ${BUSY0}%."
		echo
		printf '%-36s %10s %10s %10s   %s\n' "server" "req/s" "p99" "body B" "req/s per round (other CPU %)"
		printf '%-36s %10s %10s %10s   %s\n' "------------------------------------" "----------" "----------" "----------" "-----------------------------"
		printf '%-36s %10.0f %10s %10s   %s\n' "stenose serve${STENOSE_SERVE_FLAGS:+ $STENOSE_SERVE_FLAGS}" "${BEST[stenose-$mode]}" "$(fmt_us "${TAIL[stenose-$mode]}")" "${BYTES[stenose-$mode]}" "$(rounds_list "${RPS[stenose-$mode]}" "${OTHER[stenose-$mode]}")"
		printf '%-36s %10.0f %10s %10s   %s\n' "nginx $("$NGINX" -v 2>&1 | sed 's#.*/##') (stenose build output)" "${BEST[nginx-$mode]}" "$(fmt_us "${TAIL[nginx-$mode]}")" "${BYTES[nginx-$mode]}" "$(rounds_list "${RPS[nginx-$mode]}" "${OTHER[nginx-$mode]}")"
		printf '%-36s %10.0f %10s %10s   %s\n' "bare Go net/http (same bytes)" "${BEST[bare-$mode]}" "$(fmt_us "${TAIL[bare-$mode]}")" "${BYTES[bare-$mode]}" "$(rounds_list "${RPS[bare-$mode]}" "${OTHER[bare-$mode]}")"
		printf '%-36s %10.0f %10s %10s   %s\n' "bare Go, stenose's $nfields header fields" "${BEST[bareh-$mode]}" "$(fmt_us "${TAIL[bareh-$mode]}")" "${BYTES[bareh-$mode]}" "$(rounds_list "${RPS[bareh-$mode]}" "${OTHER[bareh-$mode]}")"
		echo
		printf '%-36s %10s %10s\n' "ratio ($mode)" "req/s" "p99"
		printf '%-36s %10s %10s\n' "stenose / bare Go" "$(ratio "${BEST[stenose-$mode]}" "${BEST[bare-$mode]}")" "$(ratio "${TAIL[stenose-$mode]}" "${TAIL[bare-$mode]}")"
		printf '%-36s %10s %10s\n' "stenose / nginx" "$(ratio "${BEST[stenose-$mode]}" "${BEST[nginx-$mode]}")" "$(ratio "${TAIL[stenose-$mode]}" "${TAIL[nginx-$mode]}")"
		printf '%-36s %10s\n' "stenose / bare Go, round by round" "$(round_ratios "${RPS[stenose-$mode]}" "${RPS[bare-$mode]}")"
		printf '%-36s %10s %10s\n' "stenose / bare Go with its fields" "$(ratio "${BEST[stenose-$mode]}" "${BEST[bareh-$mode]}")" "$(ratio "${TAIL[stenose-$mode]}" "${TAIL[bareh-$mode]}")"
		printf '%-36s %10s\n' "  the same, round by round" "$(round_ratios "${RPS[stenose-$mode]}" "${RPS[bareh-$mode]}")"
		if [[ ${SAME[$mode]} == yes ]]; then
			echo "All four servers sent the same bytes ($mode)."
		else
			echo "note: the servers' bodies differ ($mode): stenose ${BYTES[stenose-$mode]}, nginx ${BYTES[nginx-$mode]}, bare ${BYTES[bare-$mode]}, bare with fields ${BYTES[bareh-$mode]} bytes"
		fi
		for name in stenose nginx bare bareh; do
			if [[ -n ${ERRS[$name-$mode]:-} ]]; then echo "WARNING $name ($mode): ${ERRS[$name-$mode]}"; fi
		done
	done
	echo "(other CPU % = share of the box's CPU used by neither wrk nor that server during the round; a few % is"
	echo " unattributed kernel work, more means another process competed and that round is disturbed;"
	echo " req/s ratio > 1: stenose serves more; p99 ratio < 1: stenose's tail latency is lower)"
	echo
	echo "## Memory"
	echo
	printf '%-60s %7s MB   (idle after warm-up %s MB; bare Go under load %s MB)\n' \
		"stenose RSS under load, warmed up (max VmRSS)" "$(mb "${RSS[stenose]}")" "$(mb "${IDLE[stenose]}")" "$(mb "${RSS[bare]}")"
	cat "$WORK/fresh.txt"
	echo
	echo "Article page weight (HTML + linked same-origin CSS/JS, uncompressed bytes; images excluded):"
	cat "$WORK/weight.txt"
	printf '  %-56s %9s  (%s B as transferred with Accept-Encoding: gzip)\n' "total" "$total" "$gz_total"
	echo

	stop_pid "$hpid"
	stop_pid "$bpid"
	stop_pid "$npid"
	stop_pid "$spid"
}

# round_ratios "a1 a2 …" "b1 b2 …" -> "0.91 / 0.88 / …"
round_ratios() {
	awk -v l="$1" -v o="$2" 'BEGIN { n = split(l, a, " "); split(o, b, " ")
		for (i = 1; i <= n; i++) printf "%s%.2f", (i > 1 ? " / " : ""), (b[i] > 0 ? a[i] / b[i] : 0) }'
}

# bench_fresh_peaks BASEFLAGS…: for plain and gzip, with the default memory
# limit and with none (GOMEMLIMIT=off), start `stenose serve` afresh (new
# data folder, nothing served yet), put it under wrk at once for DURATION,
# and record its peak resident memory (VmHWM: the kernel's high-water mark,
# so no short peak is missed between samples). Writes $WORK/fresh.txt.
bench_fresh_peaks() {
	local url="http://$HOST:$FRESH_PORT$ARTICLE_PATH" mode lim pid hdr n=0 envs
	: >"$WORK/fresh.txt"
	for lim in default off; do
		for mode in plain gzip; do
			n=$((n + 1))
			hdr=()
			[[ $mode == gzip ]] && hdr=(-H 'Accept-Encoding: gzip')
			envs=(-u GOMEMLIMIT)
			[[ $lim == off ]] && envs=(GOMEMLIMIT=off)
			log "fresh start $n/4: stenose serve ($mode, memory limit $lim), wrk at once for $DURATION"
			# shellcheck disable=SC2086 # STENOSE_SERVE_FLAGS is a list of flags
			env "${APP_ENV[@]}" "${envs[@]}" "$BIN" serve --addr "$HOST:$FRESH_PORT" --data "$WORK/fresh-data-$n" "$@" ${STENOSE_SERVE_FLAGS:-} >"$WORK/fresh-$n.log" 2>&1 &
			pid=$!
			PIDS+=("$pid")
			wait_http "http://$HOST:$FRESH_PORT/healthz" "$pid" "stenose serve (fresh)" "$WORK/fresh-$n.log"
			local start_kb
			start_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
			wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "${hdr[@]}" "$url" >"$WORK/fresh-wrk-$n.txt" 2>&1 ||
				die "wrk failed on the fresh server: $(cat "$WORK/fresh-wrk-$n.txt")"
			local peak_kb rps
			peak_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
			rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$WORK/fresh-wrk-$n.txt")
			printf '%-60s %7s MB   (peak before the load %s MB; %s req/s)\n' \
				"stenose peak RSS from a fresh start, $mode, limit $lim" "$(mb "$peak_kb")" "$(mb "$start_kb")" "$rps" >>"$WORK/fresh.txt"
			stop_pid "$pid"
		done
	done
	echo "(fresh start: a new process and data folder, wrk -t$THREADS -c$CONNECTIONS -d$DURATION at once; peak = VmHWM. limit default:" >>"$WORK/fresh.txt"
	echo " serve's own soft limit (GOMEMLIMIT unset); limit off: GOMEMLIMIT=off, no limit at all)" >>"$WORK/fresh.txt"
}

# ---------------------------------------------------------------- build

# time_cmd LOG CMD... -> sets T_SEC T_KB (wall seconds, peak RSS in KB)
time_cmd() {
	local logf=$1 tf=$WORK/time.txt
	shift
	/usr/bin/time -v -o "$tf" "$@" >"$logf" 2>&1 || {
		tail -30 "$logf" >&2
		die "$* failed"
	}
	T_SEC=$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]
		printf "%.2f", s }' "$tf")
	T_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
}

# time_build CONTENT OUT -> sets T_SEC T_KB. OUT is not emptied first: a
# build into a folder that holds an earlier build is incremental.
time_build() {
	time_cmd "$WORK/build.log" env "${APP_ENV[@]}" "$BIN" build --content "$1" -o "$2"
}

# hugo_site CONTENT DIR: the same articles as a minimal Hugo site (no
# theme, so Hugo renders no pages of its own design: its figures are a
# floor). Front matter dates are DD-MM-YYYY in stenose, YYYY-MM-DD in Hugo.
hugo_site() {
	local content=$1 dir=$2
	rm -rf "$dir"
	mkdir -p "$dir/content/blog" "$dir/layouts/_default"
	printf 'baseURL = "http://127.0.0.1/"\nlanguageCode = "da"\ntitle = "bench"\n' >"$dir/hugo.toml"
	printf '<!doctype html><title>{{ .Title }}</title>{{ .Content }}\n' >"$dir/layouts/_default/single.html"
	printf '<!doctype html><title>{{ .Title }}</title>{{ range .Paginator.Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}\n' >"$dir/layouts/_default/list.html"
	cp -r "$content/blog/." "$dir/content/blog/"
	find "$dir/content/blog" -name '*.md' -print0 | xargs -0 sed -i -E \
		's/^datePublished: *([0-9]{2})-([0-9]{2})-([0-9]{4})/date: \3-\2-\1/; s/^lastUpdated: *([0-9]{2})-([0-9]{2})-([0-9]{4})/lastmod: \3-\2-\1/'
	if [[ -d $content/images ]]; then mkdir -p "$dir/static" && cp -r "$content/images" "$dir/static/"; fi
}

# floor_s OUT: the best ns/op among the -count runs of go test -bench in OUT, in seconds.
floor_s() { awk '/ns\/op/ { for (i = 1; i < NF; i++) if ($(i + 1) == "ns/op" && (best == "" || $i < best)) best = $i } END { if (best == "") print "n/a"; else printf "%.2f", best / 1e9 }' "$1"; }

# bench_floors CONTENT: each part of a fresh build of CONTENT alone, on one
# worker per core as the build does (the Floor benchmarks): a build cannot
# be faster than their sum. Files are created on $WORK's file system and,
# when there is one, in memory (/dev/shm), beside a fresh build there.
bench_floors() {
	local content=$1 md tp fd fm shm_build=n/a
	log "floors: goldmark alone, html/template alone, the files alone"
	(cd "$ROOT" && STENOSE_BENCH_CONTENT=$content go test ./internal/content -run '^$' -bench MarkdownFloor -benchtime 1x -count 3) >"$WORK/floor-md.txt" 2>&1 || die "MarkdownFloor failed: $(tail -5 "$WORK/floor-md.txt")"
	(cd "$ROOT" && STENOSE_BENCH_CONTENT=$content go test ./internal/site -run '^$' -bench TemplateFloor -benchtime 1x -count 3) >"$WORK/floor-tp.txt" 2>&1 || die "TemplateFloor failed: $(tail -5 "$WORK/floor-tp.txt")"
	(cd "$ROOT" && TMPDIR=$WORK STENOSE_BENCH_CONTENT=$content go test ./internal/site -run '^$' -bench FilesFloor -benchtime 1x -count 3) >"$WORK/floor-fd.txt" 2>&1 || die "FilesFloor failed: $(tail -5 "$WORK/floor-fd.txt")"
	md=$(floor_s "$WORK/floor-md.txt") tp=$(floor_s "$WORK/floor-tp.txt") fd=$(floor_s "$WORK/floor-fd.txt") fm=n/a
	if [[ -d /dev/shm && -w /dev/shm ]]; then
		(cd "$ROOT" && TMPDIR=/dev/shm STENOSE_BENCH_CONTENT=$content go test ./internal/site -run '^$' -bench FilesFloor -benchtime 1x -count 3) >"$WORK/floor-fm.txt" 2>&1 || die "FilesFloor in /dev/shm failed: $(tail -5 "$WORK/floor-fm.txt")"
		fm=$(floor_s "$WORK/floor-fm.txt")
		local shm best=""
		shm=$(mktemp -d -p /dev/shm stenose-bench.XXXXXX)
		for _ in 1 2 3; do
			time_build "$content" "$shm/out"
			best=$(minof ${best:+"$best"} "$T_SEC")
			rm -rf "$shm/out"
		done
		rm -rf "$shm"
		shm_build=$best
	fi
	FLOOR_ROWS=(
		"$(printf '%-58s %8s' "goldmark alone, every article's body" "$md")"
		"$(printf '%-58s %8s' "html/template alone, the article page in both languages" "$tp")"
		"$(printf '%-58s %8s' "creating the build's files alone, on $WORK's file system" "$fd")"
		"$(printf '%-58s %8s' "the same in memory (/dev/shm)" "$fm")"
		"$(printf '%-58s %8s' "sum of the three, on disk" "$(awk -v a="$md" -v b="$tp" -v c="$fd" 'BEGIN { printf "%.2f", a + b + c }')")"
		"$(printf '%-58s %8s' "sum of the three, in memory" "$(awk -v a="$md" -v b="$tp" -v c="$fm" 'BEGIN { if (c == "n/a") print "n/a"; else printf "%.2f", a + b + c }')")"
		"$(printf '%-58s %8s' "stenose build, fresh, into /dev/shm (best of 3)" "$shm_build")"
	)
}

bench_build() {
	local rows=() n content out s1 s2 s3 k1 k2 k3 files size first hugo_rows=()
	for n in $BUILD_SIZES; do
		content=$WORK/content-$n
		out=$WORK/out-$n
		log "gencontent -n $n"
		(cd "$ROOT" && "$WORK/bin/gencontent" -n "$n" -o "$content" -clean) >/dev/null || die "gencontent failed"
		rm -rf "$out"
		log "stenose build --content $content (fresh)"
		time_build "$content" "$out"
		s1=$T_SEC k1=$T_KB
		log "stenose build --content $content (again, nothing changed)"
		time_build "$content" "$out"
		s2=$T_SEC k2=$T_KB
		grep -q ' 0 new or changed' "$WORK/build.log" || log "WARNING: the unchanged build wrote files: $(tail -1 "$WORK/build.log")"
		log "stenose build --content $content (again, one article edited)"
		printf '\nEn ny sætning til sidst.\n' >>"$content/blog/$(printf 'artikel-%05d' 1).md"
		time_build "$content" "$out"
		s3=$T_SEC k3=$T_KB
		first=$(printf 'artikel-%05d' 1)
		[[ -f $out/blog/$first/index.html || -f $out/blog/$first.html ]] ||
			die "build of $n articles wrote neither blog/$first/index.html nor blog/$first.html"
		files=$(find "$out" -type f | wc -l)
		size=$(du -sm "$out" | cut -f1)
		rows+=("$(printf '%8s %9s %12s %10s %9s %14s %11s %8s %8s' "$n" "$s1" "$s2" "$s3" "$(mb "$k1")" "$(mb "$k2")" "$(mb "$k3")" "$files" "${size}M")")
		if command -v hugo >/dev/null; then
			log "hugo ($n articles)"
			hugo_site "$content" "$WORK/hugo-$n"
			rm -rf "$WORK/hugo-out-$n"
			time_cmd "$WORK/hugo.log" hugo --quiet --source "$WORK/hugo-$n" --destination "$WORK/hugo-out-$n"
			s1=$T_SEC k1=$T_KB
			time_cmd "$WORK/hugo.log" hugo --quiet --source "$WORK/hugo-$n" --destination "$WORK/hugo-out-$n"
			hugo_rows+=("$(printf '%8s %9s %12s %12s %14s %8s' "$n" "$s1" "$T_SEC" "$(mb "$k1")" "$(mb "$T_KB")" "$(find "$WORK/hugo-out-$n" -type f | wc -l)")")
			rm -rf "$WORK/hugo-$n" "$WORK/hugo-out-$n"
		fi
		if [[ $n == "${BUILD_SIZES##* }" ]]; then bench_floors "$content"; fi
		rm -rf "$out" "$content"
	done
	echo
	echo "## Build: stenose build --content DIR -o OUT  (/usr/bin/time -v, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); CPU busy before the script: ${BUSY0}%)"
	echo "   fresh: into an empty folder; unchanged: the same build again into it (nothing to write);"
	echo "   one edited: again, after a sentence was added to one article"
	echo
	printf '%8s %9s %12s %10s %9s %14s %11s %8s %8s\n' "articles" "fresh s" "unchanged s" "1 edited s" "peak MB" "peak MB unch." "peak MB 1ed" "files" "size"
	printf '%8s %9s %12s %10s %9s %14s %11s %8s %8s\n' "--------" "-------" "-----------" "----------" "-------" "-------------" "-----------" "-----" "----"
	printf '%s\n' "${rows[@]}"
	if ((${#hugo_rows[@]})); then
		echo
		echo "## Hugo $(hugo version 2>/dev/null | awk '{print $2}'): the same articles, minimal layouts (hugo --source S --destination D)"
		echo
		printf '%8s %9s %12s %12s %14s %8s\n' "articles" "fresh s" "again s" "peak MB" "peak MB again" "files"
		printf '%s\n' "${hugo_rows[@]}"
	else
		echo
		echo "(hugo is not installed: no Hugo figures)"
	fi
	if ((${#FLOOR_ROWS[@]})); then
		echo
		echo "## The floors under the fresh build of ${BUILD_SIZES##* } articles: each part alone, one worker per core (go test -bench Floor, best of 3)"
		echo
		printf '%-58s %8s\n' "part" "wall s"
		printf '%-58s %8s\n' "----" "------"
		printf '%s\n' "${FLOOR_ROWS[@]}"
	fi
	echo
}

# ---------------------------------------------------------------- main

# shellcheck source=../scripts/quiet.sh
source "$ROOT/scripts/quiet.sh"
wait_quiet 3
if [[ $BUSY0 =~ ^[0-9]+$ ]] && ((BUSY0 > 15)); then
	log "WARNING: the CPUs were ${BUSY0}% busy before the benchmark started; figures will be noisy"
fi

need_tools
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
build_binaries
echo "stenose bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(go version | awk '{print $3}'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), commit $(cd "$ROOT" && git rev-parse --short --verify -q HEAD 2>/dev/null || echo none)$(cd "$ROOT" && [[ -n $(git status --porcelain 2>/dev/null) ]] && echo ' (dirty)')"
case "$MODE" in
serve) bench_serve ;;
build) bench_build ;;
all)
	bench_serve
	bench_build
	;;
esac
