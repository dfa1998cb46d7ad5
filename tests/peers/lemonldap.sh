#!/usr/bin/env bash
# LemonLDAP::NG (Debian 12 packages) as a real CAS server + SAML 2.0 IdP + OpenID Connect OP for
# the sdet-audit integration tests, on https://127.0.0.1:8480 only (Starman's own TLS listener, a
# private CA made here: trust $STATE/tls/ca.pem), with the built-in "Demo" user base (dwho/dwho,
# rtyler/rtyler, msmith/msmith) and the SDET identity vector as constant macros.
# LemonLDAP::NG refuses back-channel requests that carry the browser's SSO cookie (a redirect to
# the portal, or 400 "This endpoint is not supposed to be called by authenticated users"): what
# tests/it/sso_lemonldap.rs checks the probes get right.
# Adapted from the team's reference script (../shared/peers/lemonldap.sh): HTTPS, tests/peers/lib.sh
# conventions, `env`, a server found running is reused only if this very script configured it.
#
#   tests/peers/lemonldap.sh start | stop | status | endpoints | env
#
# Environment: LLNG_PORT (default 8480), SDET_PEERS_STATE (default target/sdet-peers in this
# checkout), LLNG_WAIT_SECONDS (default 60). Needs root (or sudo) for the first `apt-get install`
# (about 60 s), openssl, curl.
set -euo pipefail

PORT="${LLNG_PORT:-8480}"
HOST=127.0.0.1
BASE="https://$HOST:$PORT"
STATE="${SDET_PEERS_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/sdet-peers}/lemonldap"
PIDFILE="$STATE/server.pid"
LOG="$STATE/server.log"
# The client application registered for CAS / OIDC / SAML (nothing needs to listen there).
APP="http://$HOST:8999"
AUTH=demo
LDAP_URI=unused
CAS_POLICY=none
TLS="$STATE/tls"
WAIT_SECONDS="${LLNG_WAIT_SECONDS:-60}"
FINGERPRINT="$(sha256sum <"${BASH_SOURCE[0]}" | cut -c1-16)"
PEER=lemonldap
# shellcheck source=tests/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

same_config() { [ "$(cat "$STATE/config.fingerprint" 2>/dev/null)" = "$FINGERPRINT" ]; }

PACKAGES=(
  liblemonldap-ng-portal-perl lemonldap-ng-uwsgi-app starman
  liblasso-perl libglib-perl libxml-simple-perl libxml-libxml-perl libsoap-lite-perl
  libcrypt-openssl-bignum-perl libstring-random-perl libdigest-hmac-perl
  libgd-securityimage-perl libimage-magick-perl libemail-sender-perl
  libconvert-base32-perl libio-string-perl libmime-tools-perl libnet-ldap-perl libipc-run-perl
  libunicode-string-perl libapache-session-browseable-perl libcookie-baker-xs-perl
  libhttp-parser-xs-perl liblwp-protocol-https-perl libio-socket-timeout-perl curl openssl
)

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${#missing[@]} Debian packages: ${missing[*]}"
  local t0=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >"${STATE}/apt.log" 2>&1; then
    as_root apt-get update -q >>"${STATE}/apt.log" 2>&1
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >>"${STATE}/apt.log" 2>&1 \
      || { tail -20 "${STATE}/apt.log" >&2; exit 1; }
  fi
  log "packages installed in $((SECONDS - t0)) s"
}

