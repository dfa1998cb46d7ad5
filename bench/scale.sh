#!/usr/bin/env bash
# The four benchmarks of an académie's scale (issue 18), one after the other in one run, on the
# same release binaries: feeds reconcile at 1 M people (bench/reconcile.sh), the GAR export checks
# at 1 M pupils (bench/gar.sh), an audit over a network with latency (bench/network.sh) and several
# targets in one run (bench/targets.sh). Each prints its own figures and `targets:` block; this
# script then prints every block again together, each script's wall time, and whether the four
# together took under 15 minutes. Generated data is kept between runs (see each script), so the
# first run also pays for generating it; run it twice for the steady figure.
#
#   bench/scale.sh                      everything at its default sizes
#   BENCH_DIR=/data bench/scale.sh      where the large data goes (default /tmp)
#
# Needs what each script needs: slapd and ldap-utils, libxml2-utils, time, python3, and about
# 6 GB free in BENCH_DIR. Only meaningful on an otherwise idle machine: each script prints the load.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet --bin sdet-audit --example gen_aaf --example gen_gar
export BIN="$TARGET/release/sdet-audit"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
STARTED="$(date +%s)"
for script in reconcile gar network targets; do
  echo "=== bench/$script.sh ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
  t0="$(date +%s)"
  case "$script" in
    reconcile) GEN="$TARGET/release/examples/gen_aaf" bash "bench/$script.sh" | tee "$OUT/$script" ;;
    gar) GEN="$TARGET/release/examples/gen_gar" bash "bench/$script.sh" | tee "$OUT/$script" ;;
    *) bash "bench/$script.sh" | tee "$OUT/$script" ;;
  esac
  echo "$script $(( $(date +%s) - t0 ))" >> "$OUT/times"
  echo
done
TOTAL=$(( $(date +%s) - STARTED ))
echo "=== every targets: block"
for script in reconcile gar network targets; do
  echo "bench/$script.sh ($(awk -v s="$script" '$1 == s { print $2 }' "$OUT/times") s):"
  sed -n '/^targets:/,$p' "$OUT/$script" | tail -n +2
done
if [ "$TOTAL" -lt 900 ]; then verdict=met; else verdict="NOT MET"; fi
echo "the four together: $TOTAL s (target < 900 s on $(nproc) cores)   $verdict"
