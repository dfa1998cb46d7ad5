# What the benchmark scripts share: the machine they ran on, and the figures of a command run under
# `/usr/bin/time -v` (Debian package `time`). Sourced by bench/*.sh; defines functions only.

# machine: one line naming the cores, the processor and the memory.
machine() {
  echo "$(nproc) cores, $(awk '/model name/ { sub(/.*: /, ""); print; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM"
}

# time_figures LOG: "SECONDS RSS_KIB CPU_SECONDS" from the report `/usr/bin/time -v` wrote in LOG
# (wall clock as h:mm:ss or m:ss, user and system time added).
time_figures() {
  awk -F': ' '
    /Elapsed \(wall clock\) time/ { n = split($2, p, ":"); s = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /Maximum resident set size/ { rss = $2 }
    /User time \(seconds\)|System time \(seconds\)/ { cpu += $2 }
    END { printf "%s %s %s\n", s, rss, cpu }' "$1"
}

# fastest RUNS NAME OK OUT COMMAND...: runs COMMAND RUNS times under /usr/bin/time -v, its standard
# output to OUT, and sets BEST_S, BEST_RSS (KiB) and BEST_CPU to the figures of the fastest run.
# An exit code not among OK (space-separated) stops the script with the command's report (and
# FAIL_HINT, when the script set one). Prints
# each run's time with the load average before it.
fastest() {
  local runs="$1" name="$2" ok="$3" out="$4"; shift 4
  local log code load s rss cpu
  log="$(mktemp)"
  BEST_S="" BEST_RSS="" BEST_CPU=""
  for _ in $(seq "$runs"); do
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    code=0
    /usr/bin/time -v "$@" > "$out" 2> "$log" || code=$?
    if ! grep -qw -- "$code" <<< "$ok"; then
      cat "$log" >&2; rm -f "$log"
      echo "$(basename "$0"): $name failed (exit $code)${FAIL_HINT:+ — $FAIL_HINT}" >&2
      exit 1
    fi
    read -r s rss cpu < <(time_figures "$log")
    echo "  ($name: ${s} s, load before the run $load)"
    if [ -z "$BEST_S" ] || awk -v a="$s" -v b="$BEST_S" 'BEGIN { exit !(a < b) }'; then
      BEST_S="$s" BEST_RSS="$rss" BEST_CPU="$cpu"
    fi
  done
  rm -f "$log"
}
