#!/usr/bin/env bash
# Benchmark of `sdet-audit feeds reconcile` at an académie's size (issue 18): a synthetic AAF export
# and the directory an ENT made of it, loaded with `slapadd` into a private OpenLDAP slapd, then, in
# the same run, page cache warm and slapd warm (one untimed paged `ldapsearch` of the same entries
# before the timed runs of each size, as `cat` warms the export: otherwise whichever tool runs first
# pays slapd's cold database, which swung the reconcile/ldapsearch ratio from 0.7x to 6x between
# runs), three tools under `/usr/bin/time -v`:
#   - the floor on the directory side: `ldapsearch -E pr=500/noprompt` of the same people entries
#     (same filter, same attributes, same account, 500 per page) to /dev/null;
#   - the floor on the export side: `sdet-audit feeds check` of the export;
#   - `sdet-audit feeds reconcile` of that export against that directory (JSON to a file).
# For each it prints wall time, maximum RSS and CPU seconds; then a "targets:" block says whether each
# target is met by this run:
#   - reconcile wall ≤ 1.3 × max(ldapsearch wall, feeds check wall) (at every size);
#   - reconcile maximum RSS < 256 MiB (at every size);
#   - flat: reconcile maximum RSS at the largest size ≤ 1.5 × its maximum RSS at the smallest size
#     (both as /usr/bin/time -v reports them, in the same run; no verdict with a single size);
#   - correct and bounded: the directory carries DRIFT planted differences of each of the six kinds;
#     reconcile must count exactly DRIFT of each and list at most --limit (20) of each.
#
#   bench/reconcile.sh                     100 000 and 1 000 000 people
#   bench/reconcile.sh 20000               one size only (no flatness verdict)
#   BIN=target/debug/sdet-audit GEN=target/debug/examples/gen_aaf bench/reconcile.sh 20000
#                                          a debug build (no cargo build --release), to check the script
#   RUNS=1 bench/reconcile.sh              one run per tool (default 3, the fastest of each kept:
#                                          on a shared 2-core machine one run of a tool can be a
#                                          fifth slower than the next)
#   CLEAN=1 bench/reconcile.sh             delete exports and directories at the end
#   BENCH_DIR=/data bench/reconcile.sh     where data goes (default /tmp): the export in
#                                          sdet-aaf-bench-<PEOPLE> (shared with bench/aaf.sh), the
#                                          slapd state in sdet-reconcile-bench-<PEOPLE>
#   LDAP_PORT=4389 DRIFT=50                the slapd port (127.0.0.1 only), differences planted per kind
#
# Needs: Debian packages `slapd` and `ldap-utils` (installed by tests/peers/slapd.sh if missing),
# `time` and `python3` (to read reconcile's JSON); about 1.7 GB (export) + 2 GB (directory) free in BENCH_DIR at 1 M people. The directory is
# made by `gen_aaf --ldif` (same people, same structures, classes and parent links as the export,
# mapped as tests/peers/reconcile.rs' fixtures are) and loaded once with `slapadd -q` into its own
# mdb database; both are kept for the next run (unless CLEAN=1) and remade when the generator's
# output changes. Each size gets its own slapd (same ENT schema and limits as tests/peers/slapd.sh:
# 500 entries per search, unlimited through paging), stopped at the end of the size, and by a trap
# whatever happens. The figures are only meaningful on an otherwise idle machine: the load average
# is printed before each run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
SIZES=("$@")
[ "${#SIZES[@]}" -gt 0 ] || SIZES=(100000 1000000)
RUNS="${RUNS:-3}"
BENCH_DIR="${BENCH_DIR:-/tmp}"
PORT="${LDAP_PORT:-4389}"
DRIFT="${DRIFT:-50}"
LIMIT=20
TARGET="${CARGO_TARGET_DIR:-target}"
BASE_DN="dc=ent-test,dc=fr"
AUDIT_DN="cn=audit,$BASE_DN"
export SDET_BENCH_LDAP_PASSWORD=audit-secret
SCHEMA="$ROOT/fixtures/ldap/schema"
ATTRS=(objectClass ENTPersonJointure ENTPersonProfils ENTPersonStructRattach ENTEleveClasses ENTAuxEnsClasses ENTAuxPersRelEleveEleve)

