#!/usr/bin/env bash
# Benchmark of `sdet-audit feeds check` against `xmllint --stream --noout` on the same synthetic AAF
# exports, in the same run, page cache warm. For each size it prints, per tool, wall time, MB/s,
# records/s, maximum RSS (as `/usr/bin/time -v` reports it) and CPU seconds; then a "targets:" block
# says whether each target of issue 4 is met by this run:
#   - feeds check ≥ 600 MB/s with every rule on (at every size);
#   - feeds check ≥ 4 × xmllint --stream on the same files in the same run (at every size);
#   - feeds check maximum RSS < 128 MiB (at every size), and flat: at the largest size at most
#     1.5 × what it is at the smallest (the only state that grows is the compact identifier sets).
#
#   bench/aaf.sh                        100 000 and 1 000 000 people (≈ 165 MB and ≈ 1.65 GB)
#   bench/aaf.sh 100000                 one size only (no flatness verdict)
#   RUNS=3 bench/aaf.sh                 repeat each tool, keep the fastest run
#   CLEAN=1 bench/aaf.sh                delete the exports at the end
#   BENCH_DIR=/data bench/aaf.sh        where exports go (default /tmp): sdet-aaf-bench-<PEOPLE>
#   BIN=target/debug/sdet-audit GEN=target/debug/examples/gen_aaf bench/aaf.sh 2000
#                                       given binaries, nothing built (to check the script)
#
# Needs: Debian packages `libxml2-utils` (xmllint) and `time` (/usr/bin/time); about 1.7 GB free in
# BENCH_DIR for the 1 M-people export. Exports are made by `cargo run --release --example gen_aaf --
# --people N --out DIR` (one file per kind, ~1.65 kB per record, every link consistent, so every
# rule runs and nothing is found: a finding fails the benchmark) and kept for the next run unless
# CLEAN=1. The figures are only meaningful on an otherwise idle machine: the load average is
# printed before each run; CPU seconds and MB per CPU-second are printed too, as figures load
# disturbs less.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZES=("$@")
[ "${#SIZES[@]}" -gt 0 ] || SIZES=(100000 1000000)
RUNS="${RUNS:-1}"
BENCH_DIR="${BENCH_DIR:-/tmp}"
TARGET="${CARGO_TARGET_DIR:-target}"
command -v xmllint >/dev/null || { echo "bench/aaf.sh: xmllint missing (apt-get install libxml2-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/aaf.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

if [ -z "${BIN:-}" ] || [ -z "${GEN:-}" ]; then
  cargo build --release --quiet --example gen_aaf --bin sdet-audit
fi
BIN="${BIN:-$TARGET/release/sdet-audit}"
GEN="${GEN:-$TARGET/release/examples/gen_aaf}"
. bench/lib.sh
FAIL_HINT="a finding on a clean export?"
RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT

# measure PEOPLE BYTES RECORDS NAME COMMAND...: runs it RUNS times under /usr/bin/time -v, keeps the
# fastest run, prints it and appends "PEOPLE NAME seconds rss_kib cpu_s bytes" to $RESULTS.
measure() {
  local people="$1" bytes="$2" records="$3" name="$4"; shift 4
  fastest "$RUNS" "$name" "0" /dev/null "$@"
  awk -v n="$name" -v s="$BEST_S" -v rss="$BEST_RSS" -v cpu="$BEST_CPU" -v bytes="$bytes" -v recs="$records" 'BEGIN {
    if (s <= 0) s = 0.01
    printf "%-26s %7.2f s %8.1f MB/s %10.0f records/s %7.1f MiB max RSS   CPU %6.2f s (%.1f MB per CPU-second)\n",
      n, s, bytes / 1e6 / s, recs / s, rss / 1024, cpu, bytes / 1e6 / cpu }'
  echo "$people $name $BEST_S $BEST_RSS $BEST_CPU $bytes" | sed 's/ --stream --noout//; s/ feeds check//' >> "$RESULTS"
}

echo "machine: $(machine)"
for PEOPLE in "${SIZES[@]}"; do
  DIR="$BENCH_DIR/sdet-aaf-bench-$PEOPLE"
  mkdir -p "$DIR"
  if [ ! -f "$DIR/.records" ]; then
    # Not `tee /dev/stderr`: when stderr is a file, reopening it truncates what was written so far.
    SUMMARY="$("$GEN" --people "$PEOPLE" --out "$DIR")"
    echo "$SUMMARY" >&2
    awk '{print $1}' <<< "$SUMMARY" > "$DIR/.records"
  fi
  RECORDS="$(cat "$DIR/.records")"
  BYTES="$(cat "$DIR"/*.xml | wc -c)"
  cat "$DIR"/*.xml > /dev/null   # warm the page cache
  echo
  echo "export: $DIR — $PEOPLE people, $RECORDS records, $BYTES bytes ($(ls "$DIR"/*.xml | wc -l) files)"
  measure "$PEOPLE" "$BYTES" "$RECORDS" "sdet-audit feeds check" "$BIN" feeds check --format json "$DIR"
  measure "$PEOPLE" "$BYTES" "$RECORDS" "xmllint --stream --noout" xmllint --stream --noout "$DIR"/*.xml
  if [ "${CLEAN:-0}" = 1 ]; then rm -rf "$DIR"; fi
done

echo
echo "targets:"
awk '
  { key = $1; if ($2 == "sdet-audit") { s[key] = $3; rss[key] = $4; bytes[key] = $6 } else { x[key] = $3 } order[n++] = key }
  function verdict(ok) { return ok ? "met" : "NOT MET" }
  END {
    all = 1
    for (i = 0; i < n; i += 2) {
      k = order[i]; mbs = bytes[k] / 1e6 / s[k]; xmbs = bytes[k] / 1e6 / x[k]; mib = rss[k] / 1024
      ok = mbs >= 600; all = all && ok
      printf "  %8d people: feeds check %7.1f MB/s  (target >= 600 MB/s)          %s\n", k, mbs, verdict(ok)
      ok = mbs >= 4 * xmbs; all = all && ok
      printf "  %8d people: %.2f x xmllint --stream (%.1f MB/s)  (target >= 4 x)    %s\n", k, mbs / xmbs, xmbs, verdict(ok)
      ok = mib < 128; all = all && ok
      printf "  %8d people: max RSS %.1f MiB  (target < 128 MiB)                    %s\n", k, mib, verdict(ok)
      if (i == 0) { first = k } last = k
    }
    if (first != last) {
      ratio = rss[last] / rss[first]; ok = ratio <= 1.5; all = all && ok
      printf "  flat: max RSS %.1f MiB at %d people, %.1f MiB at %d (x%.2f, target <= x1.5)  %s\n",
        rss[first] / 1024, first, rss[last] / 1024, last, ratio, verdict(ok)
    } else {
      printf "  flat: needs two sizes (bench/aaf.sh 100000 1000000)\n"
    }
    printf "  all targets: %s (load average now %s)\n", verdict(all), load
  }' load="$(cut -d' ' -f1-3 /proc/loadavg)" "$RESULTS"
