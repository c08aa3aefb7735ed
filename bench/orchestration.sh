#!/usr/bin/env bash
# Orchestration overhead per stage: runs io.retrainer.core.bench.OrchestrationBenchmark (platform-core
# test sources, tag "benchmark", excluded from the normal build) and prints its results table.
#   bench/orchestration.sh      (env: EVAL_STAGES=40 WARMUP=3 RUNS=10 DBS=external,embedded TIMEOUT=1800)
# "external" uses a fresh database on the PostgreSQL at 127.0.0.1:5432 (or RETRAINER_TEST_PG);
# "embedded" starts the embedded PostgreSQL in a temporary directory.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

EVAL_STAGES=${EVAL_STAGES:-40}
WARMUP=${WARMUP:-3}
RUNS=${RUNS:-10}
DBS=${DBS:-external,embedded}
TIMEOUT=${TIMEOUT:-1800}
LOG=$(mktemp "${TMPDIR:-/tmp}/retrainer-bench-orchestration.XXXXXX")
trap 'rm -f "$LOG"' EXIT

echo "== orchestration overhead per stage"
machine_facts
cmd=(mvn -B -o -pl platform-core -am test -Dgroups=benchmark -DexcludedGroups= -Dtest=OrchestrationBenchmark -Dsurefire.failIfNoSpecifiedTests=false
     "-Dbench.evalStages=$EVAL_STAGES" "-Dbench.warmup=$WARMUP" "-Dbench.runs=$RUNS" "-Dbench.db=$DBS")
echo "command: (cd $BENCH_REPO && ${cmd[*]})"
if ! (cd "$BENCH_REPO" && timeout "$TIMEOUT" "${cmd[@]}") >"$LOG" 2>&1; then
    tail -60 "$LOG" >&2
    echo "benchmark failed (full log above, last 60 lines)" >&2
    exit 1
fi
sed -n '/^=== Orchestration overhead/,/^JVM CPU = /p' "$LOG"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
