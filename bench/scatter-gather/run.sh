#!/usr/bin/env bash
# Scatter/gather benchmark: the scatter-root image in front of one example-leaf process listed as
# every shard (127.0.0.1 … 127.0.0.10, the same leaf on ten loopback addresses), beside wrk straight
# at that leaf, in one invocation, `rounds` times over:
#   (1) overhead: root over 10 instant shards vs the leaf alone, both at a light fixed rate: added p50/p99;
#   (2) tail: 10 shards, 1 % of leaf answers 100× slower (2 ms → 200 ms): p99 without hedging and
#       with the default (after the shard's p95), and the extra leaf calls hedging cost;
#   (3) throughput: the most client requests/s the root serves at fan-out 10 with p99 < 50 ms
#       (fixed rates, stepped up), as leaf calls/s, beside the leaf calls/s wrk gets straight.
#   bench/scatter-gather/run.sh [rounds=3]
# Containers run the images as shipped (host networking, no limit), every setting at its default
# except those printed. Needs docker, wrk, python3. BUILD=0 skips building the images. Writes
# bench/scatter-gather/results.md, all of it.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
((rounds >= 3)) || { echo "bench: rounds must be at least 3 (each figure is a median of the rounds)" >&2; exit 1; }
for wanted in docker:docker.io wrk:wrk python3:python3 curl:curl; do
  command -v "${wanted%%:*}" >/dev/null || { echo "bench: ${wanted%%:*} missing: apt-get install ${wanted#*:}" >&2; exit 1; }
done
. .mvn/find-jdk25.sh
outrigger_find_jdk25 || exit 1
# the images' revision label names the commit; a build from a tree with changes says so
built_from=""
if [[ ${BUILD:-1} == 1 ]]; then
  git diff --quiet HEAD -- . 2>/dev/null || built_from=" with uncommitted changes to: $(git diff --name-only HEAD | paste -sd, -)"
  deploy/images/build-offline-base.sh
  ./mvnw -B -q -Pimages package -DskipTests -pl scatter-root,services/examples/leaf -am \
    -Doutrigger.base.image=docker://outrigger/base:25-offline
fi
logs=target/bench-logs/scatter-gather
mkdir -p "$logs"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
containers=()
cleanup() { for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT
# start NAME IMAGE PORT ENV… : a container on the host network, ready within 60 s
start() {
  local name=$1 image=$2 port=$3; shift 3
  local env=(-e "OUTRIGGER_HTTP_PORT=$port")
  for setting in "$@"; do env+=(-e "$setting"); done
  docker rm -f "$name" >/dev/null 2>&1 || true
  docker run -d --name "$name" --network host "${env[@]}" "$image" >/dev/null
  containers+=("$name")
  for _ in $(seq 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true) == 200 ]] && return 0
    sleep 0.1
  done
  echo "bench: $name not ready within 60 s" >&2; docker logs "$name" | tail -20 >&2; exit 1
}
shards() { local port=$1 list=(); for i in $(seq 1 10); do list+=("http://127.0.0.$i:$port"); done; (IFS=,; echo "${list[*]}"); }
root_env() { echo OUTRIGGER_SCATTER_PREFIX=/search OUTRIGGER_SCATTER_MERGE=topk OUTRIGGER_SCATTER_MERGE_PATH=/hits OUTRIGGER_SCATTER_MERGE_FIELD=/score; }

fast=$(free_port); slow=$(free_port); root=$(free_port); hedged=$(free_port); unhedged=$(free_port)
start bench-leaf-fast outrigger/example-leaf:latest "$fast" OUTRIGGER_LEAF_NAME=fast
start bench-leaf-tail outrigger/example-leaf:latest "$slow" OUTRIGGER_LEAF_NAME=tail \
  OUTRIGGER_LEAF_LATENCY=2ms OUTRIGGER_LEAF_SLOW_PERCENT=1 OUTRIGGER_LEAF_SLOW_LATENCY=200ms
# shellcheck disable=SC2046
start bench-root outrigger/scatter-root:latest "$root" $(root_env) "OUTRIGGER_SCATTER_LEAVES=$(shards "$fast")"
# shellcheck disable=SC2046
start bench-root-hedged outrigger/scatter-root:latest "$hedged" $(root_env) "OUTRIGGER_SCATTER_LEAVES=$(shards "$slow")"
# shellcheck disable=SC2046
start bench-root-unhedged outrigger/scatter-root:latest "$unhedged" $(root_env) "OUTRIGGER_SCATTER_LEAVES=$(shards "$slow")" \
  OUTRIGGER_SCATTER_HEDGE_DELAY=off

query="/search?q=boat&size=10"
# wrk_run NAME URL SECONDS [RATE]: RATE requests/s over 10 connections (paced), or as fast as it goes
wrk_run() {
  local name=$1 url=$2 seconds=$3 rate=${4:-}
  if [[ -n $rate ]]; then
    FP_CONN_RATE=$(python3 -c "print($rate/10)") wrk -t1 -c10 -d"${seconds}s" --latency -s bench/footprint/pace.lua "$url" >"$logs/$name.txt"
  else
    wrk -t1 -c32 -d"${seconds}s" --latency "$url" >"$logs/$name.txt"
  fi
}
leaf_calls() { curl -s "http://127.0.0.1:$1/actuator/prometheus" | python3 -c '
import re,sys
text=sys.stdin.read()
calls=sum(float(v) for v in re.findall(r"^outrigger_scatter_leaf_seconds_count\{[^}]*\} (\S+)", text, re.M))
hedges=sum(float(v) for v in re.findall(r"^outrigger_scatter_hedges_sent_total\{[^}]*\} (\S+)", text, re.M))
print(int(calls), int(hedges))'; }

rates="100 200 300 400 500 700 1000 1500"
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds"
  # warm-up: every JVM compiles its hot paths before it is measured
  for url in "http://127.0.0.1:$fast$query" "http://127.0.0.1:$root$query" "http://127.0.0.1:$hedged$query" "http://127.0.0.1:$unhedged$query"; do
    wrk -t1 -c10 -d10s "$url" >/dev/null
  done
  wrk_run "r$round-overhead-direct" "http://127.0.0.1:$fast$query" 20 100
  wrk_run "r$round-overhead-root" "http://127.0.0.1:$root$query" 20 100
  read -r calls0 hedges0 < <(leaf_calls "$hedged")
  wrk_run "r$round-tail-hedged" "http://127.0.0.1:$hedged$query" 30 50
  read -r calls1 hedges1 < <(leaf_calls "$hedged")
  echo "$((calls1 - calls0)) $((hedges1 - hedges0))" >"$logs/r$round-tail-hedged-calls.txt"
  wrk_run "r$round-tail-unhedged" "http://127.0.0.1:$unhedged$query" 30 50
  wrk_run "r$round-throughput-direct" "http://127.0.0.1:$fast$query" 10
  for rate in $rates; do
    wrk_run "r$round-throughput-root-$rate" "http://127.0.0.1:$root$query" 10 "$rate"
  done
  echo "round $round done"
done

python3 bench/scatter-gather/report.py "$logs" "$rounds" "$rates" \
  "bench/scatter-gather/run.sh $rounds" "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)" \
  "$(docker image inspect outrigger/scatter-root:latest --format '{{index .Config.Labels "org.opencontainers.image.revision"}}')$built_from" \
  > bench/scatter-gather/results.md
cat bench/scatter-gather/results.md
