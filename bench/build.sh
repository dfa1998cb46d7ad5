#!/usr/bin/env bash
# Build times of the release binary, for two commits in the same run (so the machine and its load
# are the same for both): a clean `cargo build --release`, then the incremental rebuild after
# editing one probe (`portail/hsts.rs`: a line inserted at the top, which moves every span of the
# file, as a developer's edit does), then after editing one grid file (grids are embedded in the
# binary). Prints the wall times, the
# binary's size, and a "targets:" block:
#   - the incremental release rebuild after editing a probe is at least 2 × faster at AFTER than at
#     BEFORE;
#   - the release binary at AFTER is under 30 MB.
#
#   bench/build.sh                       BEFORE = 6ce68c4 (the last single-crate commit), AFTER = HEAD
#   bench/build.sh <before> <after>      any two commits
#   JOBS=2 bench/build.sh                cargo's -j (default: every core)
#
# Each commit is built in a fresh clone under BENCH_DIR (default /tmp) with its own target folder,
# so nothing is shared with this checkout's target/ and no build is warm from another. Dependencies
# are compiled in the clean build and not in the incremental ones, as for a developer. Takes about
# 20 minutes on 2 cores; only meaningful on an otherwise idle machine (the load average is printed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
BEFORE="${1:-6ce68c4}"
AFTER="${2:-HEAD}"
BENCH_DIR="${BENCH_DIR:-/tmp}"
JOBS="${JOBS:-$(nproc)}"
RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

# build LABEL COMMIT: clean build, probe edit, grid edit; appends "LABEL what seconds" lines.
build() {
  local label="$1" commit="$2" dir
  dir="$BENCH_DIR/sdet-build-bench-$label"
  rm -rf "$dir"
  git clone --quiet --no-checkout "$ROOT" "$dir"
  git -C "$dir" checkout --quiet "$(git rev-parse "$commit")"
  local probe grid t
  probe="$(git -C "$dir" ls-files | grep -m1 'portail/hsts.rs$')"
  grid="$(git -C "$dir" ls-files | grep -m1 '^grids/6.4/.*\.yaml$')"
  echo "== $label: $(git -C "$dir" log -1 --format='%h %s' | cut -c1-90)"
  echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  t="$(now)"; (cd "$dir" && cargo build --release --locked --quiet -j "$JOBS" --bin sdet-audit)
  echo "$label clean $(elapsed "$t")" >> "$RESULTS"
  sed -i '1i // edited by bench/build.sh' "$dir/$probe"
  t="$(now)"; (cd "$dir" && cargo build --release --locked --quiet -j "$JOBS" --bin sdet-audit)
  echo "$label probe $(elapsed "$t")" >> "$RESULTS"
  echo "# edited by bench/build.sh" >> "$dir/$grid"
  t="$(now)"; (cd "$dir" && cargo build --release --locked --quiet -j "$JOBS" --bin sdet-audit)
  echo "$label grid $(elapsed "$t")" >> "$RESULTS"
  echo "$label size $(stat -c %s "$dir/target/release/sdet-audit")" >> "$RESULTS"
  rm -rf "$dir"
}

command -v bc >/dev/null || { echo "bench/build.sh: bc missing (apt-get install bc)" >&2; exit 2; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(rustc --version)"
build before "$BEFORE"
build after "$AFTER"

value() { awk -v l="$1" -v w="$2" '$1 == l && $2 == w { print $3 }' "$RESULTS"; }
printf '\n%-34s %12s %12s\n' "" "before" "after"
for what in clean probe grid; do
  printf '%-34s %11.1fs %11.1fs\n' "release build, $what" "$(value before "$what")" "$(value after "$what")"
done
printf '%-34s %10.1fMB %10.1fMB\n' "release binary" \
  "$(echo "$(value before size) / 1000000" | bc -l)" "$(echo "$(value after size) / 1000000" | bc -l)"

speedup="$(echo "$(value before probe) / $(value after probe)" | bc -l)"
size_mb="$(echo "$(value after size) / 1000000" | bc -l)"
echo
echo "targets:"
verdict() { if [ "$(echo "$1" | bc -l)" = 1 ]; then echo "met"; else echo "NOT MET"; fi; }
printf '  incremental rebuild after a probe edit ≥ 2× faster: %.2f× — %s\n' "$speedup" "$(verdict "$speedup >= 2")"
printf '  release binary < 30 MB: %.1f MB — %s\n' "$size_mb" "$(verdict "$size_mb < 30")"
