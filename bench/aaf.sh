#!/usr/bin/env bash
# Benchmark of `sdet-audit feeds check` against `xmllint --stream --noout` on the same synthetic AAF
# export, in the same run, page cache warm. Prints MB/s, records/s and maximum RSS (as
# `/usr/bin/time -v` reports it) for both.
#
#   bench/aaf.sh [PEOPLE] [DIR]      default: 100000 people in /tmp/sdet-aaf-bench-<PEOPLE>
#   RUNS=3 bench/aaf.sh 1000000      repeat each tool (the best run is kept)
#
# Needs: Debian packages `libxml2-utils` (xmllint) and `time` (/usr/bin/time). The export is made by
# `cargo run --release --example gen_aaf -- --people N --out DIR` (one file per kind, ~1.6 kB per
# record, every link consistent, so `feeds check` runs every rule and finds nothing) and kept for
# the next run. Wall-clock MB/s depends on what else the machine runs; the CPU seconds (user +
# system) are printed too, as a figure that load disturbs less.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PEOPLE="${1:-100000}"
DIR="${2:-/tmp/sdet-aaf-bench-$PEOPLE}"
RUNS="${RUNS:-1}"
TARGET="${CARGO_TARGET_DIR:-target}"
command -v xmllint >/dev/null || { echo "bench/aaf.sh: xmllint missing (apt-get install libxml2-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/aaf.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet --example gen_aaf --bin sdet-audit
mkdir -p "$DIR"
if [ ! -f "$DIR/.records" ]; then
  "$TARGET/release/examples/gen_aaf" --people "$PEOPLE" --out "$DIR" | tee /dev/stderr | awk '{print $1}' > "$DIR/.records"
fi
RECORDS="$(cat "$DIR/.records")"
BYTES="$(cat "$DIR"/*.xml | wc -c)"
cat "$DIR"/*.xml > /dev/null   # warm the page cache

# measure NAME COMMAND...: runs it RUNS times under /usr/bin/time -v, keeps the fastest run.
measure() {
  local name="$1"; shift
  local best_s="" best_rss="" best_cpu="" log
  log="$(mktemp)"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" > /dev/null 2> "$log" || { cat "$log" >&2; echo "bench/aaf.sh: $name failed" >&2; exit 1; }
    local wall rss s cpu
    wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")"
    rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")"
    cpu="$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { t += $2 } END { print t }' "$log")"
    s="$(awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<< "$wall")"
    if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then best_s="$s"; best_rss="$rss"; best_cpu="$cpu"; fi
  done
  rm -f "$log"
  awk -v n="$name" -v s="$best_s" -v rss="$best_rss" -v cpu="$best_cpu" -v bytes="$BYTES" -v recs="$RECORDS" 'BEGIN {
    printf "%-26s %7.2f s %8.1f MB/s %10.0f records/s %7.1f MiB max RSS   (CPU %.2f s: %.1f MB per CPU-second)\n",
      n, s, bytes / 1e6 / s, recs / s, rss / 1024, cpu, bytes / 1e6 / cpu }'
}

echo
echo "export: $DIR — $PEOPLE people, $RECORDS records, $BYTES bytes ($(ls "$DIR"/*.xml | wc -l) files)"
echo "machine: $(nproc) cores, $(awk '/model name/ { sub(/.*: /, ""); print; exit }' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
measure "sdet-audit feeds check" "$TARGET/release/sdet-audit" feeds check --format json "$DIR"
measure "xmllint --stream --noout" xmllint --stream --noout "$DIR"/*.xml
