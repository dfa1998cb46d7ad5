#!/usr/bin/env bash
# Radicale (PyPI) as a CalDAV server for the sdet-audit integration tests, over HTTPS on 127.0.0.1
# only (a private CA made here with openssl: the ical.feed probe requires HTTPS, as an ENT must).
# Seeded through the real CalDAV API with:
#  - /eleve1/agenda/    a private calendar (Basic eleve1 / eleve1-pass; anonymous -> 401), a weekly course;
#  - /public/college/   a published calendar anonymous clients may read (GET -> text/calendar),
#                       like the iCalendar export of an ENT's school agenda; written by prof1 / prof1-pass.
# Events use TZID=Europe/Paris with the VTIMEZONE that RFC 5545 §3.2.19 requires.
#
#   tests/peers/radicale.sh start | stop | status | endpoints | env
#
# Adapted from shared/peers/radicale.sh (TLS, VTIMEZONE, env lines). Environment: RADICALE_PORT
# (default 5232), SDET_PEERS_STATE (default target/sdet-peers in this checkout), PYTHON (default python3).
set -euo pipefail

PORT="${RADICALE_PORT:-5232}"
HOST=127.0.0.1
BASE="https://$HOST:$PORT"
STATE="${SDET_PEERS_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/sdet-peers}/radicale"
TLS="$STATE/tls"
PIDFILE="$STATE/server.pid"
LOG="$STATE/server.log"
PY="${PYTHON:-python3}"
VENV="$STATE/venv"
REQUIREMENTS=("radicale==3.9.0" "vobject==0.9.9")


PEER=radicale
# shellcheck source=tests/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_venv() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import radicale' 2>/dev/null; then return 0; fi
  local t0=$SECONDS
  log "creating venv and installing ${REQUIREMENTS[*]}"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" || die "'$PY -m venv' failed (on Debian: apt-get install python3-venv)"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${REQUIREMENTS[@]}" >"$STATE/pip.log" 2>&1 \
    || { tail -20 "$STATE/pip.log" >&2; die "pip install failed"; }
  log "installed in $((SECONDS - t0)) s"
}

# A private CA and a certificate for 127.0.0.1 / localhost, made once per state folder.
write_config() {
  printf 'eleve1:eleve1-pass\nprof1:prof1-pass\n' >"$STATE/users"
  # Radicale applies the first section whose user and collection patterns match.
  cat >"$STATE/rights" <<'EOF2'
[public-write]
user: prof1
collection: public(/[^/]+)?
permissions: RrWw
[public-read]
user: .*
collection: public(/[^/]+)?
permissions: Rr
[root]
user: .+
collection:
permissions: R
[principal]
user: .+
collection: {user}
permissions: RW
[calendars]
user: .+
collection: {user}/[^/]+
permissions: rw
EOF2
  cat >"$STATE/config" <<EOF2
[server]
hosts = $HOST:$PORT
ssl = True
certificate = $TLS/cert.pem
key = $TLS/key.pem
[auth]
type = htpasswd
htpasswd_filename = $STATE/users
htpasswd_encryption = plain
delay = 0
[rights]
type = from_file
file = $STATE/rights
[storage]
filesystem_folder = $STATE/collections
[logging]
level = info
EOF2
  # Start from an empty store every time, then seed through the real CalDAV API.
  rm -rf "$STATE/collections"
}

event() {  # $1 = UID, $2 = summary; CRLF line ends as RFC 5545 requires
  printf '%s\r\n' "BEGIN:VCALENDAR" "VERSION:2.0" "PRODID:-//sdet-audit//peers//FR" \
    "BEGIN:VTIMEZONE" "TZID:Europe/Paris" \
    "BEGIN:DAYLIGHT" "TZOFFSETFROM:+0100" "TZOFFSETTO:+0200" "TZNAME:CEST" "DTSTART:19700329T020000" \
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" "END:DAYLIGHT" \
    "BEGIN:STANDARD" "TZOFFSETFROM:+0200" "TZOFFSETTO:+0100" "TZNAME:CET" "DTSTART:19701025T030000" \
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" "END:STANDARD" "END:VTIMEZONE" \
    "BEGIN:VEVENT" "UID:$1" "DTSTAMP:20261101T080000Z" "DTSTART;TZID=Europe/Paris:20261124T080000" \
    "DTEND;TZID=Europe/Paris:20261124T090000" "SUMMARY:$2" "LOCATION:Salle 101" \
    "RRULE:FREQ=WEEKLY;COUNT=10" "END:VEVENT" "END:VCALENDAR"
}

seed() {
  local c=(curl -sS -f -o /dev/null --cacert "$TLS/ca.pem")
  local mk='<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>%s</D:displayname><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>'
  # shellcheck disable=SC2059
  "${c[@]}" -u eleve1:eleve1-pass -X MKCALENDAR -H 'Content-Type: application/xml' \
    --data "$(printf "$mk" 'Emploi du temps 6A')" "$BASE/eleve1/agenda/"
  "${c[@]}" -u eleve1:eleve1-pass -X PUT -H 'Content-Type: text/calendar; charset=utf-8' \
    --data-binary "$(event cours-maths-6a@college.example.fr 'Mathématiques 6A')" "$BASE/eleve1/agenda/maths-6a.ics"
  "${c[@]}" -u prof1:prof1-pass -X MKCOL "$BASE/public/"
  # shellcheck disable=SC2059
  "${c[@]}" -u prof1:prof1-pass -X MKCALENDAR -H 'Content-Type: application/xml' \
    --data "$(printf "$mk" 'Agenda du collège')" "$BASE/public/college/"
  "${c[@]}" -u prof1:prof1-pass -X PUT -H 'Content-Type: text/calendar; charset=utf-8' \
    --data-binary "$(event reunion-parents@college.example.fr 'Réunion parents-professeurs')" \
    "$BASE/public/college/reunion.ics"
}

# Running = the PID in $PIDFILE is alive AND its command line names $STATE (so a stale PID file
# never makes us signal someone else's process).
answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$TLS/ca.pem" "$BASE/.web/")" = 200 ]; }

endpoints() {
  cat <<EOF2
Radicale on $BASE (pid $(cat "$PIDFILE" 2>/dev/null))
  public iCalendar feed    $BASE/public/college/   (anonymous GET -> text/calendar)
  private calendar         $BASE/eleve1/agenda/    (Basic eleve1 / eleve1-pass; anonymous -> 401)
  CA to trust              $TLS/ca.pem
  state, logs              $STATE
EOF2
}

env_lines() {
  cat <<EOF2
export SDET_PEER_ICAL_PUBLIC=$BASE/public/college/
export SDET_PEER_ICAL_PRIVATE=$BASE/eleve1/agenda/
export SDET_PEER_ICAL_USER=eleve1
export SDET_PEER_ICAL_PASSWORD=eleve1-pass
export SDET_PEER_ICAL_CA=$TLS/ca.pem
EOF2
}

start() {
  mkdir -p "$STATE"
  if is_running && answers; then log "already running"; endpoints; return 0; fi
  is_running && stop
  require_free_port "$PORT" RADICALE_PORT
  claim_state
  install_venv
  make_tls
  write_config
  log "starting Radicale on $HOST:$PORT (HTTPS)"
  (cd "$STATE" && exec setsid "$VENV/bin/python" -m radicale --config "$STATE/config") >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local i
  for i in $(seq 1 60); do
    if is_running && answers; then seed; endpoints; return 0; fi
    alive || { tail -30 "$LOG" >&2; die "server died"; }
    sleep 0.5
  done
  tail -30 "$LOG" >&2; die "no answer after 30 s"
}

dispatch "${1:-}"
