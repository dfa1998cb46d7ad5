#!/usr/bin/env bash
# Benchmark of the GAR export checks (`gar.export_schema` + `gar.export_references`, run by an
# `audit` whose target names only the export) against `xmllint --schema` alone on the same
# synthetic GAR 2D exports, in the same run, page cache warm. For each size it prints, per tool,
# wall time, MB/s, pupils/s, maximum RSS (as `/usr/bin/time -v` reports it: the largest process
# of the tree, so ours is the audit's own, not its xmllint children's) and CPU seconds; then a
# "targets:" block says whether each target of issue 18 is met by this run:
#   - our two checks together ≥ the throughput of xmllint --schema run one process per core
#     (xargs -P $(nproc)), in MB/s and so in pupils/s, at every size;
#   - the audit's maximum RSS < 256 MiB at every size.
# The single-process `xmllint --schema` figure is printed too. xmllint runs exactly as our
# schema check runs it on the files its built-in validator does not clear: `--noout --nonet
# --stream --schema GAR-ENT.xsd` (v1.7, the file embedded in the binary), one process for a few
# files at a time. The schema check's pass message, printed after our run, says how many files
# each validator checked.
#
#   bench/gar.sh                        100 000 and 1 000 000 pupils (≈ 170 MB and ≈ 1.7 GB)
#   bench/gar.sh 100000                 one size only
#   RUNS=1 bench/gar.sh                 one run per tool (default 3, the fastest kept: the
#                                       comparator's own figures vary by a third between runs
#                                       on a shared 2-core machine; the single xmllint, given
#                                       for reference only, always runs once)
#   CLEAN=1 bench/gar.sh                delete the exports at the end
#   BENCH_DIR=/data bench/gar.sh        where exports go (default /tmp): sdet-gar-bench-<PUPILS>
#   BIN=target/debug/sdet-audit GEN=target/debug/examples/gen_gar bench/gar.sh 2000
#                                       use these binaries, build nothing (a quick check at a small
#                                       size with a debug build)
#
# Needs: Debian packages `libxml2-utils` (xmllint) and `time` (/usr/bin/time); about 1.8 GB free
# in BENCH_DIR for the 1 M-pupil export. Exports are made by `gen_gar --pupils N --out DIR`
# (examples/gen_gar.rs: structures of 500 pupils, a parent per pupil, a teacher per 12 pupils,
# each kind split into files of 10 000 records, ~1.7 kB per pupil, valid and consistent, so both
# checks pass: anything else fails the benchmark) and kept for the next run unless CLEAN=1. The
# figures are only meaningful on an otherwise idle machine: the load average is printed before
# each run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
STARTED="$(date +%s)"
SIZES=("$@")
[ "${#SIZES[@]}" -gt 0 ] || SIZES=(100000 1000000)
RUNS="${RUNS:-3}"
BENCH_DIR="${BENCH_DIR:-/tmp}"
TARGET="${CARGO_TARGET_DIR:-target}"
CORES="$(nproc)"
command -v xmllint >/dev/null || { echo "bench/gar.sh: xmllint missing (apt-get install libxml2-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/gar.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

if [ -z "${BIN:-}" ] || [ -z "${GEN:-}" ]; then
  cargo build --release --quiet --example gen_gar --bin sdet-audit
fi
BIN="${BIN:-$TARGET/release/sdet-audit}"
GEN="${GEN:-$TARGET/release/examples/gen_gar}"
. bench/lib.sh
FAIL_HINT="a finding on a clean export?"
WORK="$(mktemp -d)"
RESULTS="$WORK/results"
trap 'rm -rf "$WORK"' EXIT
XSD="$WORK/GAR-ENT.xsd"
cp crates/sdet-probes/src/interop/gar/xsd/GAR-ENT.xsd "$XSD"

# Both GAR probes must have passed in the audit's report (a finding on a clean export, or an
# error, fails the benchmark).
passed() {
  for probe in gar.export_schema gar.export_references; do
    python3 - "$1" "$probe" <<'PY' || exit 1
import json, sys
report = json.load(open(sys.argv[1]))
probe = next(p for p in report["probes"] if p["id"] == sys.argv[2])
if probe["outcome"] != "pass":
    sys.exit(f"bench/gar.sh: {sys.argv[2]} {probe['outcome']}: {probe['message']['en']}")
if sys.argv[2] == "gar.export_schema":
    print(f"  ({sys.argv[2]}: {probe['message']['en']})")
PY
  done
}
# xmllint, one process per core, a few files each.
xmllint_parallel() {
  printf '%s\0' "$1"/*.xml | xargs -0 -P "$CORES" -n 4 xmllint --noout --nonet --stream --schema "$XSD" 2>&1 \
    | { grep -v ' validates$' || true; } | { if read -r line; then echo "$line" >&2; exit 1; fi; }
}
xmllint_single() {
  xmllint --noout --nonet --stream --schema "$XSD" "$1"/*.xml 2>&1 \
    | { grep -v ' validates$' || true; } | { if read -r line; then echo "$line" >&2; exit 1; fi; }
}
export -f xmllint_parallel xmllint_single
export XSD CORES

# measure PUPILS BYTES NAME COMMAND...: runs it RUNS times under /usr/bin/time -v, keeps the
# fastest run, prints it and appends "PUPILS NAME seconds rss_kib cpu_s bytes" to $RESULTS.
measure() {
  local pupils="$1" bytes="$2" name="$3"; shift 3
  fastest "$RUNS" "$name" "0" /dev/null "$@"
  awk -v n="$name" -v s="$BEST_S" -v rss="$BEST_RSS" -v cpu="$BEST_CPU" -v bytes="$bytes" -v pupils="$pupils" 'BEGIN {
    if (s <= 0) s = 0.01
    if (cpu <= 0) cpu = 0.01
    printf "%-30s %7.2f s %7.1f MB/s %9.0f pupils/s %7.1f MiB max RSS   CPU %7.2f s (%.1f MB per CPU-second)\n",
      n, s, bytes / 1e6 / s, pupils / s, rss / 1024, cpu, bytes / 1e6 / cpu }'
  echo "$pupils $(tr ' ' '_' <<< "$name") $BEST_S $BEST_RSS $BEST_CPU $bytes" >> "$RESULTS"
}

echo "machine: $(machine); $(xmllint --version 2>&1 | head -1)"
for PUPILS in "${SIZES[@]}"; do
  DIR="$BENCH_DIR/sdet-gar-bench-$PUPILS"
  if [ ! -f "$DIR/.written" ]; then
    rm -rf "$DIR"
    mkdir -p "$DIR"
    GEN_START="$(date +%s.%N)"
    # Not `tee /dev/stderr`: when stderr is a file, reopening it truncates what was written so far.
    SUMMARY="$("$GEN" --pupils "$PUPILS" --out "$DIR")"
    echo "$SUMMARY (generated in $(awk -v a="$GEN_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s)" >&2
    echo "$SUMMARY" > "$DIR/.written"
  fi
  BYTES="$(cat "$DIR"/*.xml | wc -c)"
  cat "$DIR"/*.xml > /dev/null   # warm the page cache
  echo
  echo "export: $DIR — $PUPILS pupils, $(awk '{print $1}' "$DIR/.written") records, $BYTES bytes ($(ls "$DIR"/*.xml | wc -l) files)"
  printf 'name: GAR benchmark\ninterop:\n  gar_export: "%s"\n' "$DIR" > "$WORK/target.yaml"
  measure "$PUPILS" "$BYTES" "sdet-audit (both GAR checks)" \
    "$BIN" audit --target "$WORK/target.yaml" --format json --output "$WORK/report.json" --quiet
  passed "$WORK/report.json"
  measure "$PUPILS" "$BYTES" "xmllint --schema x $CORES" bash -c 'xmllint_parallel "$0"' "$DIR"
  RUNS=1 measure "$PUPILS" "$BYTES" "xmllint --schema x 1" bash -c 'xmllint_single "$0"' "$DIR"
  if [ "${CLEAN:-0}" = 1 ]; then rm -rf "$DIR"; fi
done

echo
echo "targets:"
awk '
  $2 ~ /^sdet-audit/ { s[$1] = $3; rss[$1] = $4; bytes[$1] = $6; order[n++] = $1 }
  $2 ~ /^xmllint.*_x_1$/ { one[$1] = $3 }
  $2 ~ /^xmllint/ && $2 !~ /_x_1$/ { par[$1] = $3 }
  function verdict(ok) { return ok ? "met" : "NOT MET" }
  END {
    all = 1
    for (i = 0; i < n; i++) {
      k = order[i]; mbs = bytes[k] / 1e6 / s[k]; pmbs = bytes[k] / 1e6 / par[k]; ombs = bytes[k] / 1e6 / one[k]; mib = rss[k] / 1024
      ok = mbs >= pmbs; all = all && ok
      printf "  %8d pupils: GAR checks %.1f MB/s, %.0f pupils/s = %.2f x xmllint --schema x %d cores (%.1f MB/s; x 1: %.1f MB/s)  (target >= 1 x)  %s\n",
        k, mbs, k / s[k], mbs / pmbs, cores, pmbs, ombs, verdict(ok)
      ok = mib < 256; all = all && ok
      printf "  %8d pupils: max RSS %.1f MiB  (target < 256 MiB)  %s\n", k, mib, verdict(ok)
    }
    printf "  all targets: %s (load average now %s)\n", verdict(all), load
  }' cores="$CORES" load="$(cut -d' ' -f1-3 /proc/loadavg)" "$RESULTS"
echo "bench time: $(( $(date +%s) - STARTED )) s, generation and build included (budget at 1 M pupils: about 240 s)"
