#!/usr/bin/env bash
# Benchmark of several targets in one run (issue 18): N reference ENTs (default 5), each served by
# `sdet-audit demo --serve DIR --latency L` on its own ports (default 50 ms per request), are audited
# first one by one, then all at once with `sdet-audit audit --target A --target B …`, under the
# same limits (--concurrency, --per-host and --streams defaults). It prints each single audit's wall time, the
# slowest of them and their sum, then the run of all targets at once (wall, max RSS, CPU), and the
# most requests each listener served at once during that run (the servers' own count, from
# DIR/traffic.tsv, which each writes when it stops).
#
# Then a "targets:" block says whether each target is met by this run:
#   - wall of the run of all targets ≤ 1.5 × the slowest single audit ("close to the slowest
#     target, not the sum"; the ratio to the sum is printed too). Also printed, not a target: the
#     bound the run's global limit sets (every request the servers served during the run of all
#     targets ÷ the run's default limit — 8, or --streams × targets when more —, rounded up,
#     × L), which no schedule can beat;
#   - the merged report holds every target, each with the outcome its single audit had;
#   - no listener saw more requests at once than its share (HTTPS, which the reference ENT answers
#     over HTTP/2: --streams, 6; plain HTTP: --per-host, 2; LDAP: 1), nor more connections open
#     at once than --per-host (2; 1 on LDAP).
#
#   bench/targets.sh                    5 reference ENTs at 50 ms, release build
#   TARGETS=3 LATENCY=20 bench/targets.sh
#   BIN=target/debug/sdet-audit bench/targets.sh   a given binary, nothing built
#
# Needs: python3 (reads the JSON reports), /usr/bin/time (Debian package `time`). About a minute in
# release at 50 ms; figures are only meaningful on an otherwise idle machine (load printed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGETS="${TARGETS:-5}"
LATENCY="${LATENCY:-50}"
PER_HOST=2
STREAMS=6
command -v python3 >/dev/null || { echo "bench/targets.sh: python3 missing" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/targets.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
[[ "$TARGETS" =~ ^[1-9][0-9]*$ && "$LATENCY" =~ ^[0-9]+$ ]] || { echo "bench/targets.sh: TARGETS and LATENCY are whole numbers" >&2; exit 2; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin sdet-audit
  BIN="${CARGO_TARGET_DIR:-target}/release/sdet-audit"
fi
WORK="$(mktemp -d)"
SERVERS=()
. bench/lib.sh
cleanup() { for pid in "${SERVERS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

# serve DIR: starts one reference ENT and waits for its line (at most 60 s).
serve() {
  local dir="$1"
  "$BIN" demo --serve "$dir" --latency "${LATENCY}ms" > "$dir.out" 2> "$dir.err" &
  local pid=$!
  SERVERS+=("$pid")
  for _ in $(seq 600); do
    grep -q "https://" "$dir.out" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$dir.err" >&2; echo "bench/targets.sh: demo --serve did not start" >&2; exit 1
}

# An audit exits 0 or 1 (its verdict); 2 and above is a failure of the benchmark.
AUDIT_OK="0 1"

echo "machine: $(machine)"
echo "binary: $BIN; $TARGETS reference ENTs at $LATENCY ms per request; default limits (--per-host $PER_HOST --streams $STREAMS)"
ARGS=()
for i in $(seq "$TARGETS"); do
  serve "$WORK/ent-$i"
  set -a; . "$WORK/ent-$i/secrets.env"; set +a
  ARGS+=(--target "$WORK/ent-$i/target.yaml")
done

SINGLES="$WORK/singles"
for i in $(seq "$TARGETS"); do
  fastest 1 "ent-$i alone" "$AUDIT_OK" /dev/null \
    "$BIN" audit --target "$WORK/ent-$i/target.yaml" --format json --output "$WORK/single-$i.json" --quiet
  echo "$BEST_S" >> "$SINGLES"
done

# Each server counts requests in flight over its whole life, so the politeness check below covers
# the single audits and the run of all targets alike.
fastest 1 "all $TARGETS at once" "$AUDIT_OK" /dev/null \
  "$BIN" audit "${ARGS[@]}" --output "$WORK/all.json" --quiet
# Requests sent: exchanges recorded, less those that took another probe's answer (`shared`).
REQUESTS="$(python3 -c 'import json, sys; print(sum(1 for r in json.load(open(sys.argv[1]))["reports"] for p in r["probes"] for e in p["evidence"] if not e.get("shared")))' "$WORK/all.json")"
ALL_WALL="$BEST_S"
printf "  all %d at once:  wall %6.2f s  RSS %6.1f MiB  CPU %5.2f s\n" \
  "$TARGETS" "$ALL_WALL" "$(awk -v k="$BEST_RSS" 'BEGIN { print k / 1024 }')" "$BEST_CPU"

for pid in "${SERVERS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" || true; done
SERVERS=()

echo
echo "targets:"
python3 - "$WORK" "$TARGETS" "$ALL_WALL" "$PER_HOST" "$(cut -d' ' -f1-3 /proc/loadavg)" "$REQUESTS" "$LATENCY" "$STREAMS" <<'PY'
import json, math, sys
work, n, all_wall, per_host, load = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
requests, latency, streams = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
singles = [float(x) for x in open(f"{work}/singles").read().split()]
slowest, total = max(singles), sum(singles)
verdict = lambda ok: "met" if ok else "NOT MET"
ok_wall = all_wall <= 1.5 * slowest
print(f"  all at once {all_wall:.2f} s vs the slowest alone {slowest:.2f} s (x{all_wall / slowest:.2f}, target <= x1.5; "
      f"x{all_wall / total:.2f} of the sum {total:.2f} s)   {verdict(ok_wall)}")
# The run's limit when --concurrency is not given (src/cli/output.rs): the larger of --streams and
# --per-host × targets, 8 to 64.
limit = min(max(max(streams, per_host) * n, 8), 64)
bound = math.ceil(requests / limit) * latency / 1000
print(f"  (not a target: the global limit alone costs {bound:.2f} s — {requests} requests sent ÷ the run's limit {limit} × {latency} ms; "
      f"all at once is x{all_wall / max(bound, 0.001):.2f} of it)")
merged = json.load(open(f"{work}/all.json"))
names = {r["target"]["name"]: r["outcome"] for r in merged["reports"]}
alone = {}
for i in range(1, n + 1):
    r = json.load(open(f"{work}/single-{i}.json"))
    alone[r["target"]["name"]] = r["outcome"]
ok_merged = names == alone and len(names) == n
print(f"  merged report: {len(names)} of {n} targets, outcomes as audited alone   {verdict(ok_merged)}")
# listener -> (most requests in flight, most connections open), over every ENT of the run
peak = {"https": (0, 0), "http": (0, 0), "ldap": (0, 0)}
for i in range(1, n + 1):
    for row in open(f"{work}/ent-{i}/traffic.tsv").read().splitlines()[1:]:
        cells = row.split("\t")
        seen = peak[cells[0]]
        peak[cells[0]] = (max(seen[0], int(cells[3])), max(seen[1], int(cells[5])))
share = {"https": max(streams, per_host), "http": per_host, "ldap": 1}
connections = {"https": max(per_host, 2), "http": per_host, "ldap": 1}
ok_polite = all(peak[l][0] <= share[l] and peak[l][1] <= connections[l] for l in peak)
print("  at most " + ", ".join(f"{peak[l][0]} requests in flight (limit {share[l]}) and {peak[l][1]} connections open (limit {connections[l]}) on {l}" for l in peak)
      + f" per listener   {verdict(ok_polite)}")
print(f"  all targets: {verdict(ok_wall and ok_merged and ok_polite)} (load average now {load})")
PY
