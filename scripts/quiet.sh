# shellcheck shell=bash
# How busy the machine is, for the benchmarks (bench/run.sh,
# bench/lighthouse/run.sh). Source this file (the caller defines log), then:
#
#   cpu_busy SECONDS     percent of all cores busy over SECONDS (/proc/stat)
#   wait_quiet SECONDS   sets BUSY0 to how busy the machine is now; with
#                        QUIET_WAIT=N in the environment, first waits up to
#                        N s for it to fall to 15 % or less

cpu_busy() {
	local a b
	a=$(head -1 /proc/stat)
	sleep "$1"
	b=$(head -1 /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN {
		split(a, x, " "); split(b, y, " "); t = 0
		for (i = 2; i <= 9; i++) t += y[i] - x[i]
		idle = (y[5] - x[5]) + (y[6] - x[6])
		if (t > 0) printf "%.0f", 100 * (t - idle) / t; else print "?" }'
}

wait_quiet() {
	BUSY0=$(cpu_busy "$1")
	if [[ ${QUIET_WAIT:-0} -gt 0 ]]; then
		local deadline=$((SECONDS + QUIET_WAIT))
		while [[ $BUSY0 =~ ^[0-9]+$ ]] && ((BUSY0 > 15 && SECONDS < deadline)); do
			log "CPUs ${BUSY0}% busy; waiting for a quiet machine (QUIET_WAIT=${QUIET_WAIT}s)"
			BUSY0=$(cpu_busy 3)
		done
	fi
}
