#!/usr/bin/env bash
# Benchmark of an audit over a network with latency (issue 18): the reference ENT is served by
# `sdet-audit demo --serve DIR --latency L` and audited by `sdet-audit audit --target DIR/target.yaml`
# at each latency L (default 0, 20 and 50 ms, delayed by the server before every HTTP answer and
# every LDAP reply). Per latency it prints the audit's wall time, maximum RSS and CPU seconds, the
# requests each listener served and the most it served at once (the server's own count, written to
# DIR/traffic.tsv when it stops), and two lower bounds on the wall time, both from this run:
#
#   critical path    the longest chain of dependent round trips × L. A probe's exchanges are
#                    sequential (one session, one request at a time, redirect hops each recorded),
#                    so its chain is the number of exchanges in its evidence in the JSON report,
#                    less those marked `shared`: an anonymous read another probe (or the preflight)
#                    had sent, whose answer this probe took without a round trip of its own (one
#                    it waited for in flight is counted in the sender's chain only, which can only
#                    make the bound shorter, never the wall look better). The LDAP probe
#                    (ldap.reconcile) records none, and its chain is the LDAP operations the server
#                    answered (bind, each page of each search: it is the only LDAP client). The
#                    audit's preflight GET of the portal runs alone before the probes: it adds
#                    one. Requests the server saw beyond the exchanges sent (not shared) and that
#                    one are retries, printed with a warning (they are not on the computed path).
#   politeness bound the requests per host ÷ its share of requests in flight (rounded up) × L,
#                    for the busiest listener: what the polite client's queue alone costs, however
#                    well scheduled. The reference ENT answers HTTPS over HTTP/2, so that listener's
#                    share is STREAMS (--streams, one connection); plain HTTP's is PER_HOST.
#
# Then a "targets:" block says whether each target is met by this run:
#   - at 50 ms, wall ≤ 1.5 × the critical path (the issue's target);
#   - at every latency, the most requests in flight the server saw per host ≤ its share (STREAMS
#     on HTTPS, PER_HOST on plain HTTP, 1 on the LDAP listener), and the most connections open
#     at once ≤ PER_HOST (on HTTPS at least 2 are allowed: the connection the first answer came
#     on, and the one every request shares once the host answered over HTTP/2);
#   - at 50 ms, wall ≤ 1.5 × the larger of the two bounds: the schedule wastes at most half of
#     what the best polite schedule would take (the first target cannot be met when the
#     politeness bound is above 1.5 × the critical path; this one says whether the audit is to
#     blame).
#
#   bench/network.sh                       0, 20 and 50 ms, release build, --per-host 2 --streams 6
#   bench/network.sh 50                    one latency only (in ms)
#   PER_HOST=1 STREAMS=1 bench/network.sh  another politeness
#   RUNS=3 bench/network.sh                repeat each audit, keep the fastest run
#   BIN=target/debug/sdet-audit bench/network.sh 20   a given binary, nothing built
#
# Needs: python3 (reads the JSON report), /usr/bin/time (Debian package `time`). About 10 s per
# latency in release; figures are only meaningful on an otherwise idle machine (load printed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
LATENCIES=("$@")
[ "${#LATENCIES[@]}" -gt 0 ] || LATENCIES=(0 20 50)
RUNS="${RUNS:-1}"
PER_HOST="${PER_HOST:-2}"
STREAMS="${STREAMS:-6}"
command -v python3 >/dev/null || { echo "bench/network.sh: python3 missing" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/network.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin sdet-audit
  BIN="${CARGO_TARGET_DIR:-target}/release/sdet-audit"
fi
. bench/lib.sh
WORK="$(mktemp -d)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
RESULTS="$WORK/results"

# serve DIR LATENCY: starts the reference ENT, waits for its line (at most 60 s).
serve() {
  local dir="$1" latency="$2"
  "$BIN" demo --serve "$dir" --latency "${latency}ms" > "$dir.out" 2> "$dir.err" &
  SERVER=$!
  for _ in $(seq 600); do
    grep -q "https://" "$dir.out" 2>/dev/null && return 0
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.1
  done
  cat "$dir.err" >&2; echo "bench/network.sh: demo --serve did not start" >&2; exit 1
}

stop() {
  kill -TERM "$SERVER"; wait "$SERVER" || true; SERVER=""
}

# measure LATENCY RUN: one served ENT, one audit; appends a line to $RESULTS.
measure() {
  local latency="$1" run="$2" dir="$WORK/ent-$1-$2" log="$WORK/time.log" load code=0
  serve "$dir" "$latency"
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  ( set -a; . "$dir/secrets.env"; set +a
    /usr/bin/time -v "$BIN" audit --target "$dir/target.yaml" --per-host "$PER_HOST" --streams "$STREAMS" \
      --format json --output "$dir/report.json" --quiet ) 2> "$log" || code=$?
  stop
  if [ "$code" -ge 2 ]; then cat "$log" >&2; echo "bench/network.sh: the audit failed (exit $code)" >&2; exit 1; fi
  local wall rss cpu
  read -r wall rss cpu < <(time_figures "$log")
  python3 - "$dir/report.json" "$dir/traffic.tsv" "$latency" "$PER_HOST" "$STREAMS" "$wall" "$rss" "$cpu" "$load" >> "$RESULTS" <<'PY'
import json, math, sys
report, traffic, latency, per_host, streams, wall, rss, cpu, load = sys.argv[1:]
latency, per_host, streams, wall = int(latency), int(per_host), max(int(streams), int(per_host)), float(wall)
rows = [l.split("\t") for l in open(traffic).read().splitlines()[1:]]
# listener -> (requests, most in flight at once, connections, most open at once)
served = {r[0]: (int(r[2]), int(r[3]), int(r[4]), int(r[5])) for r in rows}
probes = json.load(open(report))["probes"]
ldap_ops = served.get("ldap", (0, 0, 0, 0))[0]
# A shared exchange is an answer taken from another probe's request: no request of its own.
def sent(p):
    return sum(1 for x in p["evidence"] if not x.get("shared", False))
chains = {p["id"]: sent(p) + (ldap_ops if p["id"] == "ldap.reconcile" else 0) for p in probes}
longest = max(chains, key=chains.get)
recorded = sum(sent(p) for p in probes)
shared = sum(len(p["evidence"]) for p in probes) - recorded
http_requests = served.get("https", (0, 0, 0, 0))[0] + served.get("http", (0, 0, 0, 0))[0]
unrecorded = http_requests - recorded
preflight = 1 if unrecorded >= 1 else 0
critical = preflight + chains[longest]
share = {"https": streams, "http": per_host}
polite = max([math.ceil(served[l][0] / share[l]) for l in share if l in served] + [ldap_ops])
fields = [latency, wall, rss, cpu, critical, longest, chains[longest], polite, unrecorded - preflight,
          served.get("https", (0, 0, 0, 0))[0], served.get("https", (0, 0, 0, 0))[1],
          served.get("http", (0, 0, 0, 0))[0], served.get("http", (0, 0, 0, 0))[1],
          ldap_ops, served.get("ldap", (0, 0, 0, 0))[1], load.replace(" ", "/"), recorded, shared,
          served.get("https", (0, 0, 0, 0))[3], served.get("http", (0, 0, 0, 0))[3],
          served.get("ldap", (0, 0, 0, 0))[3]]
print(" ".join(str(f) for f in fields))
PY
  tail -n 1 "$RESULTS" | awk -v ph="$PER_HOST" -v st="$STREAMS" '{
    L = $1; printf "  %3d ms  wall %6.2f s  RSS %6.1f MiB  CPU %5.2f s   (load before the run %s)\n", L, $2, $3 / 1024, $4, $16
    printf "          requests https %d (at most %d at once), http %d (at most %d), ldap %d (at most %d); --per-host %d --streams %d\n", $10, $11, $12, $13, $14, $15, ph, st
    printf "          connections open at once: https %d, http %d, ldap %d\n", $19, $20, $21
    printf "          exchanges in the evidence: %d sent, %d shared (answers to a read another probe or the preflight sent)\n", $17, $18
    printf "          critical path %d round trips (preflight + %s: %d) = %.2f s;  politeness bound %d rounds = %.2f s\n", $5, $6, $7, $5 * L / 1000, $8, $8 * L / 1000
    if ($9 > 0) printf "          WARNING: %d requests the server saw are in no probe'\''s evidence (retries?)\n", $9
    if ($9 < 0) printf "          WARNING: %d exchanges recorded as sent never reached the server (a shared answer not marked shared?)\n", -$9
  }'
}

