#!/usr/bin/env bash
# SATOSA (PyPI; pysaml2 + pyop inside) as a real SAML 2.0 IdP and OpenID Connect OP for the
# sdet-audit integration tests, on https://127.0.0.1:8482 only (pyop refuses a non-HTTPS issuer).
# TLS uses a private CA made here: trust $STATE/tls/ca.crt. Backend: SATOSA's ReflectorBackend (no
# login page: every request is authenticated at once), plus static attributes for a pupil.
# Adapted from the team's reference peer scripts (../shared/peers/satosa.sh): `env` added, a server
# found running is reused only if this very script configured it.
#
#   tests/peers/satosa.sh start | stop | status | endpoints | env | transcript
#
# Environment: SATOSA_PORT (default 8482), SDET_PEERS_STATE (default target/sdet-peers in this checkout), PYTHON (python3),
# SATOSA_WAIT_SECONDS (default 90). Needs python3 with venv, pip reaching PyPI, openssl, curl, and
# xmlsec1 (Debian package; installed here with apt-get when missing, and by .ci/run).
set -euo pipefail

PORT="${SATOSA_PORT:-8482}"
HOST=127.0.0.1
BASE="https://$HOST:$PORT"
STATE="${SDET_PEERS_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/sdet-peers}/satosa"
PIDFILE="$STATE/server.pid"
LOG="$STATE/server.log"
PY="${PYTHON:-python3}"
VENV="$STATE/venv"
APP="http://$HOST:8999"
CA="$STATE/tls/ca.crt"
REQUIREMENTS=("SATOSA==8.6.0" "pysaml2==7.5.5" "pyop==3.5.0" "oic==1.7.0" "gunicorn==27.0.1")
WAIT_SECONDS="${SATOSA_WAIT_SECONDS:-90}"
# A server found running is reused only if this script, as it is now, configured it.
FINGERPRINT="$(sha256sum <"${BASH_SOURCE[0]}" | cut -c1-16)"
PEER=satosa
# shellcheck source=tests/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

same_config() { [ "$(cat "$STATE/config.fingerprint" 2>/dev/null)" = "$FINGERPRINT" ]; }


install_all() {
  if ! command -v xmlsec1 >/dev/null; then
    log "installing xmlsec1 (pysaml2 signs with it)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get install -y -q --no-install-recommends xmlsec1 >"$STATE/apt.log" 2>&1 \
      || { as_root apt-get update -q >>"$STATE/apt.log" 2>&1
           as_root apt-get install -y -q --no-install-recommends xmlsec1 >>"$STATE/apt.log" 2>&1; } \
      || { tail -20 "$STATE/apt.log" >&2; exit 1; }
  fi
  if [ -x "$VENV/bin/gunicorn" ] && "$VENV/bin/python" -c 'import satosa' 2>/dev/null; then return 0; fi
  local t0=$SECONDS
  log "creating venv and installing ${REQUIREMENTS[*]}"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${REQUIREMENTS[@]}" >"$STATE/pip.log" 2>&1 \
    || { tail -20 "$STATE/pip.log" >&2; exit 1; }
  log "installed in $((SECONDS - t0)) s"
}

