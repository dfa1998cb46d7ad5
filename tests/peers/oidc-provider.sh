#!/usr/bin/env bash
# node-oidc-provider (npm "oidc-provider", OpenID Certified) as a real OpenID Connect OP for the
# sdet-audit integration tests, on https://127.0.0.1:8483 only: discovery, JWKS, authorization code
# flow with the library's own development login + consent pages (any login/password is accepted),
# token, userinfo (/me). Served over HTTPS with a private CA made here (trust $STATE/tls/ca.pem), as
# a deployed provider would be: the probes require HTTPS endpoints.
# Adapted from the team's reference peer scripts (../shared/peers/oidc-provider.sh): HTTPS, `env`,
# a server found running is reused only if this very script configured it.
#
#   tests/peers/oidc-provider.sh start | stop | status | endpoints | env
#
# Environment: OIDCP_PORT (default 8483), SDET_PEERS_STATE (default target/sdet-peers in this checkout),
# OIDCP_WAIT_SECONDS (default 60). Needs node >= 20 + npm (reaching the npm registry), openssl, curl.
set -euo pipefail

PORT="${OIDCP_PORT:-8483}"
HOST=127.0.0.1
BASE="https://$HOST:$PORT"
STATE="${SDET_PEERS_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/sdet-peers}/oidc-provider"
PIDFILE="$STATE/server.pid"
LOG="$STATE/server.log"
APP="http://$HOST:8999"
VERSION="9.13.3"
TLS="$STATE/tls"
WAIT_SECONDS="${OIDCP_WAIT_SECONDS:-60}"
# A server found running is reused only if this script, as it is now, configured it.
FINGERPRINT="$(sha256sum <"${BASH_SOURCE[0]}" | cut -c1-16)"
PEER=oidc-provider
# shellcheck source=tests/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

same_config() { [ "$(cat "$STATE/config.fingerprint" 2>/dev/null)" = "$FINGERPRINT" ]; }

# A private CA and a certificate for 127.0.0.1 / localhost, made once per state folder.

install_npm() {
  command -v node >/dev/null || { log "node is required (Debian: apt-get install nodejs npm)"; exit 1; }
  if [ -f "$STATE/node_modules/oidc-provider/package.json" ] \
     && [ "$(node -p "require('$STATE/node_modules/oidc-provider/package.json').version")" = "$VERSION" ]; then
    return 0
  fi
  local t0=$SECONDS
  log "npm install oidc-provider@$VERSION"
  cat >"$STATE/package.json" <<EOF
{ "name": "sdet-peer-oidc-provider", "private": true, "type": "module",
  "dependencies": { "oidc-provider": "$VERSION" } }
EOF
  (cd "$STATE" && npm install --no-audit --no-fund --loglevel=error >"$STATE/npm.log" 2>&1) \
    || { tail -20 "$STATE/npm.log" >&2; exit 1; }
  log "installed in $((SECONDS - t0)) s"
}

write_server() {
  cat >"$STATE/server.mjs" <<'EOF'
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:https';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `https://127.0.0.1:${port}`;
const keyFile = process.env.KEY_FILE;
if (!existsSync(keyFile)) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'oidc-provider-key-1', use: 'sig', alg: 'RS256' };
  writeFileSync(keyFile, JSON.stringify({ keys: [jwk] }), { mode: 0o600 });
}
const accounts = {
  eleve1: { sub: 'eleve1', email: 'eleve1@college.example.fr', email_verified: true, given_name: 'Camille',
            family_name: 'Martin', name: 'Camille MARTIN', preferred_username: 'eleve1' },
};
const provider = new Provider(issuer, {
  clients: [{
    client_id: 'sdet-audit', client_secret: 'sdet-secret',
    redirect_uris: [`${process.env.APP}/oidc/callback`],
    grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
  }],
  jwks: JSON.parse(readFileSync(keyFile, 'utf8')),
  claims: { openid: ['sub'], email: ['email', 'email_verified'],
            profile: ['name', 'given_name', 'family_name', 'preferred_username'] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  async findAccount(ctx, id) {
    const claims = accounts[id] || { sub: id, preferred_username: id };
    return { accountId: id, async claims() { return claims; } };
  },
});
const tls = { key: readFileSync(process.env.TLS_KEY), cert: readFileSync(process.env.TLS_CERT) };
createServer(tls, provider.callback()).listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
EOF
}

# Running = the PID in $PIDFILE is alive AND its command line names $STATE (so a stale PID file,
# after a reboot or PID reuse, never makes us signal someone else's process).
answers() { [ "$(curl -s --cacert "$TLS/ca.pem" -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/.well-known/openid-configuration")" = 200 ]; }

endpoints() {
  cat <<EOF
oidc-provider $(node -p "require('$STATE/node_modules/oidc-provider/package.json').version" 2>/dev/null) (node $(node --version)) on $BASE (pid $(cat "$PIDFILE" 2>/dev/null))
  TLS trust anchor         $TLS/ca.pem
  OIDC discovery           $BASE/.well-known/openid-configuration
  OIDC JWKS                $BASE/jwks
  authorization            $BASE/auth   (dev login page: any login/password; then a consent page)
  token / userinfo         $BASE/token  /  $BASE/me
  end session              $BASE/session/end
  OIDC client              client_id=sdet-audit client_secret=sdet-secret redirect_uri=$APP/oidc/callback
  user with claims         eleve1 (any password)
  state, logs              $STATE
EOF
}

env_lines() {
  cat <<EOF
export SDET_PEER_OIDCP_ISSUER=$BASE
export SDET_PEER_OIDCP_CA=$TLS/ca.pem
export SDET_PEER_OIDC_CLIENT_ID=sdet-audit
export SDET_PEER_OIDC_CLIENT_SECRET=sdet-secret
export SDET_PEER_OIDC_REDIRECT_URI=$APP/oidc/callback
EOF
}

start() {
  mkdir -p "$STATE"
  if is_running && answers && same_config; then log "already running"; endpoints; return 0; fi
  if is_running; then log "restarting the server found in $STATE (other configuration, or not answering)"; stop; fi
  require_free_port "$PORT" OIDCP_PORT
  claim_state
  install_npm
  make_tls
  write_server
  echo "$FINGERPRINT" >"$STATE/config.fingerprint"
  log "starting node (HTTPS) on $HOST:$PORT"
  (cd "$STATE" && PORT="$PORT" APP="$APP" KEY_FILE="$STATE/jwks.json" TLS_KEY="$TLS/key.pem" \
     TLS_CERT="$TLS/cert.pem" exec setsid node "$STATE/server.mjs") >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + WAIT_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if is_running && answers; then endpoints; return 0; fi
    alive || { tail -30 "$LOG" >&2; die "server died"; }
    sleep 0.5
  done
  tail -30 "$LOG" >&2; stop; log "no answer after $WAIT_SECONDS s"; exit 1
}

dispatch "${1:-}"
