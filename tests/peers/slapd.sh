#!/usr/bin/env bash
# OpenLDAP slapd (Debian) as the ENT directory peer for the reconciliation tests: a private instance
# on ldap://127.0.0.1:$LDAP_PORT only, with the SDET ENT schema (ENTPerson, ENTEleve,
# ENTAuxPersRelEleve, ENTEtablissement…, copied in fixtures/ldap/schema/ from GIP-RECIA's
# docker-openldap-test) and an empty base the tests fill and empty themselves. Adapted from the team's
# reference peer script. The Debian package is installed with the debconf answer
# slapd/no_configuration=true, so no system instance (which would listen on every address) is ever
# configured nor started.
#
#   tests/peers/slapd.sh start       install if needed (apt), configure, start, wait, print endpoints
#   tests/peers/slapd.sh stop        stop the server started by this script (by its PID)
#   tests/peers/slapd.sh status      exit 0 if running and answering
#   tests/peers/slapd.sh endpoints   print the endpoints
#   tests/peers/slapd.sh env         print `export SDET_PEER_LDAP_*=...` lines for the tests
#
# Environment: LDAP_PORT (default 3389), LDAPS_PORT (default 3636), SDET_PEERS_STATE (default
# target/sdet-peers in this checkout), LDAP_WAIT_SECONDS (default 30).
# TLS: ldaps://127.0.0.1:$LDAPS_PORT with a certificate from a private CA made here with openssl
# (SDET_PEER_LDAP_CA in `env`), as a pre-production ENT directory would have.
# Accounts: cn=admin,dc=ent-test,dc=fr / admin-secret (root: the tests load entries with it);
# cn=audit,dc=ent-test,dc=fr / audit-secret (reads everything, writes nothing: what an auditor gets).
# Limits: 500 entries per search (as a production directory), unlimited in total through the paged
# results control, so a client that does not page sees the size limit.
set -euo pipefail

PORT="${LDAP_PORT:-3389}"
HOST=127.0.0.1
URI="ldap://$HOST:$PORT"
TLS_PORT="${LDAPS_PORT:-3636}"
TLS_URI="ldaps://$HOST:$TLS_PORT"
STATE="${SDET_PEERS_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/sdet-peers}/slapd"
PIDFILE="$STATE/slapd.pid"
TLS="$STATE/tls"
LOG="$STATE/server.log"
WAIT_SECONDS="${LDAP_WAIT_SECONDS:-30}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCHEMA="$(cd "$HERE/../../fixtures/ldap/schema" && pwd)"
BASE_DN="dc=ent-test,dc=fr"
ADMIN_DN="cn=admin,$BASE_DN"
ADMIN_PW="admin-secret"
AUDIT_DN="cn=audit,$BASE_DN"
AUDIT_PW="audit-secret"

PEER=slapd
# shellcheck source=tests/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_packages() {
  if [ -x /usr/sbin/slapd ] && command -v slappasswd >/dev/null && command -v ldapwhoami >/dev/null; then
    return 0
  fi
  local t0=$SECONDS
  log "installing slapd ldap-utils (debconf: slapd/no_configuration=true, nothing is started)"
  echo "slapd slapd/no_configuration boolean true" | as_root debconf-set-selections
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      slapd ldap-utils >"$STATE/apt.log" 2>&1; then
    as_root apt-get update -q >>"$STATE/apt.log" 2>&1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      slapd ldap-utils >>"$STATE/apt.log" 2>&1 || { tail -20 "$STATE/apt.log" >&2; die "apt-get install failed"; }
  fi
  log "installed in $((SECONDS - t0)) s"
}

