#!/usr/bin/env bash
# Ambassador throughput and latency: redis-benchmark against (a) one redis-server directly,
# (b) Debian's nutcracker (twemproxy) over 3 shards, (c) the ambassador over the same 3 shards,
# in one invocation, then the ratios. Everything on loopback.
#   bench/ambassador/run.sh [requests=200000] [rounds=3]
# The targets take turns, round after round, and each figure is the median over the rounds, so a
# burst of other work on the machine moves one sample, not the ratio.
# Writes bench/ambassador/results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
requests=${1:-200000}
rounds=${2:-3}
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
for tool in redis-server redis-benchmark nutcracker; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool (apt-get install redis-server redis-tools nutcracker)" >&2; exit 1; }
done

./mvnw -B -q -pl ambassador-proxy -am package -DskipTests
work=$(mktemp -d)
# a private copy: rebuilding the module during a run must not swap the jar under the process
jar="$work/ambassador-proxy.jar"
cp "$(ls ambassador-proxy/target/ambassador-proxy-*.jar | grep -v original | head -1)" "$jar"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # port log
  for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: port $1 never opened; $2 ends:" >&2; tail -20 "$2" >&2; exit 1
}

redis() { redis-server --port "$1" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$work/redis-$1.log" 2>&1 & pids+=($!); wait_port "$1" "$work/redis-$1.log"; }

direct=$(free_port); redis "$direct"
shards=()
for _ in 1 2 3; do port=$(free_port); redis "$port"; shards+=("$port"); done

twem=$(free_port)
cat >"$work/nutcracker.yml" <<YML
bench:
  listen: 127.0.0.1:$twem
  redis: true
  hash: fnv1a_64
  distribution: ketama
  server_connections: 1
  servers:
    - 127.0.0.1:${shards[0]}:1
    - 127.0.0.1:${shards[1]}:1
    - 127.0.0.1:${shards[2]}:1
YML
nutcracker -c "$work/nutcracker.yml" -s "$(free_port)" -o "$work/nutcracker.log" & pids+=($!)
wait_port "$twem" "$work/nutcracker.log"

amb=$(free_port)
OUTRIGGER_AMBASSADOR_LISTEN=127.0.0.1:$amb \
OUTRIGGER_AMBASSADOR_SHARDS="127.0.0.1:${shards[0]}:1,127.0.0.1:${shards[1]}:1,127.0.0.1:${shards[2]}:1" \
OUTRIGGER_HTTP_PORT=$(free_port) \
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:MaxRAMPercentage=60 -jar "$jar" >"$work/ambassador.log" 2>&1 & pids+=($!)
wait_port "$amb" "$work/ambassador.log"

results="$work/results.csv"
echo "target,test,pipeline,rps,p50,p99" >"$results"
bench() { # target port pipeline label args...
  local target=$1 port=$2 pipeline=$3 label=$4; shift 4
  redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n "$requests" -P "$pipeline" -r 100000 --csv "$@" \
    | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
for row in rows[1:]:
    print(",".join([sys.argv[1], sys.argv[4] or row[0], sys.argv[2], row[1], row[4], row[6]]))
' "$target" "$pipeline" x "$label" >>"$results"
}
mget() { local n=$1; printf 'MGET'; for i in $(seq 1 "$n"); do printf ' key:%s:__rand_int__' "$i"; done; }
targets=("direct:$direct" "nutcracker:$twem" "ambassador:$amb")

for target in "${targets[@]}"; do
  port=${target##*:}
  redis-benchmark -h 127.0.0.1 -p "$port" -n 100000 -r 100000 -t set -q >/dev/null   # fill keys for GET/MGET
  # warm-up (the ambassador's JIT), not measured
  redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n 100000 -P 1 -r 100000 -t get,set -q >/dev/null
  redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n 100000 -P 16 -r 100000 -t get,set -q >/dev/null
done
for round in $(seq 1 "$rounds"); do
  for target in "${targets[@]}"; do
    name=${target%%:*}; port=${target##*:}
    bench "$name" "$port" 1 "" -t get,set
    bench "$name" "$port" 16 "" -t get,set
    # shellcheck disable=SC2046
    bench "$name" "$port" 1 "MGET 10" $(mget 10)
    # shellcheck disable=SC2046
    bench "$name" "$port" 1 "MGET 100" $(mget 100)
  done
  echo "bench: round $round of $rounds done"
done

table=$(python3 - "$results" <<'PY'
import csv, statistics, sys
from collections import defaultdict
samples = defaultdict(list)
for r in csv.DictReader(open(sys.argv[1])):
    samples[(r["target"], r["test"], r["pipeline"])].append(r)
def median(key):
    rows = samples.get(key)
    if not rows:
        return None
    return {k: statistics.median(float(r[k]) for r in rows) for k in ("rps", "p50", "p99")}
by = {key: median(key) for key in samples}
tests = [("SET", "1"), ("GET", "1"), ("SET", "16"), ("GET", "16"), ("MGET 10", "1"), ("MGET 100", "1")]
out = ["| test | pipeline | direct rps (p50/p99 ms) | nutcracker rps (p50/p99 ms) | ambassador rps (p50/p99 ms) | ambassador/nutcracker | ambassador/direct |",
       "|---|---|---|---|---|---|---|"]
def cell(r): return f'{r["rps"]:,.0f} ({r["p50"]:.3f}/{r["p99"]:.3f})' if r else "–"
for test, p in tests:
    d, n, a = (by.get((t, test, p)) for t in ("direct", "nutcracker", "ambassador"))
    ratio = lambda x, y: f'{x["rps"] / y["rps"]:.2f}×' if x and y else "–"
    out.append(f"| {test} | {p} | {cell(d)} | {cell(n)} | {cell(a)} | {ratio(a, n)} | {ratio(a, d)} |")
print("\n".join(out))
PY
)
{
  echo "# Ambassador throughput"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(redis-server --version | cut -d' ' -f3), nutcracker $(nutcracker -V 2>&1 | grep -o '[0-9.]*' | head -1)."
  echo "Command: \`bench/ambassador/run.sh $requests $rounds\` ($(date -u +%Y-%m-%d)): redis-benchmark -c 50 -n $requests -r 100000, pipelines 1 and 16; MGET with 10/100 random keys; after a warm-up, $rounds rounds in which the targets take turns; each figure is the median of the rounds."
  echo "Targets: one redis-server directly; nutcracker (fnv1a_64, ketama, 1 server connection) over 3 redis-servers; the ambassador over the same 3 (defaults). All on loopback; all share the machine's 2 cores with redis-benchmark."
  echo
  echo "$table"
} > bench/ambassador/results.md
cat bench/ambassador/results.md
