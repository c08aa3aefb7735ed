#!/usr/bin/env bash
# Resident memory of the idle server: start (fresh data dir, embedded PostgreSQL), wait for ready,
# run the demo pipeline once, idle IDLE seconds, then read VmRSS of the JVM from /proc/<pid>/status
# (bin/retrainer execs java, so the pid is the JVM's). Done once with the default heap cap
# (-Xmx1g) and once per extra setting in HEAPS, e.g. HEAPS="-Xmx256m".
#   bench/memory.sh             (env: PORT=18091 IDLE=30 HEAPS="-Xmx256m" TIMEOUT=180 RUN_TIMEOUT=600)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

PORT=${PORT:-18091}
IDLE=${IDLE:-30}
HEAPS=${HEAPS:--Xmx256m}
TIMEOUT=${TIMEOUT:-180}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/retrainer-bench-memory.XXXXXX")

cleanup() {
    stop_server
    if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_dist
require_port_free "$PORT"
echo "== memory: VmRSS after ready + one demo run + ${IDLE} s idle (embedded PostgreSQL, port $PORT)"
machine_facts

kb_to_mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }

# Proportional set size (kB) of the embedded PostgreSQL: the postmaster of DATA and its children.
postgres_pss_kb() {
    local pg total=0 p v
    pg=$(head -1 "$1/postgres/postmaster.pid" 2>/dev/null || true)
    [ -n "$pg" ] || { echo 0; return; }
    for p in "$pg" $(ps -o pid= --ppid "$pg"); do
        v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
        total=$((total + ${v:-0}))
    done
    echo "$total"
}

measure() {
    local label=$1 opts=$2 data="$WORK/data-$3" log="$WORK/server-$3.log" run status auc rss hwm heap
    if [ -n "$opts" ]; then export JAVA_OPTS="$opts"; else unset JAVA_OPTS; fi
    start_server "$data" "$PORT" "$log"
    wait_ready "$PORT" "$TIMEOUT"
    local ready_rss
    ready_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
    if run=$(run_pipeline "$PORT" demo "$RUN_TIMEOUT"); then
        status=$(printf '%s' "$run" | json_get 'd["status"]')
        local v
        v=$(printf '%s' "$run" | json_get '(d.get("model_version") or {}).get("version")')
        if [ "$status" = succeeded ] && [ "$v" != None ]; then
            auc=$(curl -sf "http://127.0.0.1:$PORT/api/models/demo/versions/$v" | json_get 'd["metrics"]["values"]["roc_auc"]')
        else
            auc="n/a ($(printf '%s' "$run" | json_get 'd.get("error")'))"
        fi
    else
        status="did not finish"
        auc="n/a"
    fi
    sleep "$IDLE"
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")
    heap=$(jcmd "$SERVER_PID" GC.heap_info 2>/dev/null | awk '/garbage-first heap|total/ {print; exit}' | sed 's/^ *//' || true)
    local pss
    pss=$(postgres_pss_kb "$data")
    echo "$label: JAVA_OPTS=${opts:-(unset)}"
    echo "    demo run: $status, roc_auc $auc"
    echo "    JVM VmRSS at ready: $(kb_to_mb "$ready_rss") MB; after run + ${IDLE} s idle: $(kb_to_mb "$rss") MB (VmHWM peak $(kb_to_mb "$hwm") MB)"
    echo "    JVM heap: ${heap:-unknown}"
    echo "    embedded PostgreSQL (postmaster + children, PSS): $(kb_to_mb "$pss") MB"
    echo "RESULT $label idle VmRSS $(kb_to_mb "$rss") MB (JAVA_OPTS=${opts:-default -Xmx1g}, demo $status)"
    stop_server
}

measure "default heap" "" default
n=0
for h in $HEAPS; do
    n=$((n + 1))
    measure "heap $h" "$h" "alt$n"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