[ -x /usr/bin/time ] || { echo "bench/reconcile.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
if [ ! -x /usr/sbin/slapd ] || ! command -v ldapsearch >/dev/null; then
  # The peer script installs slapd without configuring a system instance.
  LDAP_PORT=$PORT SDET_PEERS_STATE="$BENCH_DIR/sdet-reconcile-bench-install" tests/peers/slapd.sh start >/dev/null
  LDAP_PORT=$PORT SDET_PEERS_STATE="$BENCH_DIR/sdet-reconcile-bench-install" tests/peers/slapd.sh stop >/dev/null
fi
if [ -z "${BIN:-}" ] || [ -z "${GEN:-}" ]; then
  cargo build --release --quiet --example gen_aaf --bin sdet-audit
fi
BIN="${BIN:-$TARGET/release/sdet-audit}"
GEN="${GEN:-$TARGET/release/examples/gen_aaf}"

. bench/lib.sh
RESULTS="$(mktemp)"
SLAPD_PID=""
stop_slapd() {
  if [ -n "$SLAPD_PID" ] && kill -0 "$SLAPD_PID" 2>/dev/null; then
    kill "$SLAPD_PID"
    for _ in $(seq 100); do kill -0 "$SLAPD_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  SLAPD_PID=""
}
trap 'stop_slapd; rm -f "$RESULTS"' EXIT
trap 'exit 130' INT TERM   # through the EXIT trap: the slapd never outlives the script

# slapd_conf STATE: the configuration of tests/peers/slapd.sh (same schema, same limits, same
# accounts), without TLS, with a map large enough for a million people.
slapd_conf() {
  local state="$1" f
  mkdir -p "$state/db"
  cat >"$state/edumember.schema" <<'SCHEMA'
attributetype ( 1.3.6.1.4.1.5923.1.5.1.1 NAME 'isMemberOf'
  DESC 'identifiers for groups to which containing entity belongs'
  EQUALITY caseExactMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.3.6.1.4.1.5923.1.5.1.2 NAME 'hasMember'
  DESC 'identifiers for entities that are members of the group'
  EQUALITY caseExactMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
objectclass ( 1.3.6.1.4.1.5923.1.5.2.1 NAME 'eduMember' AUXILIARY MAY ( isMemberOf $ hasMember ) )
SCHEMA
  {
    for f in core cosine inetorgperson nis; do echo "include /etc/ldap/schema/$f.schema"; done
    echo "include $state/edumember.schema"
    for f in 11-esco-const 13-esco-personne 16-esco-addons 17-esco-structure 21-esco-groupe 51-esco-application; do
      echo "include $SCHEMA/$f.schema"
    done
    cat <<CONF
pidfile  $state/slapd.pid
argsfile $state/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
loglevel none

access to dn.base="" by * read
access to dn.base="cn=Subschema" by * read
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by anonymous auth

database mdb
maxsize 17179869184
suffix "$BASE_DN"
rootdn "cn=admin,$BASE_DN"
rootpw $(slappasswd -s admin-secret)
directory $state/db
limits users size.soft=500 size.hard=500 size.pr=500 size.prtotal=unlimited
index objectClass eq
index ENTPersonJointure eq,pres
CONF
  } >"$state/slapd.conf"
}

# load STATE PEOPLE: (re)makes the directory unless the one there was made from the same LDIF.
load() {
  local state="$1" people="$2" ldif="$1/people.ldif"
  "$GEN" --people "$people" --drift "$DRIFT" --ldif "$ldif.new" >&2
  local sum
  # What shapes the database: the LDIF, the schema and these two functions (not the rest of this
  # script, so that editing how tools are measured does not reload a million entries).
  sum="$( (cat "$ldif.new" "$SCHEMA"/*.schema; declare -f slapd_conf load) | sha256sum | cut -c1-16)"
  if [ "$(cat "$state/.loaded" 2>/dev/null)" = "$sum" ]; then rm -f "$ldif.new"; return 0; fi
  rm -rf "$state/db" "$state/.loaded"
  slapd_conf "$state"
  cat >"$state/base.ldif" <<LDIF
dn: $BASE_DN
objectClass: dcObject
objectClass: organization
dc: ent-test
o: ENT de test sdet-audit

dn: $AUDIT_DN
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: audit
description: read-only account for sdet-audit
userPassword: $(slappasswd -s "$SDET_BENCH_LDAP_PASSWORD")

LDIF
  local t0=$SECONDS
  cat "$state/base.ldif" "$ldif.new" | slapadd -q -f "$state/slapd.conf" -b "$BASE_DN"
  rm -f "$ldif.new"
  echo "slapadd: $people people in $((SECONDS - t0)) s" >&2
  echo "$sum" >"$state/.loaded"
}

start_slapd() {
  local state="$1"
  # Written again at every start: a kept database outlives the checkout whose schema paths the
  # configuration names (the database itself does not depend on them).
  slapd_conf "$state"
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "bench/reconcile.sh: port $PORT is taken (set LDAP_PORT)" >&2; exit 2
  fi
  /usr/sbin/slapd -f "$state/slapd.conf" -h "ldap://127.0.0.1:$PORT/" -s 0 </dev/null
  SLAPD_PID="$(cat "$state/slapd.pid")"
  for _ in $(seq 60); do
    ldapwhoami -x -H "ldap://127.0.0.1:$PORT" -D "$AUDIT_DN" -w "$SDET_BENCH_LDAP_PASSWORD" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "bench/reconcile.sh: slapd does not answer on 127.0.0.1:$PORT" >&2; exit 1
}

# measure PEOPLE NAME OUT OK_CODES COMMAND...: runs it RUNS times under /usr/bin/time -v (stdout to
# OUT), keeps the fastest run, prints it and appends "PEOPLE NAME seconds rss_kib cpu_s" to $RESULTS.
measure() {
  local people="$1" name="$2" out="$3" ok="$4"; shift 4
  fastest "$RUNS" "$name" "$ok" "$out" "$@"
  awk -v n="$name" -v s="$BEST_S" -v rss="$BEST_RSS" -v cpu="$BEST_CPU" -v p="$people" 'BEGIN {
    if (s <= 0) s = 0.01
    printf "%-26s %7.2f s %10.0f people/s %7.1f MiB max RSS   CPU %6.2f s\n", n, s, p / s, rss / 1024, cpu }'
  echo "$people ${name// /_} $BEST_S $BEST_RSS $BEST_CPU" >>"$RESULTS"
}

echo "machine: $(machine)"
for PEOPLE in "${SIZES[@]}"; do
  EXPORT="$BENCH_DIR/sdet-aaf-bench-$PEOPLE"
  STATE="$BENCH_DIR/sdet-reconcile-bench-$PEOPLE"
  mkdir -p "$EXPORT" "$STATE"
  if [ ! -f "$EXPORT/.records" ]; then
    SUMMARY="$("$GEN" --people "$PEOPLE" --out "$EXPORT")"
    echo "$SUMMARY" >&2
    awk '{print $1}' <<<"$SUMMARY" >"$EXPORT/.records"
  fi
  load "$STATE" "$PEOPLE"
  start_slapd "$STATE"
  cat "$EXPORT"/*.xml >/dev/null   # warm the page cache
  # Warm slapd too (its database pages, its entry cache): the same paged search, untimed.
  ldapsearch -x -LLL -H "ldap://127.0.0.1:$PORT" -D "$AUDIT_DN" -w "$SDET_BENCH_LDAP_PASSWORD" \
    -b "$BASE_DN" -E pr=500/noprompt "(ENTPersonJointure=*)" "${ATTRS[@]}" >/dev/null
  echo
  echo "export: $EXPORT — $PEOPLE people, $(cat "$EXPORT/.records") records, $(cat "$EXPORT"/*.xml | wc -c) bytes; directory: slapd on 127.0.0.1:$PORT, $STATE, $DRIFT differences planted per kind"
  measure "$PEOPLE" "ldapsearch paged" /dev/null 0 \
    ldapsearch -x -LLL -H "ldap://127.0.0.1:$PORT" -D "$AUDIT_DN" -w "$SDET_BENCH_LDAP_PASSWORD" \
    -b "$BASE_DN" -E pr=500/noprompt "(ENTPersonJointure=*)" "${ATTRS[@]}"
  measure "$PEOPLE" "sdet-audit feeds check" /dev/null 0 "$BIN" feeds check --format json "$EXPORT"
  measure "$PEOPLE" "sdet-audit feeds reconcile" "$STATE/reconcile.json" "0 1" \
    "$BIN" feeds reconcile --format json --limit "$LIMIT" --ldap-url "ldap://127.0.0.1:$PORT" \
    --base-dn "$BASE_DN" --bind-dn "$AUDIT_DN" --password-env SDET_BENCH_LDAP_PASSWORD "$EXPORT"
  # Correct and bounded: DRIFT of each kind counted, at most LIMIT of each listed.
  python3 - "$STATE/reconcile.json" "$DRIFT" "$LIMIT" "$PEOPLE" >>"$RESULTS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); drift, limit = int(sys.argv[2]), int(sys.argv[3])
listed = {}
for d in r["differences"]:
    listed[d["kind"]] = listed.get(d["kind"], 0) + 1
ok = all(n == drift for n in r["counts"].values()) and len(r["counts"]) == 6 \
    and all(listed.get(k, 0) == min(drift, limit) for k in r["counts"])
counts = ",".join(f"{k}={n}" for k, n in sorted(r["counts"].items()))
print(sys.argv[4], "check", int(ok), counts, len(r["differences"]))
PY
  stop_slapd
  if [ "${CLEAN:-0}" = 1 ]; then rm -rf "$EXPORT" "$STATE"; fi
done

echo
echo "targets:"
awk -v drift="$DRIFT" -v limit="$LIMIT" '
  $2 == "ldapsearch_paged" { ls[$1] = $3 }
  $2 == "sdet-audit_feeds_check" { fc[$1] = $3 }
  $2 == "sdet-audit_feeds_reconcile" { rs[$1] = $3; rss[$1] = $4; order[n++] = $1 }
  $2 == "check" { ok[$1] = $3; counts[$1] = $4; listed[$1] = $5 }
  function verdict(x) { return x ? "met" : "NOT MET" }
  END {
    all = 1
    for (i = 0; i < n; i++) {
      k = order[i]; floor = ls[k] > fc[k] ? ls[k] : fc[k]; if (floor <= 0) floor = 0.01
      x = rs[k] <= 1.3 * floor; all = all && x
      printf "  %8d people: reconcile %.2f s = %.2f x max(ldapsearch %.2f s, feeds check %.2f s)  (target <= 1.3 x)  %s\n",
        k, rs[k], rs[k] / floor, ls[k], fc[k], verdict(x)
      x = rss[k] / 1024 < 256; all = all && x
      printf "  %8d people: reconcile max RSS %.1f MiB  (target < 256 MiB)  %s\n", k, rss[k] / 1024, verdict(x)
      x = ok[k]; all = all && x
      printf "  %8d people: %s, %d listed  (target %d of each kind, at most %d of each listed)  %s\n",
        k, counts[k], listed[k], drift, limit, verdict(x)
      if (i == 0) { first = k } last = k
    }
    if (n > 1) {
      ratio = rss[last] / rss[first]; x = ratio <= 1.5; all = all && x
      printf "  flat: reconcile max RSS %.1f MiB at %d people, %.1f MiB at %d (x%.2f, target <= x1.5)  %s\n",
        rss[first] / 1024, first, rss[last] / 1024, last, ratio, verdict(x)
    } else {
      printf "  flat: needs two sizes (bench/reconcile.sh 100000 1000000)\n"
    }
    printf "  all targets: %s (load average now %s)\n", verdict(all), load
  }' load="$(cut -d' ' -f1-3 /proc/loadavg)" "$RESULTS"