make_keys() {
  mkdir -p "$STATE/tls" "$STATE/keys"
  if [ ! -s "$STATE/tls/server.crt" ]; then
    (cd "$STATE/tls"
     openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
       -subj "/CN=sdet-audit test CA" 2>/dev/null
     openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
     printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >server.ext
     openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 3650 \
       -extfile server.ext 2>/dev/null)
  fi
  if [ ! -s "$STATE/keys/saml.key" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$STATE/keys/saml.key" -out "$STATE/keys/saml.crt" \
      -days 3650 -subj "/CN=SATOSA SAML IdP $HOST" 2>/dev/null
    openssl genrsa -out "$STATE/keys/oidc.key" 2048 2>/dev/null
  fi
}

write_config() {
  local S="$STATE"
  cat >"$S/sp-metadata.xml" <<EOF
<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="$APP/saml/sp">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true"
      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        Location="$APP/saml/acs" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
EOF
  cat >"$S/proxy_conf.yaml" <<EOF
BASE: $BASE
COOKIE_STATE_NAME: SATOSA_STATE
STATE_ENCRYPTION_KEY: sdet-audit-test-peer-state-key-not-secret
INTERNAL_ATTRIBUTES: $S/internal_attributes.yaml
BACKEND_MODULES: [$S/reflector_backend.yaml]
FRONTEND_MODULES: [$S/saml2_frontend.yaml, $S/oidc_frontend.yaml]
MICRO_SERVICES: [$S/static_attributes.yaml]
LOGGING:
  version: 1
  formatters: {simple: {format: "[%(asctime)s] [%(levelname)s] [%(name)s]: %(message)s"}}
  handlers: {stdout: {class: logging.StreamHandler, stream: "ext://sys.stdout", level: INFO, formatter: simple}}
  loggers: {satosa: {level: INFO}, saml2: {level: WARNING}}
  root: {level: INFO, handlers: [stdout]}
EOF
  cat >"$S/internal_attributes.yaml" <<'EOF'
attributes:
  uid: {openid: [preferred_username], saml: [uid]}
  mail: {openid: [email], saml: [mail]}
  givenname: {openid: [given_name], saml: [givenName]}
  surname: {openid: [family_name], saml: [sn]}
  displayname: {openid: [name], saml: [displayName]}
EOF
  cat >"$S/reflector_backend.yaml" <<'EOF'
module: satosa.backends.reflector.ReflectorBackend
name: reflector
config: {}
EOF
  cat >"$S/static_attributes.yaml" <<'EOF'
module: satosa.micro_services.attribute_modifications.AddStaticAttributes
name: StaticAttributes
config:
  static_attributes:
    uid: [eleve1]
    mail: [eleve1@college.example.fr]
    givenname: [Camille]
    surname: [Martin]
    displayname: [Camille MARTIN]
EOF
  cat >"$S/saml2_frontend.yaml" <<EOF
module: satosa.frontends.saml2.SAMLFrontend
name: Saml2IDP
config:
  entityid_endpoint: true
  idp_config:
    entityid: $BASE/Saml2IDP/proxy.xml
    organization: {display_name: sdet-audit test IdP, name: sdet-audit, url: "$BASE"}
    contact_person:
      - {contact_type: technical, email_address: "mailto:technical@example.org", given_name: Technical}
    key_file: $S/keys/saml.key
    cert_file: $S/keys/saml.crt
    xmlsec_binary: $(command -v xmlsec1)
    metadata:
      local: [$S/sp-metadata.xml]
    service:
      idp:
        endpoints:
          single_sign_on_service: []
        name: SATOSA SAML 2.0 IdP (reflector)
        name_id_format: ['urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
                         'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent']
        policy:
          default:
            attribute_restrictions: null
            fail_on_missing_requested: false
            lifetime: {minutes: 15}
            name_form: urn:oasis:names:tc:SAML:2.0:attrname-format:uri
            sign_response: true
            sign_assertion: true
  endpoints:
    single_sign_on_service:
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST': sso/post
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect': sso/redirect
EOF
  cat >"$S/clients.json" <<EOF
{"sdet-audit": {"client_id": "sdet-audit", "client_secret": "sdet-secret",
  "redirect_uris": ["$APP/oidc/callback"], "response_types": ["code"],
  "token_endpoint_auth_method": "client_secret_basic"}}
EOF
  cat >"$S/oidc_frontend.yaml" <<EOF
module: satosa.frontends.openid_connect.OpenIDConnectFrontend
name: OIDC
config:
  signing_key_path: $S/keys/oidc.key
  signing_key_id: satosa-oidc-key-1
  client_db_path: $S/clients.json
  sub_hash_salt: sdet-not-secret-salt
  provider:
    client_registration_supported: false
    response_types_supported: ["code"]
    subject_types_supported: ["public"]
    scopes_supported: ["openid", "email", "profile"]
EOF
}

# Running = the PID in $PIDFILE is alive AND its command line names $STATE (so a stale PID file,
# after a reboot or PID reuse, never makes us signal someone else's process).
answers() {
  [ "$(curl -s --cacert "$CA" -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/.well-known/openid-configuration")" = 200 ]
}

endpoints() {
  cat <<EOF
SATOSA $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("SATOSA"), "(pysaml2", m.version("pysaml2") + ", pyop", m.version("pyop") + ")")' 2>/dev/null) on $BASE (pid $(cat "$PIDFILE" 2>/dev/null))
  TLS trust anchor         $CA   (server cert: SAN IP:127.0.0.1, DNS:localhost)
  SAML 2.0 IdP metadata    $BASE/Saml2IDP/proxy.xml
  SAML 2.0 SSO             $BASE/reflector/sso/redirect (HTTP-Redirect), $BASE/reflector/sso/post (HTTP-POST)
  SAML SP registered       $APP/saml/sp  (ACS $APP/saml/acs)
  OIDC discovery           $BASE/.well-known/openid-configuration
  OIDC JWKS                $BASE/OIDC/jwks
  OIDC client              client_id=sdet-audit client_secret=sdet-secret redirect_uri=$APP/oidc/callback
  user                     none needed: the reflector backend answers every request (uid eleve1 attributes)
  state, logs              $STATE
EOF
}

