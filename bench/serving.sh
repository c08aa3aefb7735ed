#!/usr/bin/env bash
# Serving throughput and latency with wrk: one-row requests to the demo logistic-regression
# endpoint through both protocols (prediction logging on), against a static-response route
# (/health/live) on the same server in the same run; then a blue-green swap under load.
#   bench/serving.sh            (after: mvn -B -DskipTests install)
# Env: PORT (default 18090), DURATION (s, default 15), CONNECTIONS (default 32), THREADS (default 2).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PORT=${PORT:-18090}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
require_dist
require_port_free "$PORT"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
machine_facts
start_server "$WORK/data" "$PORT" "$WORK/server.log"
wait_ready "$PORT" 120
run_pipeline "$PORT" demo 120 | json_get 'd["status"]' >/dev/null

CSV="$WORK/data/demo/breast_cancer.csv"
MLFLOW_BODY=$(python3 - "$CSV" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
cols, vals = rows[0][:-1], [float(x) for x in rows[1][:-1]]
print(json.dumps({"dataframe_split": {"columns": cols, "data": [vals]}}))
PY
)
V2_BODY=$(python3 - "$CSV" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
vals = [float(x) for x in rows[1][:-1]]
print(json.dumps({"id": "bench", "inputs": [{"name": "input", "datatype": "FP64", "shape": [1, len(vals)], "data": vals}]}))
PY
)
curl -sf -X POST -H 'Content-Type: application/json' -d "$MLFLOW_BODY" "http://127.0.0.1:$PORT/serving/demo/invocations" >/dev/null
curl -sf -X POST -H 'Content-Type: application/json' -d "$V2_BODY" "http://127.0.0.1:$PORT/v2/models/demo/infer" >/dev/null

DIR=$(cd "$(dirname "$0")" && pwd)
run_wrk() { # name url [lua body]
    local name=$1 url=$2 lua=${3:-} body=${4:-} out
    if [ -n "$lua" ]; then
        out=$(BODY="$body" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$lua" "$url")
    else
        out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url")
    fi
    printf '%s\n' "$out" > "$WORK/$name.txt"
    local rps p50 p99 non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    echo "$name rps=$rps p50=$p50 p99=$p99 non2xx=${non2xx:-0}"
}
echo "--- warm-up"
DURATION=5 run_wrk warmup "http://127.0.0.1:$PORT/serving/demo/invocations" "$DIR/serving/mlflow.lua" "$MLFLOW_BODY" >/dev/null
echo "--- peak, $CONNECTIONS connections, $THREADS wrk threads, ${DURATION}s each"
run_wrk static "http://127.0.0.1:$PORT/health/live"
run_wrk mlflow "http://127.0.0.1:$PORT/serving/demo/invocations" "$DIR/serving/mlflow.lua" "$MLFLOW_BODY"
run_wrk v2 "http://127.0.0.1:$PORT/v2/models/demo/infer" "$DIR/serving/v2.lua" "$V2_BODY"
echo "--- light load (2 connections): latency when not saturated"
CONNECTIONS=2 run_wrk mlflow_light "http://127.0.0.1:$PORT/serving/demo/invocations" "$DIR/serving/mlflow.lua" "$MLFLOW_BODY"
CONNECTIONS=2 run_wrk v2_light "http://127.0.0.1:$PORT/v2/models/demo/infer" "$DIR/serving/v2.lua" "$V2_BODY"
echo "--- prediction log"
curl -sf "http://127.0.0.1:$PORT/metrics" | grep -E '^retrainer_prediction_log_(dropped|written)' || true

echo "--- blue-green swap under load: steps [10, 50, 100], 3 s each, while wrk runs 30 s"
python3 - "$PORT" <<'PY'
import json, sys, urllib.request
port = sys.argv[1]
src = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/pipelines/demo"))["source"]
src = src.replace("config: { endpoint: demo }", "config: { endpoint: demo, steps: [10, 50, 100], step_interval: 3s, max_p99_latency_ratio: 50 }")
req = urllib.request.Request(f"http://127.0.0.1:{port}/api/pipelines", data=src.encode(), headers={"Content-Type": "application/yaml"})
print("pipeline revision", json.load(urllib.request.urlopen(req))["revision"])
PY
( sleep 5; run_pipeline "$PORT" demo 120 | json_get '(d["status"], d["verdict"], d["error"])' > "$WORK/swap-run.txt" ) &
SWAP=$!
DURATION=30 run_wrk swap "http://127.0.0.1:$PORT/serving/demo/invocations" "$DIR/serving/mlflow.lua" "$MLFLOW_BODY"
wait "$SWAP" || true
echo "swap run: $(cat "$WORK/swap-run.txt" 2>/dev/null || echo unknown)"
curl -sf "http://127.0.0.1:$PORT/api/endpoints/demo/rollout" | json_get '(d["phase"], d["version"], d["from_version"])' || true
grep -E "Socket errors|Non-2xx" "$WORK/swap.txt" || echo "no socket errors, no non-2xx responses"
