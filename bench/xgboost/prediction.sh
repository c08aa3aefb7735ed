#!/usr/bin/env bash
# JMH: single-row and 1,000-row latency, pure-Java tree evaluator vs xgboost4j.
# Needs the plugin installed: (cd ../.. && mvn -B -o -q install -DskipTests -pl plugin-api,plugins/xgboost)
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q package
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
# One fork; 3 × 1 s warm-up and 5 × 1 s measurement per benchmark and row count.
exec java -cp "target/classes:$(cat target/classpath.txt)" org.openjdk.jmh.Main PredictionBenchmark \
    -f 1 -wi 3 -w 1s -i 5 -r 1s "$@"
