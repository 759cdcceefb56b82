#!/usr/bin/env bash
# Footprint of every runnable image: time from `docker run` to the first 200 from /readyz, memory
# a few seconds after ready, memory and p99 under a fixed load, and whether the container survives
# under a memory limit — each start from a cold page cache, for the image as shipped and for the
# same image with the JVM's default settings, side by side. Writes bench/footprint/results.md.
#   sudo bench/footprint/run.sh                      (defaults: ~2 h)
#   ROUNDS=3 LOAD_SECONDS=10 sudo -E bench/footprint/run.sh     (a smoke run, ~20 min)
# Settings (environment):
#   ROUNDS=3            rounds per image × variant × limit; every figure is their median (min–max)
#   LOAD_SECONDS=120    length of the load phase
#   IMAGES="hello leader-elector ambassador-proxy work-coordinator work-agent" (also: scatter-root,
#                       over one example-leaf container listed as ten shards, `GET /search`)
#   VARIANTS="shipped default"   shipped: the image as built; default: same image, its entrypoint
#                       replaced by `java -cp <the image's class path> <main class>` and
#                       JAVA_TOOL_OPTIONS empty, so none of our JVM flags apply; any other name N:
#                       the same image with the JVM flags VARIANT_N_FLAGS instead of the image's
#                       (and VARIANT_N_ENV, `K=V …`, added to its environment): to try a lever
#                       without rebuilding
#   LIMITS="none 128m"  `docker run --memory X --memory-swap X` (none: no limit)
#   READY_TIMEOUT=60    seconds to wait for ready before the start counts as failed
#   HTTP_CONNECTIONS=4 HTTP_CONN_RATE=50   wrk: connections × requests/s each (200 req/s)
#   REDIS_CLIENTS=16 REDIS_PIPELINE=16     redis-benchmark (SET and GET, 100-byte values), looped
#   BUILD=1             build the images first (0: use those in the engine)
#   EXTRA_ENV=""        more `-e K=V` for every measured container (e.g. to try JAVA_TOOL_OPTIONS)
#   REPO=outrigger TAG=latest   images REPO/<module>:TAG (BUILD=1 builds them under that repository)
#   RESULTS=bench/footprint/results.md   where the table goes
# Needs root (drop_caches, cgroup files), docker, wrk, redis-server, redis-benchmark, python3.
# Every build and every single measurement holds /tmp/outrigger-build.lock, so nothing else the
# lock guards runs beside it. Memory is read from the container's cgroup (v1 or v2):
#   RSS   = anonymous + mapped file pages (memory.stat rss+mapped_file, or anon+file_mapped)
#   usage = what the limit counts (memory.usage_in_bytes / memory.current: includes page cache)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
. .mvn/find-jdk25.sh
outrigger_find_jdk25 || exit 1
ROUNDS=${ROUNDS:-3}
LOAD_SECONDS=${LOAD_SECONDS:-120}
IMAGES=${IMAGES:-hello leader-elector ambassador-proxy work-coordinator work-agent}
VARIANTS=${VARIANTS:-shipped default}
LIMITS=${LIMITS:-none 128m}
READY_TIMEOUT=${READY_TIMEOUT:-60}
HTTP_CONNECTIONS=${HTTP_CONNECTIONS:-4}
HTTP_CONN_RATE=${HTTP_CONN_RATE:-50}
REDIS_CLIENTS=${REDIS_CLIENTS:-16}
REDIS_PIPELINE=${REDIS_PIPELINE:-16}
BUILD=${BUILD:-1}
EXTRA_ENV=${EXTRA_ENV:-}
TAG=${TAG:-latest}
RESULTS=${RESULTS:-bench/footprint/results.md}
REPO=${REPO:-outrigger}
LOCK=/tmp/outrigger-build.lock
REDIS_SHARD_PORT=${REDIS_SHARD_PORT:-7379}
logs=$root/target/bench-logs/footprint
mkdir -p "$logs"
raw=$logs/raw-$(basename "$RESULTS" .md).tsv
: > "$raw"

