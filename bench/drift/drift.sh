#!/usr/bin/env bash
# Drift computation: PSI + KS for 100 numeric features over a window of 1,000,000 live rows.
# Runs io.retrainer.core.drift.DriftBenchmark (platform-core test sources, tag "benchmark",
# excluded from the normal build) and prints its results.
#   bench/drift/drift.sh      (env: FEATURES=100 ROWS=1000000 TRAIN_ROWS=200000 BATCH=1000 REPEATS=3 TIMEOUT=1800)
# No database or server is needed: the benchmark drives the drift monitor's listener directly.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/../lib.sh"

FEATURES=${FEATURES:-100}
ROWS=${ROWS:-1000000}
TRAIN_ROWS=${TRAIN_ROWS:-200000}
BATCH=${BATCH:-1000}
REPEATS=${REPEATS:-3}
TIMEOUT=${TIMEOUT:-1800}
LOG=$(mktemp "${TMPDIR:-/tmp}/retrainer-bench-drift.XXXXXX")
trap 'rm -f "$LOG"' EXIT

echo "== drift computation"
machine_facts
cmd=(mvn -B -o -pl platform-core -am test -Dgroups=benchmark -DexcludedGroups= -Dtest=DriftBenchmark -Dsurefire.failIfNoSpecifiedTests=false
     "-Dbench.features=$FEATURES" "-Dbench.rows=$ROWS" "-Dbench.trainRows=$TRAIN_ROWS" "-Dbench.batch=$BATCH" "-Dbench.repeats=$REPEATS")
echo "command: (cd $BENCH_REPO && ${cmd[*]})"
if ! (cd "$BENCH_REPO" && timeout "$TIMEOUT" "${cmd[@]}") >"$LOG" 2>&1; then
    tail -60 "$LOG" >&2
    echo "benchmark failed (full log above, last 60 lines)" >&2
    exit 1
fi
sed -n '/^=== Drift computation/,/^JVM: /p' "$LOG"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
