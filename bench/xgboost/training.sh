#!/usr/bin/env bash
# Training, side by side in one run: a generated 1,000,000 × 20 CSV with a binary label.
#  - Retrainer: the full pipeline (csv → validate → split 80/20 → xgboost → classification-metrics
#    → register) through a running platform's API, timed from the run request to its end;
#  - Python: Debian's python3-xgboost 1.7.4 on the same file (numpy load, 80/20 split, same
#    hyper-parameters), timed end to end.
# Both: hist, max_depth 6, eta 0.3, 100 rounds, 2 threads. Needs the distribution built
# (mvn -B -o -q install -DskipTests) and `apt-get install -y python3-xgboost python3-numpy`.
#   bench/xgboost/training.sh            (env: ROWS=1000000 PORT=18094 RUN_TIMEOUT=1800)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
DIST=${DIST_DIR:-$DIST}  # another installation, e.g. a copy that a concurrent build cannot change

ROWS=${ROWS:-1000000}
PORT=${PORT:-18094}
RUN_TIMEOUT=${RUN_TIMEOUT:-1800}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/retrainer-bench-xgb.XXXXXX")
cleanup() {
    stop_server
    if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_dist
require_port_free "$PORT"
echo "== xgboost training: $ROWS × 20 CSV, Retrainer pipeline vs Python xgboost"
machine_facts
CSV="$WORK/train.csv"
/usr/bin/python3 "$HERE/generate_csv.py" "$CSV" "$ROWS"
echo "csv: $(du -h "$CSV" | cut -f1), $(($(wc -l <"$CSV") - 1)) rows"

# Python first; numpy's OpenBLAS overrides from the environment are dropped for this command only.
echo "-- python3-xgboost"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$HERE/train_python.py" "$CSV" | tee "$WORK/python.json"

echo "-- retrainer"
start_server "$WORK/data" "$PORT" "$WORK/server.log"
wait_ready "$PORT" 300
cat >"$WORK/pipeline.yaml" <<YAML
name: xgb-bench
source: { plugin: csv, config: { path: "$CSV", label: label, task: classification } }
split: { strategy: holdout, test_fraction: 0.2, seed: 42 }
train: { plugin: xgboost, config: { rounds: 100, max_depth: 6, eta: 0.3, tree_method: hist, threads: 2 } }
evaluate:
  - { plugin: classification-metrics }
YAML
curl -sf -X POST "http://127.0.0.1:$PORT/api/pipelines" -H 'Content-Type: application/yaml' --data-binary @"$WORK/pipeline.yaml" >/dev/null
t0=$(now_ms)
run=$(run_pipeline "$PORT" xgb-bench "$RUN_TIMEOUT")
t1=$(now_ms)
printf '%s' "$run" >"$WORK/run.json"
[ "$(printf '%s' "$run" | json_get 'd["status"]')" = succeeded ] || { echo "run failed: $run" >&2; exit 1; }
v=$(printf '%s' "$run" | json_get 'd["model_version"]["version"]')
curl -sf "http://127.0.0.1:$PORT/api/models/xgb-bench/versions/$v" >"$WORK/version.json"
python3 - "$WORK/run.json" "$WORK/version.json" "$WORK/python.json" "$((t1 - t0))" "$ROWS" <<'PY'
import json, sys
from datetime import datetime
run, version, py = (json.load(open(p)) for p in sys.argv[1:4])
wall_ms, rows = int(sys.argv[4]), int(sys.argv[5])
def t(s): return datetime.fromisoformat(s.replace("Z", "+00:00"))
stages = {s["name"]: (t(s["finished"]) - t(s["started"])).total_seconds() for s in run["stages"] if s.get("finished")}
print("retrainer stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
auc = version["metrics"]["values"]["roc_auc"]
print(f"RESULT retrainer: run {wall_ms / 1000:.2f} s wall (request to end), holdout AUC {auc:.4f}, "
      f"CSV ingest {rows / stages['source']:,.0f} rows/s (source stage {stages['source']:.2f} s)")
print(f"RESULT python:    {py['total_s']:.2f} s wall (load {py['load_s']:.2f}, split+DMatrix {py['split_s']:.2f}, "
      f"train {py['train_s']:.2f}, evaluate {py['evaluate_s']:.2f}), holdout AUC {py['auc']:.4f}, "
      f"CSV ingest {py['ingest_rows_per_s']:,.0f} rows/s (numpy {py['numpy']}, xgboost {py['xgboost']})")
print(f"RESULT ratio retrainer/python wall time: {wall_ms / 1000 / py['total_s']:.2f} (target <= 1.0); "
      f"AUC difference {auc - py['auc']:+.4f} (target within 0.005)")
PY