# Read the binary once before timing it: the first run after a build otherwise pays for paging it in.
"$BIN" --version > /dev/null
echo "machine: $(machine)"
echo "binary: $BIN; --per-host $PER_HOST --streams $STREAMS; $RUNS run(s) per latency, the fastest kept"
for L in "${LATENCIES[@]}"; do
  [[ "$L" =~ ^[0-9]+$ ]] || { echo "bench/network.sh: latency \`$L\` is not a whole number of ms" >&2; exit 2; }
  for R in $(seq "$RUNS"); do measure "$L" "$R"; done
done

echo
echo "targets:"
# Per latency, the fastest run's wall; the in-flight maxima over every run.
awk -v ph="$PER_HOST" -v st="$STREAMS" '
  function verdict(ok) { return ok ? "met" : "NOT MET" }
  BEGIN { if (st < ph) st = ph; hc = ph < 2 ? 2 : ph }
  {
    L = $1
    if (!(L in wall) || $2 < wall[L]) { wall[L] = $2; crit[L] = $5; pol[L] = $8 }
    if ($11 > speak[L]) speak[L] = $11; if ($13 > peak[L]) peak[L] = $13
    if ($15 > lpeak[L]) lpeak[L] = $15
    if ($19 > sconn[L]) sconn[L] = $19; if ($20 > conn[L]) conn[L] = $20; if ($21 > lconn[L]) lconn[L] = $21
    if (!(L in seen)) { seen[L] = 1; order[n++] = L }
  }
  END {
    all = 1
    if (50 in wall) {
      c = crit[50] * 50 / 1000; ok = wall[50] <= 1.5 * c; all = all && ok
      printf "  50 ms: wall %.2f s vs critical path %.2f s (x%.2f, target <= x1.5)              %s\n", wall[50], c, wall[50] / c, verdict(ok)
      b = (pol[50] > crit[50] ? pol[50] : crit[50]) * 50 / 1000; ok = wall[50] <= 1.5 * b; all = all && ok
      printf "  50 ms: wall %.2f s vs the larger bound %.2f s (x%.2f, target <= x1.5)         %s\n", wall[50], b, wall[50] / b, verdict(ok)
    } else {
      printf "  50 ms: not run (bench/network.sh 0 20 50)\n"; all = 0
    }
    # Not a target: with a 0 ms run, the wall above it is what the latency cost, to set against
    # the bounds (the rest is the work of the audit itself: start, TLS, parsing, the local file checks).
    if ((0 in wall) && (50 in wall))
      printf "  (50 ms: the latency cost %.2f s over the 0 ms run, against a politeness bound of %.2f s and a critical path of %.2f s)\n", wall[50] - wall[0], pol[50] * 50 / 1000, crit[50] * 50 / 1000
    for (i = 0; i < n; i++) {
      L = order[i]; ok = speak[L] <= st && peak[L] <= ph && lpeak[L] <= 1; all = all && ok
      printf "  %3d ms: requests in flight at most %d on HTTPS (limit %d), %d on HTTP (limit %d), %d on LDAP (limit 1)  %s\n", L, speak[L], st, peak[L], ph, lpeak[L], verdict(ok)
      ok = sconn[L] <= hc && conn[L] <= ph && lconn[L] <= 1; all = all && ok
      printf "  %3d ms: connections open at once at most %d on HTTPS (limit %d), %d on HTTP (limit %d), %d on LDAP (limit 1)  %s\n", L, sconn[L], hc, conn[L], ph, lconn[L], verdict(ok)
    }
    printf "  all targets: %s (load average now %s)\n", verdict(all), load
  }' load="$(cut -d' ' -f1-3 /proc/loadavg)" "$RESULTS"