[[ $EUID -eq 0 ]] || { echo "run.sh: needs root (drop_caches, cgroup files)" >&2; exit 1; }
for wanted in docker:docker.io wrk:wrk redis-server:redis-server redis-benchmark:redis-tools python3:python3 curl:curl; do
  command -v "${wanted%%:*}" >/dev/null || { echo "run.sh: ${wanted%%:*} missing: apt-get install ${wanted#*:}" >&2; exit 1; }
done

if [[ $BUILD == 1 ]]; then
  deploy/images/build-offline-base.sh   # idempotent: outrigger/base:25-offline when it is missing
  flock "$LOCK" ./mvnw -B -q -Pimages package -DskipTests -Doutrigger.base.image=docker://outrigger/base:25-offline \
    -Doutrigger.image.repository="$REPO"
fi

image_of() {
  case $1 in
    hello) echo $REPO/hello:$TAG ;;
    leader-elector) echo $REPO/leader-elector:$TAG ;;
    ambassador-proxy) echo $REPO/ambassador-proxy:$TAG ;;
    work-coordinator|work-agent) echo $REPO/work-coordinator:$TAG ;;
    scatter-root) echo $REPO/scatter-root:$TAG ;;
  esac
}
port_of() {
  case $1 in
    hello) echo 4048 ;; leader-elector) echo 4040 ;; ambassador-proxy) echo 4044 ;;
    work-coordinator) echo 4041 ;; work-agent) echo 4042 ;; scatter-root) echo 4043 ;;
  esac
}

# the container's cgroup directory (cgroup v1 with the cgroupfs driver, or v2)
cgroup_dir() {
  local id=$1
  for d in /sys/fs/cgroup/memory/docker/$id /sys/fs/cgroup/memory/system.slice/docker-$id.scope \
           /sys/fs/cgroup/system.slice/docker-$id.scope /sys/fs/cgroup/docker/$id; do
    [[ -d $d ]] && { echo "$d"; return; }
  done
  return 0  # gone (a container killed at once): nothing to read, not a reason to stop the bench
}
# prints "rss_bytes usage_bytes"
mem_of() {
  local d=$1
  if [[ -f $d/memory.usage_in_bytes ]]; then
    awk -v u="$(cat "$d/memory.usage_in_bytes")" '$1=="rss"{r=$2} $1=="mapped_file"{m=$2} END{print r+m, u}' "$d/memory.stat"
  else
    awk -v u="$(cat "$d/memory.current")" '$1=="anon"{r=$2} $1=="file_mapped"{m=$2} END{print r+m, u}' "$d/memory.stat"
  fi
}

# the `docker run` arguments that give the image the JVM's default settings
default_args() {
  local image=$1
  docker image inspect -f '{{json .Config.Entrypoint}}' "$image" | python3 -c '
import json, sys
e = json.load(sys.stdin)
i = e.index("-cp")
print(" ".join(["--entrypoint", e[0], "-e", "JAVA_TOOL_OPTIONS=", "IMAGE"] + e[i:]))'
}
# the `docker run` arguments for a named variant: the image's entrypoint with other JVM flags
variant_args() {
  local image=$1 name=$2 flags_var="VARIANT_${2}_FLAGS" env_var="VARIANT_${2}_ENV"
  local envs=() e
  for e in ${!env_var:-}; do envs+=(-e "$e"); done
  docker image inspect -f '{{json .Config.Entrypoint}}' "$image" | FLAGS="${!flags_var:-}" ENVS="${envs[*]:-}" python3 -c '
import json, os, sys
e = json.load(sys.stdin)
i = e.index("-cp")
print(" ".join(["--entrypoint", e[0]] + os.environ["ENVS"].split() + ["IMAGE"] + os.environ["FLAGS"].split() + e[i:]))'
}