write_config() {
  [ -f "$SCHEMA/13-esco-personne.schema" ] || die "ENT schema not found in $SCHEMA"
  rm -rf "$STATE/db" "$STATE/schema"
  mkdir -p "$STATE/db" "$STATE/schema"
  # Internet2 eduMember (isMemberOf / hasMember): the ESCO addons use it; OpenLDAP does not ship it.
  cat >"$STATE/schema/edumember.schema" <<'SCHEMA'
attributetype ( 1.3.6.1.4.1.5923.1.5.1.1 NAME 'isMemberOf'
  DESC 'identifiers for groups to which containing entity belongs'
  EQUALITY caseExactMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.3.6.1.4.1.5923.1.5.1.2 NAME 'hasMember'
  DESC 'identifiers for entities that are members of the group'
  EQUALITY caseExactMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
objectclass ( 1.3.6.1.4.1.5923.1.5.2.1 NAME 'eduMember' AUXILIARY MAY ( isMemberOf $ hasMember ) )
SCHEMA
  {
    local f
    for f in core cosine inetorgperson nis; do echo "include /etc/ldap/schema/$f.schema"; done
    echo "include $STATE/schema/edumember.schema"
    for f in 11-esco-const 13-esco-personne 16-esco-addons 17-esco-structure 21-esco-groupe 51-esco-application; do
      echo "include $SCHEMA/$f.schema"
    done
    cat <<CONF
pidfile  $PIDFILE
argsfile $STATE/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
loglevel stats
TLSCACertificateFile $TLS/ca.pem
TLSCertificateFile $TLS/cert.pem
TLSCertificateKeyFile $TLS/key.pem

access to dn.base="" by * read
access to dn.base="cn=Subschema" by * read
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by anonymous auth

database mdb
maxsize 67108864
suffix "$BASE_DN"
rootdn "$ADMIN_DN"
rootpw $(slappasswd -s "$ADMIN_PW")
directory $STATE/db
limits users size.soft=500 size.hard=500 size.pr=500 size.prtotal=unlimited
index objectClass eq
index ENTPersonJointure eq
CONF
  } >"$STATE/slapd.conf"
  cat >"$STATE/base.ldif" <<LDIF
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
userPassword: $(slappasswd -s "$AUDIT_PW")
LDIF
  slapadd -q -f "$STATE/slapd.conf" -b "$BASE_DN" -l "$STATE/base.ldif"
}

# A server found running is reused only if this very script (same schema files) configured it: the
# reference scripts in ../shared use the same state folder and port with another configuration.
FINGERPRINT="$(cat "${BASH_SOURCE[0]}" "$SCHEMA"/*.schema | sha256sum | cut -c1-16)"
same_config() { [ "$(cat "$STATE/config.fingerprint" 2>/dev/null)" = "$FINGERPRINT" ]; }

answers() {
  command -v ldapwhoami >/dev/null || return 1
  timeout 5 ldapwhoami -x -H "$URI" -D "$AUDIT_DN" -w "$AUDIT_PW" >/dev/null 2>&1
}

endpoints() {
  cat <<TEXT
OpenLDAP slapd $(dpkg-query -W -f='${Version}' slapd 2>/dev/null) on $URI and $TLS_URI (pid $(cat "$PIDFILE" 2>/dev/null))
  CA to trust (ldaps) $TLS/ca.pem
  base (ENT schema)   $BASE_DN   (empty: the tests add and remove their own subtrees)
  admin bind          $ADMIN_DN / $ADMIN_PW
  audit bind          $AUDIT_DN / $AUDIT_PW   (read only)
  limits              500 entries per search; unlimited through paged results
  state, logs         $STATE
TEXT
}

env_lines() {
  cat <<TEXT
export SDET_PEER_LDAP_URL=$URI
export SDET_PEER_LDAPS_URL=$TLS_URI
export SDET_PEER_LDAP_CA=$TLS/ca.pem
export SDET_PEER_LDAP_BASE_DN=$BASE_DN
export SDET_PEER_LDAP_ADMIN_DN=$ADMIN_DN
export SDET_PEER_LDAP_ADMIN_PASSWORD=$ADMIN_PW
export SDET_PEER_LDAP_BIND_DN=$AUDIT_DN
export SDET_PEER_LDAP_PASSWORD=$AUDIT_PW
TEXT
}

start() {
  mkdir -p "$STATE"
  if is_running && answers && same_config; then log "already running"; endpoints; return 0; fi
  if is_running; then log "restarting the server found in $STATE (other configuration, or not answering)"; stop; fi
  install_packages
  require_free_port "$PORT" LDAP_PORT
  require_free_port "$TLS_PORT" LDAPS_PORT
  claim_state
  make_tls
  write_config
  echo "$FINGERPRINT" >"$STATE/config.fingerprint"
  log "starting slapd on $URI"
  # slapd forks into the background and writes $PIDFILE; -h binds 127.0.0.1 only.
  /usr/sbin/slapd -f "$STATE/slapd.conf" -h "$URI/ $TLS_URI/" -s 0 >"$LOG" 2>&1 </dev/null \
    || { cat "$LOG" >&2; die "slapd did not start (log: $LOG)"; }
  local deadline=$((SECONDS + WAIT_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if is_running && answers; then endpoints; return 0; fi
    sleep 0.5
  done
  tail -30 "$LOG" >&2; stop; die "no answer on $URI after $WAIT_SECONDS s (log: $LOG)"
}

dispatch "${1:-}"
