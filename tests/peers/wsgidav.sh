#!/usr/bin/env bash
# WsgiDAV (PyPI, on Cheroot) as a WebDAV class 1+2 server for the sdet-audit integration tests, over
# HTTPS on 127.0.0.1 only (a private CA made here with openssl: the webdav.access and rss.feed probes
# require HTTPS, as an ENT must):
#  - /dav/          read-write share, Basic or Digest auth eleve1 / eleve1-pass (anonymous -> 401), with
#                   a scratch/ folder where the audit may write, read back and delete one file;
#  - /public/       read-only anonymous share that also serves an Atom feed and an RSS 2.0 feed
#                   (application/atom+xml, application/x-rss+xml) for the RSS/Atom probe.
#
#   tests/peers/wsgidav.sh start | stop | status | endpoints | env
#
# Adapted from shared/peers/wsgidav.sh (TLS, scratch folder, env lines). Environment: WSGIDAV_PORT
# (default 8484), SDET_PEERS_STATE (default target/sdet-peers in this checkout), PYTHON (default python3).
set -euo pipefail

PORT="${WSGIDAV_PORT:-8484}"
HOST=127.0.0.1
BASE="https://$HOST:$PORT"
STATE="${SDET_PEERS_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/sdet-peers}/wsgidav"
TLS="$STATE/tls"
PIDFILE="$STATE/server.pid"
LOG="$STATE/server.log"
PY="${PYTHON:-python3}"
VENV="$STATE/venv"
REQUIREMENTS=("wsgidav==4.4.0" "cheroot==11.1.2" "lxml==6.1.3")


# A private CA and a certificate for 127.0.0.1 / localhost, made once per state folder.
PEER=wsgidav
# shellcheck source=tests/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_venv() {
  if [ -x "$VENV/bin/wsgidav" ] && "$VENV/bin/python" -c 'import wsgidav, cheroot' 2>/dev/null; then return 0; fi
  local t0=$SECONDS
  log "creating venv and installing ${REQUIREMENTS[*]}"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${REQUIREMENTS[@]}" >"$STATE/pip.log" 2>&1 \
    || { tail -20 "$STATE/pip.log" >&2; exit 1; }
  log "installed in $((SECONDS - t0)) s"
}

write_config() {
  rm -rf "$STATE/dav" "$STATE/public"
  mkdir -p "$STATE/dav/documents" "$STATE/dav/scratch" "$STATE/public/feeds"
  printf 'Bonjour depuis le partage WebDAV de test.\n' >"$STATE/dav/documents/lisezmoi.txt"
  cat >"$STATE/public/feeds/actualites.atom" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Actualités du collège</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>
  <updated>2026-11-20T08:00:00Z</updated>
  <link href="$BASE/public/feeds/actualites.atom" rel="self"/>
  <author><name>Vie scolaire</name></author>
  <entry>
    <title>Réunion parents-professeurs</title>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <link href="$BASE/public/feeds/reunion.html"/>
    <updated>2026-11-20T08:00:00Z</updated>
    <summary>Jeudi 26 novembre à 17 h, en salle polyvalente.</summary>
  </entry>
</feed>
EOF
  cat >"$STATE/public/feeds/actualites.rss" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Actualités du collège</title>
    <link>$BASE/public/</link>
    <description>Flux RSS de test</description>
    <language>fr</language>
    <atom:link href="$BASE/public/feeds/actualites.rss" rel="self" type="application/rss+xml"/>
    <item>
      <title>Réunion parents-professeurs</title>
      <link>$BASE/public/feeds/reunion.html</link>
      <guid isPermaLink="false">reunion-parents-2026-11-26</guid>
      <pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate>
      <description>Jeudi 26 novembre à 17 h, en salle polyvalente.</description>
    </item>
  </channel>
</rss>
EOF
  cat >"$STATE/wsgidav.yaml" <<EOF
host: $HOST
port: $PORT
server: cheroot
ssl_certificate: $TLS/cert.pem
ssl_private_key: $TLS/key.pem
provider_mapping:
  "/dav": {root: "$STATE/dav", readonly: false}
  "/public": {root: "$STATE/public", readonly: true}
http_authenticator:
  accept_basic: true
  accept_digest: true
  default_to_digest: false
  domain_controller: null
simple_dc:
  user_mapping:
    "/dav":
      "eleve1": {password: "eleve1-pass"}
    "/public": true
lock_storage: true
property_manager: true
mutable_live_props: ["{DAV:}getlastmodified"]
dir_browser: {enable: true}
verbose: 3
EOF
}

# Running = the PID in $PIDFILE is alive AND its command line names $STATE (so a stale PID file,
# after a reboot or PID reuse, never makes us signal someone else's process).
answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$TLS/ca.pem" "$BASE/public/feeds/actualites.atom")" = 200 ]; }

env_lines() {
  cat <<EOF
export SDET_PEER_DAV_URL=$BASE/dav/
export SDET_PEER_DAV_USER=eleve1
export SDET_PEER_DAV_PASSWORD=eleve1-pass
export SDET_PEER_DAV_SCRATCH=scratch/
export SDET_PEER_DAV_CA=$TLS/ca.pem
export SDET_PEER_ATOM=$BASE/public/feeds/actualites.atom
export SDET_PEER_RSS=$BASE/public/feeds/actualites.rss
EOF
}

endpoints() {
  cat <<EOF
WsgiDAV $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("wsgidav"), "(Cheroot", m.version("cheroot") + ")")' 2>/dev/null) on $BASE (pid $(cat "$PIDFILE" 2>/dev/null))
  WebDAV share (rw)        $BASE/dav/      Basic/Digest eleve1 / eleve1-pass (anonymous -> 401), DAV: 1,2; scratch/ for write tests
  CA to trust              $TLS/ca.pem
  public share (ro)        $BASE/public/   anonymous read, writes -> 403
  Atom feed                $BASE/public/feeds/actualites.atom   (application/atom+xml)
  RSS 2.0 feed             $BASE/public/feeds/actualites.rss    (served as application/x-rss+xml: Python mimetypes)
  state, logs              $STATE
EOF
}

start() {
  mkdir -p "$STATE"
  if is_running && answers; then log "already running"; endpoints; return 0; fi
  is_running && stop
  require_free_port "$PORT" WSGIDAV_PORT
  claim_state
  install_venv
  make_tls
  write_config
  log "starting WsgiDAV on $HOST:$PORT"
  (cd "$STATE" && exec setsid "$VENV/bin/wsgidav" --config "$STATE/wsgidav.yaml") >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local i
  for i in $(seq 1 60); do
    if is_running && answers; then endpoints; return 0; fi
    alive || { tail -30 "$LOG" >&2; die "server died"; }
    sleep 0.5
  done
  tail -30 "$LOG" >&2; log "no answer after 30 s"; exit 1
}

dispatch "${1:-}"