env_lines() {
  cat <<EOF
export SDET_PEER_SAML_METADATA_URL=$BASE/Saml2IDP/proxy.xml
export SDET_PEER_SAML_ENTITY_ID=$BASE/Saml2IDP/proxy.xml
export SDET_PEER_SATOSA_CA=$CA
export SDET_PEER_SATOSA_OIDC_ISSUER=$BASE
export SDET_PEER_SAML_SP_ENTITY_ID=$APP/saml/sp
export SDET_PEER_SAML_SP_ACS=$APP/saml/acs
export SDET_PEER_OIDC_CLIENT_ID=sdet-audit
export SDET_PEER_OIDC_CLIENT_SECRET=sdet-secret
export SDET_PEER_OIDC_REDIRECT_URI=$APP/oidc/callback
EOF
}

start() {
  mkdir -p "$STATE"
  if is_running && answers && same_config; then log "already running"; endpoints; return 0; fi
  if is_running; then log "restarting the server found in $STATE (other configuration, or not answering)"; stop; fi
  require_free_port "$PORT" SATOSA_PORT
  claim_state
  install_all
  make_keys
  write_config
  echo "$FINGERPRINT" >"$STATE/config.fingerprint"
  log "starting gunicorn (1 process, 4 threads: pyop keeps codes in memory) on $HOST:$PORT"
  (cd "$STATE" && SATOSA_CONFIG="$STATE/proxy_conf.yaml" exec setsid "$VENV/bin/gunicorn" \
     -b "$HOST:$PORT" -w 1 --threads 4 --certfile "$STATE/tls/server.crt" --keyfile "$STATE/tls/server.key" \
     satosa.wsgi:app) >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + WAIT_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if is_running && answers; then endpoints; return 0; fi
    alive || { tail -30 "$LOG" >&2; die "server died"; }
    sleep 0.5
  done
  tail -30 "$LOG" >&2; stop; log "no answer after $WAIT_SECONDS s"; exit 1
}

form_field() { grep -oE "name=\"$1\" value=\"[^\"]*\"" | head -1 | sed 's/.*value="//;s/"$//'; }

