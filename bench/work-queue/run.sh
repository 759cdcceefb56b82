#!/usr/bin/env bash
# Work-queue benchmark: raw Kafka produce+consume ceiling (baseline) and, per engine, end-to-end
# items/s with a no-op worker and a 10 ms worker, and submit -> worker-call latency at 1,000
# items/s — in one invocation on one embedded KRaft broker.
#   bench/work-queue/run.sh [items=20000] [engines=share,classic]
# Topics get the partitions each engine's README advises: 8 for share groups (few), 32 for the
# classic engine (a multiple of every concurrency it runs at, so its consumers get equal shares).
# Writes bench/work-queue/results.md and keeps process logs in target/bench-logs/work-queue.
set -euo pipefail
cd "$(dirname "$0")/../.."
items=${1:-20000}
engines=${2:-share,classic}
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

./mvnw -B -q -pl work-coordinator -am package -DskipTests
./mvnw -B -q -pl work-coordinator dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
logs=target/bench-logs/work-queue
mkdir -p "$logs"
jar="$logs/work-coordinator.jar"
cp "$(ls work-coordinator/target/work-coordinator-*.jar | grep -v original | head -1)" "$jar"
table=$(mktemp)
"$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$(cat work-coordinator/target/bench-classpath.txt)" \
  bench/work-queue/WorkQueueBench.java "$jar" "$items" "$table" "$logs" "$engines"

{
  echo "# Work queue"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)."
  echo "Command: \`bench/work-queue/run.sh $items $engines\` ($(date -u +%Y-%m-%d))."
  echo "One embedded KRaft broker, one coordinator and one agent process (SerialGC, -Xmx768m), topics of 8 partitions for the share engine and 32 for the classic one, and the worker (JDK HttpServer on virtual threads) in the bench process — all on the same cores."
  echo "Throughput: after a warm-up (batches of half as many items for at least 60 s: every phase starts a fresh agent JVM, whose JIT compilers take up to half a core for the first minute), $items items (10 ms worker: fewer) submitted through the coordinator in arrays of 500 (4 at a time, faster than the agent runs them); time from the first submission to the last SUCCEEDED seen in GET /queues/{queue}."
  echo "CPU per item: each process's CPU time over a measured run (throughput, or the 15 s of single-item submissions) divided by its items (ProcessHandle's totalCpuDuration); the bench process holds the broker, the worker and the load generator. BENCH_JVM_OPTS adds JVM options to the coordinator and agent processes, BENCH_JAVA_OPTS to the bench process (e.g. a JFR recording)."
  echo "Latency: single-item POSTs due at a fixed 1,000/s for 15 s (at most 64 in flight) after a 60 s warm-up at the same rate; time from when the POST was due to the worker receiving the call, so a coordinator that falls behind shows in it; \"achieved\" is the rate the submissions actually went out at."
  echo
  cat "$table"
} > bench/work-queue/results.md
echo "bench: wrote bench/work-queue/results.md"
