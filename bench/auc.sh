#!/usr/bin/env bash
# Holdout ROC AUC of the demo's logistic regression on the breast cancer data, through the API:
# fresh data dir (embedded PostgreSQL), run the demo pipeline twice, print roc_auc of each model
# version and the champion gate's verdict for run 2 (expected: promote, the same data and seed
# give the same AUC and the gate needs only "at least as good").
#   bench/auc.sh                (env: PORT=18092 TIMEOUT=180 RUN_TIMEOUT=600)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

PORT=${PORT:-18092}
TIMEOUT=${TIMEOUT:-180}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/retrainer-bench-auc.XXXXXX")

cleanup() {
    stop_server
    if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_dist
require_port_free "$PORT"
echo "== auc: demo pipeline (breast cancer CSV, logistic regression) holdout metrics via the API"
machine_facts
start_server "$WORK/data" "$PORT" "$WORK/server.log"
wait_ready "$PORT" "$TIMEOUT"

for n in 1 2; do
    run=$(run_pipeline "$PORT" demo "$RUN_TIMEOUT")
    printf '%s' "$run" >"$WORK/run$n.json"
    python3 - "$WORK/run$n.json" <<'PY'
import json, sys
from datetime import datetime
d = json.load(open(sys.argv[1]))
def t(s): return datetime.fromisoformat(s.replace("Z", "+00:00"))
print(f"run {d['id']}: {d['status']}, verdict {d.get('verdict')} ({d.get('verdict_reason')})")
print("    stages: " + ", ".join(f"{s['name']} {(t(s['finished']) - t(s['started'])).total_seconds() * 1000:.0f} ms"
      for s in d["stages"] if s.get("started") and s.get("finished")))
if d.get("error"):
    print("    error: " + d["error"])
PY
    status=$(printf '%s' "$run" | json_get 'd["status"]')
    [ "$status" = succeeded ] || { echo "run $n did not succeed" >&2; exit 1; }
    v=$(printf '%s' "$run" | json_get 'd["model_version"]["version"]')
    verdict=$(printf '%s' "$run" | json_get 'd.get("verdict")')
    curl -sf "http://127.0.0.1:$PORT/api/models/demo/versions/$v" >"$WORK/v$v.json"
    python3 - "$WORK/v$v.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
vals = d["metrics"]["values"]
print(f"    model demo v{d['version']} ({d['stage']}): "
      + ", ".join(f"{k} {x:.4f}" for k, x in sorted(vals.items()) if isinstance(x, (int, float))))
split = d["lineage"].get("split", {})
print(f"    holdout rows: {split.get('holdout_rows')}, training rows: {split.get('train_rows')}")
PY
    auc=$(curl -sf "http://127.0.0.1:$PORT/api/models/demo/versions/$v" | json_get 'd["metrics"]["values"]["roc_auc"]')
    ok=$(python3 -c "print('meets' if float('$auc') >= 0.98 else 'BELOW')")
    echo "RESULT run $n: demo v$v roc_auc $auc ($ok the 0.98 expectation), verdict $verdict"
done