peers_pid=""
redis_pid=""
coordinator_peer=""
cleanup() {
  docker rm -f fp-measured fp-coordinator-peer fp-leaf >/dev/null 2>&1 || true
  [[ -n $redis_pid ]] && kill "$redis_pid" 2>/dev/null || true
  if [[ -n $peers_pid ]]; then exec 8>&- 2>/dev/null || true; wait "$peers_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

bootstrap=""
start_work_peers() {
  [[ -n $peers_pid ]] && return
  flock "$LOCK" ./mvnw -B -q -pl work-coordinator -am package -DskipTests dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/footprint-classpath.txt >/dev/null
  rm -f "$logs/bootstrap"
  # the broker and worker run until their standard input (fd 8 here) closes
  exec 8> >("$JAVA_HOME/bin/java" -Xmx1g -XX:+UseSerialGC -cp "$(cat work-coordinator/target/footprint-classpath.txt)" \
    bench/footprint/FootprintPeers.java "$logs/bootstrap" >"$logs/peers.log" 2>&1)
  peers_pid=$!
  for _ in $(seq 1 120); do [[ -s $logs/bootstrap ]] && break; sleep 1; done
  [[ -s $logs/bootstrap ]] || { echo "run.sh: broker did not start, see $logs/peers.log" >&2; exit 1; }
  bootstrap=$(head -1 "$logs/bootstrap")
}
start_redis() {
  [[ -n $redis_pid ]] && return
  redis-server --port "$REDIS_SHARD_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    >"$logs/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_SHARD_PORT" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "run.sh: redis-server did not start" >&2; exit 1
}

LEAF_PORT=${LEAF_PORT:-18080}
leaf_started=""
# scatter-root's leaves: one example-leaf container (as shipped, no limit) on 127.0.0.1 … 127.0.0.10
start_leaf() {
  [[ -n $leaf_started ]] && return
  docker rm -f fp-leaf >/dev/null 2>&1 || true
  docker run -d --name fp-leaf --network host -e "OUTRIGGER_HTTP_PORT=$LEAF_PORT" "$REPO/example-leaf:$TAG" >/dev/null
  for _ in $(seq 1 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$LEAF_PORT/readyz" || true) == 200 ]] && { leaf_started=1; return; }
    sleep 0.1
  done
  echo "run.sh: the example leaf did not start" >&2; exit 1
}
ten_shards() { local list=() i; for i in $(seq 1 10); do list+=("http://127.0.0.$i:$LEAF_PORT"); done; (IFS=,; echo "${list[*]}"); }

wait_ready() { # port timeout_s container -> prints seconds or "" ; t0 from caller
  local port=$1 deadline=$2 name=$3 t0=$4
  while :; do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/readyz" || true) == 200 ]]; then
      awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}'; return
    fi
    [[ $(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null) == true ]] || return 0
    awk -v a="$t0" -v b="$(date +%s.%N)" -v d="$deadline" 'BEGIN{exit !(b-a > d)}' && return 0
    sleep 0.02
  done
}

# one measurement: prints a raw line
measure() {
  local key=$1 variant=$2 limit=$3 round=$4
  local image port name=fp-measured
  image=$(image_of "$key"); port=$(port_of "$key")
  local env=() mem=() queue="fp-$round-$variant-$limit-$RANDOM"
  case $key in
    ambassador-proxy) env=(-e "OUTRIGGER_AMBASSADOR_SHARDS=127.0.0.1:$REDIS_SHARD_PORT:1") ;;
    leader-elector) env=(-e OUTRIGGER_ELECTION_BACKEND=standalone) ;;
    work-coordinator) env=(-e OUTRIGGER_WORK_MODE=coordinator -e "OUTRIGGER_WORK_KAFKA_BOOTSTRAP_SERVERS=$bootstrap" -e "OUTRIGGER_WORK_QUEUES=$queue") ;;
    work-agent) env=(-e OUTRIGGER_WORK_MODE=agent -e "OUTRIGGER_WORK_KAFKA_BOOTSTRAP_SERVERS=$bootstrap" -e "OUTRIGGER_WORK_QUEUES=$queue") ;;
    scatter-root) env=(-e "OUTRIGGER_SCATTER_LEAVES=$(ten_shards)" -e OUTRIGGER_SCATTER_PREFIX=/search -e OUTRIGGER_SCATTER_MERGE=topk
                       -e OUTRIGGER_SCATTER_MERGE_PATH=/hits -e OUTRIGGER_SCATTER_MERGE_FIELD=/score) ;;
  esac
  [[ $limit != none ]] && mem=(--memory "$limit" --memory-swap "$limit")
  local run_args
  if [[ $variant == default ]]; then
    read -r -a run_args <<<"$(default_args "$image")"
    run_args=("${run_args[@]/#IMAGE/$image}")
  elif [[ $variant == shipped ]]; then
    run_args=("$image")
  else
    read -r -a run_args <<<"$(variant_args "$image" "$variant")"
    run_args=("${run_args[@]/#IMAGE/$image}")
  fi
  local extra=()
  [[ -n $EXTRA_ENV ]] && read -r -a extra <<<"$EXTRA_ENV"

  if [[ $key == work-agent ]]; then
    # the agent's load comes through a coordinator (as shipped, no limit), started before the lock
    docker rm -f fp-coordinator-peer >/dev/null 2>&1 || true
    docker run -d --name fp-coordinator-peer --network host -e OUTRIGGER_WORK_MODE=coordinator \
      -e "OUTRIGGER_WORK_KAFKA_BOOTSTRAP_SERVERS=$bootstrap" -e "OUTRIGGER_WORK_QUEUES=$queue" \
      "$(image_of work-coordinator)" >/dev/null
    for _ in $(seq 1 600); do
      [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 http://127.0.0.1:4041/readyz || true) == 200 ]] && break
      sleep 0.1
    done
  fi

  exec 9>"$LOCK"; flock 9
  docker rm -f "$name" >/dev/null 2>&1 || true
  sync; echo 3 > /proc/sys/vm/drop_caches
  local t0 id ready
  t0=$(date +%s.%N)
  id=$(docker run -d --name "$name" --network host "${mem[@]}" "${env[@]}" "${extra[@]}" "${run_args[@]}")
  ready=$(wait_ready "$port" "$READY_TIMEOUT" "$name" "$t0")
  local cg; cg=$(cgroup_dir "$id")
  local idle_rss=NA idle_use=NA load_rss=NA load_use=NA p99=NA reqs=NA errors=NA
  if [[ -n $ready ]]; then
    sleep 3
    # a container OOM-killed meanwhile has no memory to read: NA, and the bench goes on
    read -r idle_rss idle_use < <(mem_of "$cg" 2>/dev/null) || { idle_rss=NA; idle_use=NA; }
    # the load, sampling memory each second
    local loadlog=$logs/load-$key-$variant-$limit-$round.txt
    case $key in
      ambassador-proxy)
        ( end=$(( $(date +%s) + LOAD_SECONDS ))
          while (( $(date +%s) < end )); do
            redis-benchmark -h 127.0.0.1 -p 6379 -c "$REDIS_CLIENTS" -P "$REDIS_PIPELINE" -t set,get -d 100 \
              -r 100000 -n 200000 --csv 2>/dev/null | grep -v '^"test"' || break
          done ) >"$loadlog" &
        ;;
      *)
        local target="http://127.0.0.1:$port/" method="" body=""
        case $key in
          hello) target="http://127.0.0.1:$port/hello" ;;
          leader-elector) target="http://127.0.0.1:$port/leader" ;;
          work-coordinator) target="http://127.0.0.1:4041/queues/$queue/items"; method=POST; body='{"payload":{"n":1}}' ;;
          work-agent) target="http://127.0.0.1:4041/queues/$queue/items"; method=POST; body='{"payload":{"n":1}}' ;;
          scatter-root) target="http://127.0.0.1:$port/search?q=boat&size=10" ;;
        esac
        FP_CONN_RATE=$HTTP_CONN_RATE FP_METHOD=$method FP_BODY=$body \
          wrk -t1 -c"$HTTP_CONNECTIONS" -d"${LOAD_SECONDS}s" --latency -s bench/footprint/pace.lua "$target" >"$loadlog" 2>&1 &
        ;;
    esac
    local loadpid=$! r u max_r=0 max_u=0
    while kill -0 "$loadpid" 2>/dev/null; do
      if read -r r u < <(mem_of "$cg" 2>/dev/null); then
        (( r > max_r )) && max_r=$r; (( u > max_u )) && max_u=$u
      fi
      sleep 1
    done
    wait "$loadpid" || true
    load_rss=$max_r; load_use=$max_u
    if [[ $key == ambassador-proxy ]]; then
      # "SET","rps","avg","min","p50","p95","p99","max": the worst p99 and the mean rps over the loop
      p99=$(awk -F'"' '{if ($14+0 > m) m = $14+0} END{print (NR ? m : "NA")}' "$loadlog")
      reqs=$(awk -F'"' '{s += $4; n++} END{printf "%d", (n ? s / n : 0)}' "$loadlog")
      errors=0
      [[ -s $loadlog ]] || errors=1
    else
      p99=$(awk '/^ +99%/{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' "$loadlog")
      reqs=$(awk '/^Requests\/sec/{printf "%d", $2}' "$loadlog")
      errors=$(awk '/Non-2xx/{e+=$NF} /Socket errors/{gsub(/,/,""); e+=$4+$6+$8+$10} END{print e+0}' "$loadlog")
      [[ -n $p99 ]] || p99=NA
      [[ $key == work-agent ]] && p99=NA  # the submissions' latency is the coordinator's, not the agent's
    fi
  fi
  local running oom exit outcome
  running=$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null || echo false)
  oom=$(docker inspect -f '{{.State.OOMKilled}}' "$name" 2>/dev/null || echo NA)
  exit=$(docker inspect -f '{{.State.ExitCode}}' "$name" 2>/dev/null || echo NA)
  if [[ -n $ready ]]; then outcome=ready
  elif [[ $running == true ]]; then outcome=timeout
  else outcome=exited; fi
  local still=false
  [[ $running == true && $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/readyz" || true) == 200 ]] && still=true
  docker logs "$name" >"$logs/container-$key-$variant-$limit-$round.log" 2>&1 || true
  docker rm -f "$name" >/dev/null 2>&1 || true
  flock -u 9; exec 9>&-
  [[ $key == work-agent ]] && docker rm -f fp-coordinator-peer >/dev/null 2>&1 || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$variant" "$limit" "$round" \
    "${ready:-NA}" "$idle_rss" "$idle_use" "$load_rss" "$load_use" "$p99" "$reqs" "$errors" "$still" "$oom" "$exit" "$outcome" | tee -a "$raw"
}

for key in $IMAGES; do
  case $key in
    ambassador-proxy) start_redis ;;
    work-coordinator|work-agent) start_work_peers ;;
    scatter-root) start_leaf ;;
  esac
  for round in $(seq 1 "$ROUNDS"); do
    for limit in $LIMITS; do
      for variant in $VARIANTS; do
        measure "$key" "$variant" "$limit" "$round"
      done
    done
  done
