#!/usr/bin/env bash
# Leader-election failover benchmark: crash failover and graceful handover on every backend,
# with the kubernetes backend at client-go's default timings as the baseline, in one invocation.
#   bench/leader-election/run.sh [runs=20] [baseline-runs=3] [backends=kubernetes,kafka,jdbc,baseline]
# Writes bench/leader-election/results.md (the table) and keeps process logs in target/bench-logs.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
baseline_runs=${2:-3}
backends=${3:-kubernetes,kafka,jdbc,baseline}
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
  || { echo "bench: needs PostgreSQL's binaries (apt-get install postgresql)" >&2; exit 1; }

./mvnw -B -q -pl leader-elector -am package -DskipTests
./mvnw -B -q -pl leader-elector dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
logs=target/bench-logs/leader-election
mkdir -p "$logs"
# a private copy: rebuilding the module during a run must not swap the jar under the candidates
jar="$logs/leader-elector.jar"
cp "$(ls leader-elector/target/leader-elector-*.jar | grep -v original | head -1)" "$jar"
table=$(mktemp)
"$JAVA_HOME/bin/java" -cp "$(cat leader-elector/target/bench-classpath.txt)" \
  bench/leader-election/LeaderElectionBench.java "$jar" "$runs" "$baseline_runs" "$table" "$logs" "$backends"

{
  echo "# Leader-election failover"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)."
  echo "Command: \`bench/leader-election/run.sh $runs $baseline_runs $backends\` ($(date -u +%Y-%m-%d))."
  echo "Three leader-elector processes per backend; a watcher follows each candidate's /leader/events (SSE, pushed on every change) into one shared log, stamped on one clock."
  echo "Crash = SIGKILL of the leader; graceful = SIGTERM (drain releases leadership). Time = kill/term sent -> another candidate reports isLeader=true with a higher token."
  echo
  cat "$table"
} > bench/leader-election/results.md
echo "bench: wrote bench/leader-election/results.md"