transcript() {
  local c=(curl -sS --cacert "$CA")
  echo "### SAML 1. IdP metadata: entityID, SSO services, signing certificate present"
  "${c[@]}" "$BASE/Saml2IDP/proxy.xml" | grep -oE 'entityID="[^"]*"|<ns0:SingleSignOnService [^>]*>|WantAuthnRequestsSigned="[^"]*"|<ns[0-9]:X509Certificate>.{20}' 
  local req; req="$("$VENV/bin/python" - "$BASE/reflector/sso/redirect" "$APP/saml/sp" "$APP/saml/acs" <<'EOF'
import base64, datetime, secrets, sys, urllib.parse, zlib
idp, sp, acs = sys.argv[1:]
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
xml = (f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
       f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_sdet{secrets.token_hex(16)}" Version="2.0" '
       f'IssueInstant="{now}" Destination="{idp}" AssertionConsumerServiceURL="{acs}" '
       f'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>{sp}</saml:Issuer>'
       f'<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient" AllowCreate="true"/>'
       f'</samlp:AuthnRequest>')
c = zlib.compressobj(9, zlib.DEFLATED, -15)
print(urllib.parse.quote(base64.b64encode(c.compress(xml.encode()) + c.flush()).decode(), safe=""))
EOF
)"
  echo; echo "### SAML 2. GET /reflector/sso/redirect?SAMLRequest=<AuthnRequest from $APP/saml/sp> -> auto-submit form"
  local resp; resp="$("${c[@]}" "$BASE/reflector/sso/redirect?SAMLRequest=$req&RelayState=sdet")"
  grep -oE '<form[^>]*>|<input[^>]*name="RelayState"[^>]*>' <<<"$resp"
  echo; echo "### SAML 3. decoded SAMLResponse (key elements)"
  form_field SAMLResponse <<<"$resp" | "$VENV/bin/python" -c '
import base64, html, sys, xml.etree.ElementTree as ET
root = ET.fromstring(base64.b64decode(html.unescape(sys.stdin.read())))
for el in root.iter():
    tag = el.tag.split("}")[1]
    if tag in ("Issuer", "StatusCode", "NameID", "Audience", "Attribute", "AttributeValue", "SignatureMethod"):
        print(tag, el.get("Value") or el.get("FriendlyName") or el.get("Algorithm") or "", (el.text or "").strip())'
  echo; echo "### OIDC 1. discovery"
  "${c[@]}" "$BASE/.well-known/openid-configuration"; echo
  echo; echo "### OIDC 2. JWKS"
  "${c[@]}" "$BASE/OIDC/jwks" | cut -c1-160; echo
  echo; echo "### OIDC 3. authorization request (code flow) -> redirect with code (no login: reflector)"
  local loc; loc="$("${c[@]}" -D - -o /dev/null "$BASE/reflector/OIDC/authorization?response_type=code&client_id=sdet-audit&scope=openid%20email%20profile&redirect_uri=$("$VENV/bin/python" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$APP/oidc/callback")&state=st123&nonce=n456" | grep -i '^Location:' | tr -d '\r')"
  echo "$loc"
  local code; code="$(grep -oE '[?&]code=[^&]+' <<<"$loc" | cut -d= -f2)"
  echo; echo "### OIDC 4. token request (client_secret_basic) -> id_token (decoded)"
  local tok; tok="$("${c[@]}" -u sdet-audit:sdet-secret -d grant_type=authorization_code -d "code=$code" \
    --data-urlencode "redirect_uri=$APP/oidc/callback" "$BASE/OIDC/token")"
  "$VENV/bin/python" -c '
import base64, json, sys
t = json.loads(sys.argv[1])
for part in t["id_token"].split(".")[:2]:
    print(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode())' "$tok"
  echo; echo "### OIDC 5. userinfo"
  "${c[@]}" -H "Authorization: Bearer $("$VENV/bin/python" -c 'import json,sys; print(json.loads(sys.argv[1])["access_token"])' "$tok")" "$BASE/OIDC/userinfo"; echo
}

dispatch "${1:-}" transcript
