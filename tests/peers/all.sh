#!/usr/bin/env bash
# Start, stop or check the real third-party servers ("peers") the integration tests use, all on
# 127.0.0.1, state under ${SDET_PEERS_STATE:-target/sdet-peers}/<peer>/ (in this checkout).
#
#   tests/peers/all.sh start  [peer ...]   start (install if needed) each peer, print its endpoints; fails on the first
#                                         peer that cannot start
#   tests/peers/all.sh stop   [peer ...]   stop them, in reverse order
#   tests/peers/all.sh status [peer ...]   exit 1 if any is not running
#   tests/peers/all.sh env    [peer ...]   print `export SDET_PEER_...=...` lines (eval them)
#   tests/peers/all.sh list                the default peer list
#
# Adding a peer: drop tests/peers/<peer>.sh implementing start|stop|status|endpoints|env, and add its name
# to PEERS below (order = start order: put what others depend on, e.g. slapd, first).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

PEERS=(slapd django-cas-server radicale wsgidav satosa oidc-provider lemonldap)

action="${1:-}"; shift || true
peers=("$@"); [ ${#peers[@]} -eq 0 ] && peers=("${PEERS[@]}")

for p in "${peers[@]}"; do
  [ -f "$HERE/$p.sh" ] || { echo "[all] no such peer: $HERE/$p.sh" >&2; exit 2; }
done

case "$action" in
  start)
    for p in "${peers[@]}"; do
      t0=$SECONDS
      bash "$HERE/$p.sh" start || { echo "[all] FAILED to start peer $p" >&2; exit 1; }
      echo "[all] $p ready in $((SECONDS - t0)) s" >&2
    done ;;
  stop)
    for ((i = ${#peers[@]} - 1; i >= 0; i--)); do bash "$HERE/${peers[$i]}.sh" stop || true; done ;;
  status)
    rc=0
    for p in "${peers[@]}"; do bash "$HERE/$p.sh" status || rc=1; done
    exit $rc ;;
  env)
    for p in "${peers[@]}"; do bash "$HERE/$p.sh" env; done ;;
  list) printf '%s\n' "${PEERS[@]}" ;;
  *) echo "usage: $0 start|stop|status|env|list [peer ...]" >&2; exit 2 ;;
esac