make_keys() {
  mkdir -p "$STATE/keys"
  cd "$STATE/keys"
  if [ ! -s saml.key ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout saml.pk8 -out saml.crt -days 3650 \
      -subj "/CN=LemonLDAP-NG SAML IdP $HOST" 2>/dev/null
    openssl rsa -in saml.pk8 -traditional -out saml.key 2>/dev/null && rm -f saml.pk8
  fi
  if [ ! -s oidc.key ]; then
    openssl genrsa -traditional -out oidc.key 2048 2>/dev/null
    openssl rsa -in oidc.key -pubout -out oidc.pub 2>/dev/null
  fi
  cd - >/dev/null
}

write_config() {
  mkdir -p "$STATE"/{conf,sessions/lock,psessions/lock,cache,notifications,captcha}
  cat >"$STATE/lemonldap-ng.ini" <<EOF
[all]
logLevel = notice
checkTime = 1
[configuration]
type = File
dirName = $STATE/conf
prettyPrint = 1
localStorage = Cache::FileCache
localStorageOptions = { 'namespace' => 'lemonldap-ng-config', 'default_expires_in' => 600, 'directory_umask' => '007', 'cache_root' => '$STATE/cache', 'cache_depth' => 3 }
[portal]
staticPrefix = /static
templateDir  = /usr/share/lemonldap-ng/portal/templates
languages    = fr, en
[handler]
status = 0
useRedirectOnError = 1
EOF
  # SAML 2.0 SP registered at the IdP, so a real AuthnRequest -> Response round trip works.
  cat >"$STATE/sp-metadata.xml" <<EOF
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
  STATE="$STATE" BASE="$BASE" APP="$APP" AUTH="$AUTH" LDAP_URI="$LDAP_URI" CAS_POLICY="$CAS_POLICY" perl -MJSON -e '
    use strict; use warnings;
    my ($state, $base, $app) = @ENV{qw(STATE BASE APP)};
    sub slurp { open my $h, "<", $_[0] or die "$_[0]: $!"; local $/; my $s = <$h>; $s }
    my $c = {
      cfgNum => 1, cfgAuthor => "sdet-audit peers", cfgDate => time, cfgVersion => "2.16.1",
      portal => "$base/", domain => "127.0.0.1", securedCookie => 1, cookieName => "lemonldap",
      authentication => "Demo", userDB => "Same", passwordDB => "Demo",
      demoExportedVars => { cn => "cn", mail => "mail", uid => "uid" },
      exportedVars => {}, groups => {}, whatToTrace => "uid",
      # The SDET identity vector, as an ENT computes it from its annuaire (constants for the
      # built-in Demo users), released on p3/serviceValidate as the CAS of an ENT does.
      macros => { ENTPersonProfils => q{"National_1"}, ENTPersonStructRattach => q{"0750001A"},
                  ENTEleveClasses => q{"0750001A$2NDE1"} },
      locationRules => { "127.0.0.1" => { default => "accept" } },
      globalStorage => "Apache::Session::File",
      globalStorageOptions => { Directory => "$state/sessions", LockDirectory => "$state/sessions/lock",
        generateModule => "Lemonldap::NG::Common::Apache::Session::Generate::SHA256" },
      persistentStorage => "Apache::Session::File",
      persistentStorageOptions => { Directory => "$state/psessions", LockDirectory => "$state/psessions/lock" },
      localSessionStorage => "Cache::FileCache",
      localSessionStorageOptions => { cache_root => "$state/cache", cache_depth => 3,
        default_expires_in => 600, directory_umask => "007", namespace => "lemonldap-ng-sessions" },
      notification => 0, reloadUrls => {}, timeout => 72000, portalSkin => "bootstrap",

      # --- CAS server (CAS 1.0 /validate, 2.0 /serviceValidate, 3.0 /p3/serviceValidate, /logout)
      issuerDBCASActivation => 1, issuerDBCASPath => "^/cas/",
      casAttr => "uid", casAccessControlPolicy => $ENV{CAS_POLICY},
      casAttributes => { cn => "cn", mail => "mail", uid => "uid", ENTPersonProfils => "ENTPersonProfils",
        ENTPersonStructRattach => "ENTPersonStructRattach", ENTEleveClasses => "ENTEleveClasses" },
      casAppMetaDataOptions => { sdetapp => { casAppMetaDataOptionsService => "$app/" } },
      casAppMetaDataExportedVars => { sdetapp => { cn => "cn", mail => "mail", uid => "uid",
        ENTPersonProfils => "ENTPersonProfils", ENTPersonStructRattach => "ENTPersonStructRattach",
        ENTEleveClasses => "ENTEleveClasses" } },

      # --- SAML 2.0 IdP (metadata at /saml/metadata, SSO at /saml/singleSignOn)
      issuerDBSAMLActivation => 1,
      samlServicePrivateKeySig => slurp("$state/keys/saml.key"),
      samlServicePublicKeySig  => slurp("$state/keys/saml.crt"),
      samlServicePrivateKeyEnc => slurp("$state/keys/saml.key"),
      samlServicePublicKeyEnc  => slurp("$state/keys/saml.crt"),
      samlServiceUseCertificateInResponse => 1,
      samlSPMetaDataXML => { sdetsp => { samlSPMetaDataXML => slurp("$state/sp-metadata.xml") } },
      samlSPMetaDataOptions => { sdetsp => {
        samlSPMetaDataOptionsCheckSSOMessageSignature => 0,
        samlSPMetaDataOptionsCheckSLOMessageSignature => 0,
        samlSPMetaDataOptionsSignSSOMessage => 1,
        samlSPMetaDataOptionsNameIDFormat => "transient",
        samlSPMetaDataOptionsEncryptionMode => "none" } },
      samlSPMetaDataExportedAttributes => { sdetsp => {
        uid  => "1;uid;urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
        mail => "0;mail;urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
        cn   => "0;cn;urn:oasis:names:tc:SAML:2.0:attrname-format:basic" } },

      # --- OpenID Connect OP (discovery at /.well-known/openid-configuration, JWKS at /oauth2/jwks)
      issuerDBOpenIDConnectActivation => 1,
      oidcServicePrivateKeySig => slurp("$state/keys/oidc.key"),
      oidcServicePublicKeySig  => slurp("$state/keys/oidc.pub"),
      oidcServiceKeyIdSig => "sdet-peer-key-1",
      oidcRPMetaDataOptions => { sdetrp => {
        oidcRPMetaDataOptionsClientID => "sdet-audit",
        oidcRPMetaDataOptionsClientSecret => "sdet-secret",
        oidcRPMetaDataOptionsRedirectUris => "$app/oidc/callback",
        oidcRPMetaDataOptionsIDTokenSignAlg => "RS256",
        oidcRPMetaDataOptionsBypassConsent => 1, oidcRPMetaDataOptionsPublic => 0 } },
      oidcRPMetaDataExportedVars => { sdetrp => { email => "mail", name => "cn", preferred_username => "uid" } },
    };
    if (($ENV{AUTH} // "demo") eq "ldap") {
      # Users, passwords and attributes from the slapd peer (peers/slapd.sh), like an ENT annuaire.
      $c->{authentication} = "LDAP"; $c->{userDB} = "Same"; $c->{passwordDB} = "LDAP";
      $c->{ldapServer} = $ENV{LDAP_URI}; $c->{ldapBase} = "ou=people,dc=ent-test,dc=fr";
      $c->{managerDn} = "cn=admin,dc=ent-test,dc=fr"; $c->{managerPassword} = "admin-secret";
      $c->{AuthLDAPFilter} = q{(&(uid=$user)(objectClass=inetOrgPerson))};
      $c->{ldapExportedVars} = { uid => "uid", cn => "cn", mail => "mail", sn => "sn",
                                 givenName => "givenName", employeeType => "employeeType" };
      $c->{casAttributes}{employeeType} = "employeeType";
      $c->{casAppMetaDataExportedVars}{sdetapp}{employeeType} = "employeeType";
    }
    open my $o, ">", "$state/conf/lmConf-1.json.tmp" or die $!;
    print $o JSON->new->pretty->canonical->encode($c); close $o;
    rename "$state/conf/lmConf-1.json.tmp", "$state/conf/lmConf-1.json" or die $!;
  '
  # Stale cached configuration would hide the new one.
  rm -rf "$STATE/cache"/* 2>/dev/null || true
  cat >"$STATE/app.psgi" <<'EOF'
use strict;
use Plack::Builder;
use Lemonldap::NG::Portal::Main;
my $portal = Lemonldap::NG::Portal::Main->run( {} );
builder {
    enable 'Static', path => qr{^/static/}, root => '/usr/share/lemonldap-ng/portal/htdocs/';
    $portal;
};
EOF
}

answers() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$TLS/ca.pem" \
    "$BASE/.well-known/openid-configuration")" = 200 ]
}

endpoints() {
  cat <<EOT
LemonLDAP::NG $(dpkg-query -W -f='${Version}' liblemonldap-ng-portal-perl 2>/dev/null) on $BASE (pid $(cat "$PIDFILE" 2>/dev/null))
  CAS                      $BASE/cas/ (service $APP/)
  SAML 2.0 IdP metadata    $BASE/saml/metadata/idp  (SP $APP/saml/sp, ACS $APP/saml/acs)
  OIDC issuer              $BASE  (client sdet-audit / sdet-secret, redirect $APP/oidc/callback)
  users                    dwho/dwho rtyler/rtyler msmith/msmith
  CA, state, logs          $TLS/ca.pem, $STATE
EOT
}

env_lines() {
  cat <<EOT
export SDET_PEER_LLNG_BASE=$BASE
export SDET_PEER_LLNG_CA=$TLS/ca.pem
export SDET_PEER_LLNG_SERVICE=$APP/
export SDET_PEER_LLNG_USER=dwho
export SDET_PEER_LLNG_PASSWORD=dwho
export SDET_PEER_LLNG_SAML_METADATA=$BASE/saml/metadata/idp
export SDET_PEER_LLNG_SAML_SP=$APP/saml/sp
export SDET_PEER_LLNG_SAML_ACS=$APP/saml/acs
export SDET_PEER_LLNG_OIDC_CLIENT_ID=sdet-audit
export SDET_PEER_LLNG_OIDC_CLIENT_SECRET=sdet-secret
export SDET_PEER_LLNG_OIDC_REDIRECT_URI=$APP/oidc/callback
EOT
}

start() {
  mkdir -p "$STATE"
  if is_running && answers && same_config; then log "already running"; endpoints; return 0; fi
  if is_running; then log "restarting the server found in $STATE (other configuration, or not answering)"; stop; fi
  require_free_port "$PORT" LLNG_PORT
  claim_state
  install_packages
  make_tls
  make_keys
  write_config
  echo "$FINGERPRINT" >"$STATE/config.fingerprint"
  log "starting Starman (HTTPS) on $HOST:$PORT"
  (
    cd "$STATE"
    LLNG_DEFAULTCONFFILE="$STATE/lemonldap-ng.ini" exec setsid starman --listen "$HOST:$PORT:ssl" \
      --enable-ssl --ssl-cert "$TLS/cert.pem" --ssl-key "$TLS/key.pem" \
      --workers 2 --preload-app "$STATE/app.psgi"
  ) >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + WAIT_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if is_running && answers; then endpoints; return 0; fi
    alive || { tail -30 "$LOG" >&2; die "server died"; }
    if grep -q 'Initialization failed' "$LOG"; then
      grep -v 'Error 500' "$LOG" | head -30 >&2; stop; die "portal initialization failed (see $LOG)"
    fi
    sleep 0.5
  done
  tail -30 "$LOG" >&2; stop; log "no answer after $WAIT_SECONDS s"; exit 1
}

dispatch "${1:-}"
