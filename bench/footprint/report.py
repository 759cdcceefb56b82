"""Turns run.sh's raw figures into bench/footprint/results.md (printed to stdout)."""
import statistics
import sys
from collections import OrderedDict

raw, sizes, settings, machine, timeout_s = sys.argv[1:6]
cols = ["key", "variant", "limit", "round", "ready", "idle_rss", "idle_use", "load_rss", "load_use",
        "p99", "rate", "errors", "still", "oom", "exit", "outcome"]
rows = [dict(zip(cols, line.rstrip("\n").split("\t"))) for line in open(raw) if line.strip()]
groups = OrderedDict()
for r in rows:
    groups.setdefault((r["key"], r["limit"], r["variant"]), []).append(r)


def nums(rs, field, scale=1.0):
    return [float(r[field]) / scale for r in rs if r[field] not in ("NA", "")]


def cell(values, n, fmt="{:.2f}"):
    if not values:
        return "—"
    text = fmt.format(statistics.median(values))
    if len(values) > 1:
        text += " (" + fmt.format(min(values)) + "–" + fmt.format(max(values)) + ")"
    if len(values) < n:
        text += f" [{len(values)}/{n}]"
    return text


MB = 1e6
out = []
out.append("# Footprint")
out.append("")
out.append(f"Machine: {machine}.")
out.append(f"Command: `sudo {settings} bench/footprint/run.sh` (every setting shown; see the script's header for what each means).")
out.append("Each start follows `sync; echo 3 > /proc/sys/vm/drop_caches` (a cold page cache) and `docker run --network host`. "
           "*ready*: seconds from `docker run` to the first 200 from `/readyz` (polled every 20 ms). "
           "*RSS*: anonymous + mapped file pages of the container's cgroup (memory.stat `rss`+`mapped_file`, cgroup v1), MB = 10^6 bytes; "
           "*usage*: what the limit counts (memory.usage_in_bytes, which includes page cache). *idle*: 3 s after ready; *load*: the highest of 1-s samples during the load. "
           "Load: HTTP patterns get wrk (1 thread, HTTP_CONNECTIONS connections, each paced by `pace.lua` to HTTP_CONN_RATE requests/s) on "
           "`GET /hello` (hello), `GET /leader` (leader-elector), `POST /queues/<q>/items` (work-coordinator; for work-agent the same submissions go to a coordinator container as shipped, and the agent calls a worker that answers 200 at once); `GET /search?q=boat&size=10` (scatter-root, over one example-leaf container as shipped, listed as ten shards on 127.0.0.1 … 127.0.0.10: ten leaf calls per request); "
           "the ambassador gets redis-benchmark (SET and GET, 100-byte values, REDIS_CLIENTS clients, pipeline REDIS_PIPELINE, looped) against one redis-server shard. "
           "*p99*: wrk's 99th percentile (ms), or redis-benchmark's worst p99 of the loop; the agent's is not measured (the submissions' latency is the coordinator's). *rate*: requests/s achieved. "
           "*survived*: running and `/readyz` 200 after the load, rounds of all; *OOM*: rounds `docker inspect` reports OOMKilled.")
out.append("Variants: **shipped** is the image as built; **default** is the same image run with `--entrypoint java -e JAVA_TOOL_OPTIONS= <image> -cp <the image's class path> <main class>` "
           "(the entrypoint's arguments from `-cp` on), so none of the image's JVM flags apply and the JVM sizes itself by its own defaults and the AOT cache is not used (Spring properties in the jar and the image's environment, e.g. `MALLOC_ARENA_MAX=2`, still apply).")
out.append("Every figure is the median of the rounds, with min–max beside it; [k/n] when only k of n rounds gave one.")
out.append("")
out.append("| image | limit | variant | ready s | RSS idle MB | usage idle MB | RSS load MB | usage load MB | p99 ms | rate /s | errors | survived | OOM-killed |")
out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for (key, limit, variant), rs in groups.items():
    n = len(rs)
    survived = sum(1 for r in rs if r["still"] == "true")
    oom = sum(1 for r in rs if r["oom"] == "true")
    exits = sorted({r["exit"] for r in rs if r["still"] != "true" and r["exit"] not in ("0", "NA")})
    oomtext = f"{oom}/{n}" + (f" (exit {','.join(exits)})" if exits else "")
    timeouts = sum(1 for r in rs if r["outcome"] == "timeout")
    if timeouts:
        oomtext += f"; not ready in {timeout_s} s: {timeouts}/{n}"
    out.append(f"| {key} | {limit} | {variant} | {cell(nums(rs, 'ready'), n)} | {cell(nums(rs, 'idle_rss', MB), n, '{:.0f}')} | "
               f"{cell(nums(rs, 'idle_use', MB), n, '{:.0f}')} | {cell(nums(rs, 'load_rss', MB), n, '{:.0f}')} | "
               f"{cell(nums(rs, 'load_use', MB), n, '{:.0f}')} | {cell(nums(rs, 'p99'), n)} | {cell(nums(rs, 'rate'), n, '{:.0f}')} | "
               f"{int(sum(nums(rs, 'errors')))} | {survived}/{n} | {oomtext} |")
out.append("")
out.append("Ratios, shipped ÷ default (medians; below 1 means the shipped image uses less / is quicker):")
out.append("")
out.append("| image | limit | ready | RSS idle | RSS load | p99 |")
out.append("|---|---|---|---|---|---|")
seen = set()
for (key, limit, variant) in groups:
    if (key, limit) in seen:
        continue
    seen.add((key, limit))
    s, d = groups.get((key, limit, "shipped")), groups.get((key, limit, "default"))
    if not s or not d:
        continue
    cells = []
    for field in ("ready", "idle_rss", "load_rss", "p99"):
        a, b = nums(s, field), nums(d, field)
        cells.append(f"{statistics.median(a) / statistics.median(b):.2f}" if a and b and statistics.median(b) else "—")
    out.append(f"| {key} | {limit} | " + " | ".join(cells) + " |")
out.append("")
out.append("Image sizes (`docker image inspect` Size): " + ", ".join(
    f"{k} {int(v) / MB:.0f} MB" for k, v in (line.split("\t") for line in open(sizes) if line.strip())) + ".")
print("\n".join(out))
