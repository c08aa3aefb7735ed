# shellcheck shell=bash
# Shared helpers for the bench/*.sh scripts. Source it; it expects `set -euo pipefail`.

BENCH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIST="$BENCH_REPO/distribution/target/retrainer"
SERVER_PID=""
SERVER_DATA=""

now_ms() { date +%s%3N; }

# Machine facts, one "key: value" a line.
machine_facts() {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cores: $(nproc)"
    echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "commit: $(git -C "$BENCH_REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "other JVMs running: $(pgrep -c -x java || true)"
}

require_dist() {
    if [ ! -x "$DIST/bin/retrainer" ]; then
        echo "no distribution at $DIST; build it first: mvn -B -o -q -DskipTests install" >&2
        exit 1
    fi
}

require_port_free() {
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
        echo "port $1 is in use; pick another with PORT=..." >&2
        exit 1
    fi
}

# start_server DATA_DIR PORT LOG_FILE: starts bin/retrainer in the background (the script execs
# java, so SERVER_PID is the JVM). JAVA_OPTS from the environment is passed through.
start_server() {
    SERVER_DATA=$1
    "$DIST/bin/retrainer" --port "$2" --data-dir "$1" >"$3" 2>&1 &
    SERVER_PID=$!
}

# wait_ready PORT TIMEOUT_S: polls /health/ready every 50 ms; fails if the server exits or time runs out.
wait_ready() {
    local deadline=$(( $(now_ms) + $2 * 1000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
        if curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$1/health/ready"; then
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "server (pid $SERVER_PID) exited before it was ready" >&2
            return 1
        fi
        sleep 0.05
    done
    echo "server not ready within $2 s" >&2
    return 1
}

# stop_server: SIGTERM, wait up to 30 s, then SIGKILL; then makes sure the embedded PostgreSQL
# of SERVER_DATA is gone (it is stopped by the server's shutdown hook; a SIGKILL would leave it).
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        local i
        for i in $(seq 1 300); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "server did not stop within 30 s of SIGTERM; killing it" >&2
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
    if [ -n "$SERVER_DATA" ] && [ -f "$SERVER_DATA/postgres/postmaster.pid" ]; then
        local pg
        pg=$(head -1 "$SERVER_DATA/postgres/postmaster.pid")
        if [ -n "$pg" ] && kill -0 "$pg" 2>/dev/null && grep -q postgres "/proc/$pg/comm" 2>/dev/null; then
            echo "embedded PostgreSQL (pid $pg) still running; stopping it" >&2
            kill -TERM "$pg" 2>/dev/null || true
            for i in $(seq 1 100); do kill -0 "$pg" 2>/dev/null || break; sleep 0.1; done
        fi
    fi
}

# json_get EXPR: reads JSON on stdin, prints the Python expression EXPR of it (the document is `d`).
json_get() {
    python3 -c 'import json, sys; d = json.load(sys.stdin); v = eval(sys.argv[1]); print(json.dumps(v) if isinstance(v, (dict, list)) else v)' "$1"
}

# run_pipeline PORT PIPELINE TIMEOUT_S: triggers a run, waits until it ends, prints the run JSON.
run_pipeline() {
    local id deadline status json
    id=$(curl -sf --max-time 10 -X POST "http://127.0.0.1:$1/api/pipelines/$2/runs" | json_get 'd["id"]')
    deadline=$(( $(now_ms) + $3 * 1000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
        json=$(curl -sf --max-time 10 "http://127.0.0.1:$1/api/runs/$id")
        status=$(printf '%s' "$json" | json_get 'd["status"]')
        case "$status" in
            succeeded|failed|cancelled) printf '%s\n' "$json"; return 0 ;;
        esac
        sleep 0.2
    done
    echo "run $id of $2 did not end within $3 s" >&2
    return 1
}

# stats: reads numbers (one a line) on stdin, prints "median min max n".
stats() {
    python3 -c '
import statistics, sys
xs = [float(x) for x in sys.stdin.read().split()]
print(f"{statistics.median(xs):.0f} {min(xs):.0f} {max(xs):.0f} {len(xs)}")'
}
