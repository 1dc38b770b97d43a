# shellcheck shell=bash
# A throwaway PostgreSQL 15 cluster for the tests (.ci/run) and the
# benchmarks (bench/diary, bench/crash). Source this file, then:
#
#   pg_start [server options…]   initdb + start on a free loopback port;
#                                sets PGTMP (its folder) and PGPORT
#   pg_createdb NAME             creates a database, prints its URL
#   pg_stop                      stops the cluster and removes its folder
#                                (call it from the EXIT trap)
#
# initdb refuses root, so the cluster runs as the postgres user, with trust
# auth, its socket in its own folder and 127.0.0.1 only.

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGTMP=""
PGPORT=""

# free_port prints a loopback port nothing answers on. Another process
# could take it before it is bound, so callers retry on failure.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	return 1
}

# pgrun runs a command as postgres from the cluster's folder (runuser keeps
# the working directory, which the postgres user may not be able to read).
pgrun() { (cd "$PGTMP" && runuser -u postgres -- "$@"); }

pg_start() {
	PGTMP=$(mktemp -d /tmp/stenose-pg.XXXXXX)
	chown postgres:postgres "$PGTMP"
	chmod 700 "$PGTMP"
	pgrun "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$PGTMP/initdb.log" 2>&1 ||
		{ cat "$PGTMP/initdb.log"; return 1; }
	PGPORT=""
	local port
	for _ in 1 2 3; do
		port=$(free_port)
		if pgrun "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
			-o "-k $PGTMP -p $port -c listen_addresses=127.0.0.1 -c max_connections=200 $*" start >/dev/null; then
			PGPORT=$port
			return 0
		fi
	done
	cat "$PGTMP/server.log"
	return 1
}

pg_createdb() {
	pgrun "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$1" &&
		echo "postgres://postgres@127.0.0.1:$PGPORT/$1?sslmode=disable"
}

pg_stop() {
	[[ -n "$PGTMP" ]] || return 0
	if [[ -f "$PGTMP/data/postmaster.pid" ]]; then
		runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$PGTMP" || true
	PGTMP="" PGPORT=""
}
