#!/usr/bin/env bash
# Ambassador throughput and latency: redis-benchmark against (a) one redis-server directly,
# (b) Debian's nutcracker (twemproxy) over 3 shards, (c) the ambassador over the same 3 shards,
# in one invocation, then the ratios. Everything on loopback.
#   bench/ambassador/run.sh [requests=200000] [rounds=3]
# The targets take turns, round after round, and each figure is the median over the rounds (at
# least 3) with their min–max beside it, so a burst of other work on the machine moves one sample,
# not the ratio. Every setting of the peers that is not their default is printed with the table.
# Writes bench/ambassador/results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
requests=${1:-200000}
rounds=${2:-3}
((rounds >= 3)) || { echo "bench: rounds must be at least 3 (each figure is a median of the rounds)" >&2; exit 1; }
for tool in redis-server redis-benchmark nutcracker python3; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool (apt-get install redis-server redis-tools nutcracker python3)" >&2; exit 1; }
done
. bench/common.sh
work=$(mktemp -d)
jar="$work/ambassador-proxy.jar"
bench_build ambassador-proxy "$jar"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # port log
  for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: port $1 never opened; $2 ends:" >&2; tail -20 "$2" >&2; exit 1
}

# the settings below are printed with the results: keep them in these variables
redis_args=(--bind 127.0.0.1 --save "" --appendonly no --daemonize no)
redis() { redis-server --port "$1" "${redis_args[@]}" >"$work/redis-$1.log" 2>&1 & pids+=($!); wait_port "$1" "$work/redis-$1.log"; }

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
ambassador_jvm=(-XX:+UseSerialGC -XX:MaxRAMPercentage=60)
OUTRIGGER_AMBASSADOR_LISTEN=127.0.0.1:$amb \
OUTRIGGER_AMBASSADOR_SHARDS="127.0.0.1:${shards[0]}:1,127.0.0.1:${shards[1]}:1,127.0.0.1:${shards[2]}:1" \
OUTRIGGER_HTTP_PORT=$(free_port) \
  "$JAVA_HOME/bin/java" "${ambassador_jvm[@]}" -jar "$jar" >"$work/ambassador.log" 2>&1 & pids+=($!)
wait_port "$amb" "$work/ambassador.log"

results="$work/results.csv"
echo "round,target,test,pipeline,rps,p50,p99" >"$results"
bench() { # round target port pipeline label args...
  local round=$1 target=$2 port=$3 pipeline=$4 label=$5; shift 5
  redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n "$requests" -P "$pipeline" -r 100000 --csv "$@" \
    | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
for row in rows[1:]:
    print(",".join([sys.argv[1], sys.argv[2], sys.argv[4] or row[0], sys.argv[3], row[1], row[4], row[6]]))
' "$round" "$target" "$pipeline" "$label" >>"$results"
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
    bench "$round" "$name" "$port" 1 "" -t get,set
    bench "$round" "$name" "$port" 16 "" -t get,set
    # shellcheck disable=SC2046
    bench "$round" "$name" "$port" 1 "MGET 10" $(mget 10)
    # shellcheck disable=SC2046
    bench "$round" "$name" "$port" 1 "MGET 100" $(mget 100)
  done
  echo "bench: round $round of $rounds done"
done

table=$(python3 - "$results" <<'PY'
import csv, statistics, sys
from collections import defaultdict
samples = defaultdict(dict)  # (target, test, pipeline) -> round -> row
for r in csv.DictReader(open(sys.argv[1])):
    samples[(r["target"], r["test"], r["pipeline"])][r["round"]] = {k: float(r[k]) for k in ("rps", "p50", "p99")}
def spread(values, fmt):
    # the median of the rounds, then the lowest and highest round
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))})" if values else "–"
rps = lambda v: f"{v:,.0f}"
ms = lambda v: f"{v:.3f}"
def cell(key):
    rounds = samples.get(key)
    if not rounds:
        return "–"
    values = lambda k: [r[k] for r in rounds.values()]
    return f'{spread(values("rps"), rps)}; {spread(values("p50"), ms)} / {spread(values("p99"), ms)}'
def ratio(ours, theirs):
    # per round, then the median of the rounds' ratios
    a, b = samples.get(ours, {}), samples.get(theirs, {})
    return spread([a[r]["rps"] / b[r]["rps"] for r in a if r in b], lambda v: f"{v:.2f}×")
tests = [("SET", "1"), ("GET", "1"), ("SET", "16"), ("GET", "16"), ("MGET 10", "1"), ("MGET 100", "1")]
out = ["| test | pipeline | direct: rps; p50 / p99 ms | nutcracker: rps; p50 / p99 ms | ambassador: rps; p50 / p99 ms | ambassador/nutcracker (rps) | ambassador/direct (rps) |",
       "|---|---|---|---|---|---|---|"]
for test, p in tests:
    d, n, a = ((t, test, p) for t in ("direct", "nutcracker", "ambassador"))
    out.append(f"| {test} | {p} | {cell(d)} | {cell(n)} | {cell(a)} | {ratio(a, n)} | {ratio(a, d)} |")
print("\n".join(out))
PY
)
{
  echo "# Ambassador throughput"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(redis-server --version | cut -d' ' -f3), nutcracker $(nutcracker -V 2>&1 | grep -o '[0-9.]*' | head -1)."
  echo "Command: \`bench/ambassador/run.sh $requests $rounds\` ($(date -u +%Y-%m-%d)): redis-benchmark -c 50 -n $requests -r 100000, pipelines 1 and 16; MGET with 10/100 random keys; after a warm-up, $rounds rounds in which the targets take turns."
  echo "Targets: one redis-server directly; nutcracker over 3 redis-servers; the ambassador over the same 3. All on loopback; all share the machine's $(nproc) cores with redis-benchmark."
  echo
  echo "Each figure: the median of the $rounds rounds, the lowest and highest round in brackets (min–max). The ratios are taken per round (same round, same moment of the machine), then their median and min–max."
  echo
  echo "$table"
  echo
  echo "The peers, and every setting of theirs that is not at its default:"
  echo
  echo "- **redis-server** (each of the four): no configuration file; on the command line \`--port <free port> $(printf '%q ' "${redis_args[@]}" | sed 's/ $//')\` (\`--save ''\`: no snapshots; the rest are the defaults or place the server)."
  echo "- **nutcracker**: \`nutcracker -c nutcracker.yml -s <free stats port>\`, with this whole configuration (\`fnv1a_64\`, \`ketama\` and 1 server connection are nutcracker's defaults, written out): $(grep -v '^bench:' "$work/nutcracker.yml" | sed -E 's/^ +//; s/127\.0\.0\.1:[0-9]+/127.0.0.1:<port>/' | paste -sd ';' | sed 's/;/; /g')."
  echo "- **ambassador**: \`java ${ambassador_jvm[*]} -jar ambassador-proxy.jar\`, with OUTRIGGER_AMBASSADOR_LISTEN=127.0.0.1:<port>, OUTRIGGER_AMBASSADOR_SHARDS=the three redis-servers (weight 1 each), OUTRIGGER_HTTP_PORT=<port>; every other setting at its default."
} > bench/ambassador/results.md
cat bench/ambassador/results.md
