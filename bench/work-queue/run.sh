#!/usr/bin/env bash
# Work-queue benchmark: raw Kafka produce+consume ceiling (baseline) and, per engine, end-to-end
# items/s with a no-op worker and a 10 ms worker, and submit -> worker-call latency at 1,000
# items/s; then the coordinator's live heap over 30 minutes at 1,000 items/s — all at the default
# status retention, in one invocation on one embedded KRaft broker, `rounds` times over.
#   bench/work-queue/run.sh [items=60000] [rounds=3] [engines=share,classic]
# (25–35 minutes a round, plus the heap phase's 31: about three hours in all). BENCH_PHASES
# (throughput,latency,heap) runs a part: BENCH_PHASES=heap writes results-heap.md, any other choice
# results.md, so the two halves can run at different times. BENCH_HEAP_MINUTES (30) shortens a
# trial run; the results file says what ran.
# Every figure is the median of the rounds (at least 3) with their min–max beside it; the settings
# of the broker, the coordinator and the agent that are not their defaults are printed with them.
# Topics get the partitions each engine's README advises: 8 for share groups (few), 32 for the
# classic engine (a multiple of every concurrency it runs at, so its consumers get equal shares).
# Needs a JDK 25 only (Kafka comes from Maven). Writes its results file, all of it, and keeps
# process logs in target/bench-logs/work-queue.
set -euo pipefail
cd "$(dirname "$0")/../.."
items=${1:-60000}
rounds=${2:-3}
engines=${3:-share,classic}
((rounds >= 3)) || { echo "bench: rounds must be at least 3 (each figure is a median of the rounds)" >&2; exit 1; }
results=bench/work-queue/results.md
[[ ${BENCH_PHASES:-} == heap ]] && results=bench/work-queue/results-heap.md

. bench/common.sh
logs=target/bench-logs/work-queue
mkdir -p "$logs"
jar="$logs/work-coordinator.jar"
bench_build work-coordinator "$jar"
table=$(mktemp)
# the bench process holds the broker: it runs with the heap and collector settings Kafka's own
# start scripts give a broker (kafka-server-start.sh, kafka-run-class.sh)
broker_jvm="-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35"
"$JAVA_HOME/bin/java" $broker_jvm ${BENCH_JAVA_OPTS:-} -cp "$(cat work-coordinator/target/bench-classpath.txt)" \
  bench/work-queue/WorkQueueBench.java "$jar" "$items" "$rounds" "$table" "$logs" "$engines"

{
  echo "# Work queue"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)."
  echo "Command: \`bench/work-queue/run.sh $items $rounds $engines\` ($(date -u +%Y-%m-%d)): $rounds rounds, one after another, each running every phase below."
  echo "One embedded KRaft broker in the bench process, which runs with the heap and collector Kafka's start scripts give a broker ($broker_jvm); for each phase its own topics and a fresh coordinator and agent process (SerialGC, -Xmx768m), topics of 8 partitions for the share engine and 32 for the classic one, and the worker (JDK HttpServer on virtual threads) in the bench process — all on the same cores."
  echo "Throughput: after a warm-up (batches of a quarter as many items, at most 1,000 items/s, as in the runs from when the status view was on the heap, for at least 60 s and then until the JIT compilers of the agent, the coordinator and the bench JVM each spent less than 5 % of the last 10 s compiling, at most 300 s: on these busy cores a fresh JVM's compilers take about a sixth of a core each for two to three minutes, and every phase starts a fresh agent JVM), $items items (10 ms worker: fewer) submitted through the coordinator in arrays of 500 (4 at a time, faster than the agent runs them); time from the first submission to the last SUCCEEDED seen in GET /queues/{queue}."
  echo "Baseline, in each round: batches of N records of 180 bytes, each produced with the coordinator's producer settings and then consumed (assigned, from where the log ended), on a topic of 8 partitions; after warm-up batches until the bench JVM's compilers settle (as above), the round's figure is over 10 batches."
  echo "CPU per item: each process's CPU time over a measured run (throughput, or the minute of single-item submissions) divided by its items (ProcessHandle's totalCpuDuration); the bench process holds the broker, the worker and the load generator. BENCH_JVM_OPTS adds JVM options to the coordinator and agent processes, BENCH_JAVA_OPTS to the bench process (e.g. a JFR recording)."
  echo "Latency: the agent at its default concurrency (8); single-item POSTs due at a fixed 1,000/s for 60 s (at most 64 in flight) after a warm-up at the same rate, settled as above, and after the warm-up's backlog has drained (at most 5 minutes; the time is reported); the coordinator and agent keep finished statuses for the default 7 days (in their status stores on disk); time from when the POST was due to the worker receiving the call, so a coordinator that falls behind shows in it; \"achieved\" is the rate the submissions actually went out at."
  echo
  cat "$table"
} > "$results"
rm -f "$table"
echo "bench: wrote $results"
