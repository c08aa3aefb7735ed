#!/usr/bin/env bash
# Time from launching bin/retrainer to /health/ready answering 200, embedded PostgreSQL.
# One cold start (empty data dir: initdb, migrations, demo pipeline), then STARTS warm starts
# on the same data dir, each stopped with SIGTERM. Prints each start and median/min/max.
#   bench/startup.sh            (env: PORT=18090 STARTS=5 TIMEOUT=180 JAVA_OPTS=... KEEP=1 keeps the data dir)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

PORT=${PORT:-18090}
STARTS=${STARTS:-5}
TIMEOUT=${TIMEOUT:-180}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/retrainer-bench-startup.XXXXXX")
DATA="$WORK/data"

cleanup() {
    stop_server
    if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_dist
require_port_free "$PORT"
echo "== startup: launch to /health/ready (embedded PostgreSQL, data dir $DATA, port $PORT)"
machine_facts
echo "JAVA_OPTS: ${JAVA_OPTS:-(unset, so -Xmx1g)}"

# Where the time goes, from the server's log timestamps relative to the launch.
phases() {
    python3 - "$1" "$2" <<'PY'
import re, sys, time
launch_ms, log = int(sys.argv[1]), open(sys.argv[2]).read().splitlines()
marks = [("db open+migrated", "Platform - database:"), ("plugins loaded", "Platform - plugins:"),
         ("demo created", "demo pipeline 'demo' created"), ("ready", "Retrainer ready in")]
out = []
for name, needle in marks:
    for line in log:
        if needle in line:
            m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d{3})", line)
            if m:
                t = time.mktime(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) * 1000 + int(m.group(2))
                out.append(f"{name} +{t - launch_ms:.0f}")
            break
print("    phases (ms after launch, from log timestamps): " + ", ".join(out))
PY
}

one_start() {
    local label=$1 log="$WORK/$1.log" t0 t1 t2 inproc
    t0=$(now_ms)
    start_server "$DATA" "$PORT" "$log"
    wait_ready "$PORT" "$TIMEOUT"
    t1=$(now_ms)
    inproc=$(sed -n 's/.*Retrainer ready in \([0-9]*\) ms.*/\1/p' "$log" | tail -1)
    stop_server
    t2=$(now_ms)
    echo "$label: ready after $((t1 - t0)) ms (server's own 'ready in': ${inproc:-?} ms; SIGTERM to exit: $((t2 - t1)) ms)"
    phases "$t0" "$log"
    LAST=$((t1 - t0))
}

one_start cold
warm=()
for i in $(seq 1 "$STARTS"); do
    one_start "warm $i"
    warm+=("$LAST")
done
read -r med min max n < <(printf '%s\n' "${warm[@]}" | stats)
echo "RESULT warm start to ready: median $med ms, min $min ms, max $max ms over $n starts"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
