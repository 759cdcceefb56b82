"""Reads the wrk outputs of bench/scatter-gather/run.sh and prints its results file."""
import re
import statistics
import sys
from pathlib import Path

logs, rounds, rates, command, machine, revision = sys.argv[1:7]
logs = Path(logs)
rounds = int(rounds)
rates = [int(rate) for rate in rates.split()]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(name):
    text = (logs / f"{name}.txt").read_text()
    percentiles = {}
    for pct, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M):
        percentiles[int(pct)] = float(value) * UNITS[unit]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: (.*)", text)
    return {"p50": percentiles[50], "p99": percentiles[99], "rps": rps,
            "errors": int(errors.group(1)) if errors else 0, "socket": socket_errors.group(1) if socket_errors else ""}


def spread(values, fmt):
    values = sorted(values)
    return f"{fmt.format(statistics.median(values))} ({fmt.format(values[0])}–{fmt.format(values[-1])})"


overhead, tail, throughput = [], [], []
for r in range(1, rounds + 1):
    direct, root = wrk(f"r{r}-overhead-direct"), wrk(f"r{r}-overhead-root")
    overhead.append({"direct": direct, "root": root,
                     "p50": root["p50"] - direct["p50"], "p99": root["p99"] - direct["p99"]})
    hedged, unhedged = wrk(f"r{r}-tail-hedged"), wrk(f"r{r}-tail-unhedged")
    calls, hedges = (int(x) for x in (logs / f"r{r}-tail-hedged-calls.txt").read_text().split())
    tail.append({"hedged": hedged, "unhedged": unhedged, "cut": unhedged["p99"] / hedged["p99"],
                 "extra": 100.0 * hedges / calls if calls else float("nan")})
    best = 0
    for rate in rates:
        run = wrk(f"r{r}-throughput-root-{rate}")
        if run["p99"] < 50 and run["errors"] == 0:
            best = max(best, run["rps"])
    direct_max = wrk(f"r{r}-throughput-direct")
    throughput.append({"root": best * 10, "direct": direct_max["rps"],
                       "ratio": best * 10 / direct_max["rps"]})

print("# Scatter/gather\n")
print(f"Machine: {machine}. Command: `{command}`; images at revision {revision}.")
print("One example-leaf process (Spring MVC on the kit, the image as shipped) listed as every shard: "
      "`http://127.0.0.1:<port>` … `http://127.0.0.10:<port>`, the same leaf on ten loopback addresses, so "
      "its capacity is the same in every row; the scatter-root image as shipped with one route "
      "(`OUTRIGGER_SCATTER_PREFIX=/search`, `MERGE=topk`, `MERGE_PATH=/hits`, `MERGE_FIELD=/score`), every "
      "other setting at its default; wrk 1 thread, on the same two cores as the root and the leaf; "
      "`GET /search?q=boat&size=10`. Before each round, 10 s of load on each. Fixed rates are paced "
      "by bench/footprint/pace.lua over 10 connections (wrk measures from when it sent each request).\n")
print("Each figure: the median of the rounds, the lowest and highest round in brackets.\n")
print("| | figure | target |")
print("|---|---|---|")
print(f"| (1) overhead at 100 requests/s, fan-out 10: added p50 | "
      f"{spread([o['p50'] for o in overhead], '{:.2f}')} ms (leaf alone {spread([o['direct']['p50'] for o in overhead], '{:.2f}')} ms, root {spread([o['root']['p50'] for o in overhead], '{:.2f}')} ms) | ≤ 1 ms |")
print(f"| (1) added p99 | {spread([o['p99'] for o in overhead], '{:.2f}')} ms (leaf alone {spread([o['direct']['p99'] for o in overhead], '{:.2f}')} ms, root {spread([o['root']['p99'] for o in overhead], '{:.2f}')} ms) | – |")
print(f"| (2) tail, 1 % of leaf answers 200 ms instead of 2 ms, 50 requests/s: p99 without hedging | "
      f"{spread([t['unhedged']['p99'] for t in tail], '{:.1f}')} ms | – |")
print(f"| (2) p99 with hedging (default: after the shard's p95) | {spread([t['hedged']['p99'] for t in tail], '{:.1f}')} ms; "
      f"cut {spread([t['cut'] for t in tail], '{:.1f}')}× | ≥ 5× |")
print(f"| (2) extra leaf calls (backups ÷ shard calls) | {spread([t['extra'] for t in tail], '{:.1f}')} % | ≤ 5 % |")
print(f"| (3) throughput at fan-out 10, p99 < 50 ms: leaf calls/s through the root | "
      f"{spread([t['root'] for t in throughput], '{:,.0f}')} | ≥ 5,000 |")
print(f"| (3) leaf calls/s wrk gets straight from the same leaf (32 connections, unpaced) | "
      f"{spread([t['direct'] for t in throughput], '{:,.0f}')} | – |")
print(f"| (3) root ÷ straight | {spread([t['ratio'] for t in throughput], '{:.2f}')}× | ≥ 0.5× |")
print()
print(f"Throughput: client rates asked for, 10 s each: {', '.join(map(str, rates))} requests/s (paced, each "
      "connection waits its turn after its answer, so what wrk reaches is below what it asks as latency "
      "grows); a run counts when its p99 is under 50 ms and every answer was 2xx; the figure is the most "
      "requests/s such a run reached, × 10.")
errors = [(r + 1, t) for r, t in enumerate(tail) if t["hedged"]["errors"] or t["unhedged"]["errors"]]
if errors:
    print("\nNon-2xx answers in the tail runs (rounds): " + ", ".join(str(r) for r, _ in errors) + ".")