done

sizes=$logs/sizes.tsv
: > "$sizes"
for key in $IMAGES; do
  image=$(image_of "$key")
  printf '%s\t%s\n' "$key" "$(docker image inspect -f '{{.Size}}' "$image")" >>"$sizes"
done

settings="IMAGES=\"$IMAGES\" BUILD=$BUILD RESULTS=$RESULTS REPO=$REPO TAG=$TAG ROUNDS=$ROUNDS LOAD_SECONDS=$LOAD_SECONDS LIMITS=\"$LIMITS\" VARIANTS=\"$VARIANTS\" READY_TIMEOUT=$READY_TIMEOUT HTTP_CONNECTIONS=$HTTP_CONNECTIONS HTTP_CONN_RATE=$HTTP_CONN_RATE REDIS_CLIENTS=$REDIS_CLIENTS REDIS_PIPELINE=$REDIS_PIPELINE${EXTRA_ENV:+ EXTRA_ENV=\"$EXTRA_ENV\"}"
for v in $VARIANTS; do
  [[ $v == shipped || $v == default ]] && continue
  fv="VARIANT_${v}_FLAGS"; ev="VARIANT_${v}_ENV"
  settings+=" $fv=\"${!fv:-}\""
  [[ -n ${!ev:-} ]] && settings+=" $ev=\"${!ev}\""
done
python3 bench/footprint/report.py "$raw" "$sizes" "$settings" "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), Docker $(docker version -f '{{.Server.Version}}'), cgroup $(docker info -f '{{.CgroupVersion}}'), base $(docker image inspect -f '{{index .Config.Labels "io.outrigger.jdk.version"}}' outrigger/base:25-offline 2>/dev/null || echo '?')" \
  "$READY_TIMEOUT" > "$RESULTS"
echo "bench: wrote $RESULTS (raw figures in $raw)"
