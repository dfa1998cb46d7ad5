#!/usr/bin/env bash
# Record real django-cas-server answers as fixtures: one folder per case under OUTDIR, each with the
# response body, headers.txt (status line + headers, CR stripped) and a generated README.md.
# Drives the server started by tests/peers/django-cas-server.sh with curl only.
#
#   bash tests/peers/django-cas-server.sh start
#   bash tests/peers/capture-cas-fixtures.sh fixtures/cas      (overwrites the case folders it writes)
#
# Environment: DCS_PORT (default 8481), SDET_PEERS_STATE (default target/sdet-peers in this checkout).
set -euo pipefail

OUT="${1:?usage: $0 OUTDIR (e.g. fixtures/cas)}"
PORT="${DCS_PORT:-8481}"
B="https://127.0.0.1:$PORT/cas"
S="https://127.0.0.1:8999/"
EVIL="http://evil.example.org/"
STATE="${SDET_PEERS_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/sdet-peers}/django-cas-server"
# The peer serves HTTPS with a private CA; curl trusts it through this variable. Django's CSRF check
# over HTTPS also wants a same-origin Referer on form posts, as a browser sends.
export CURL_CA_BUNDLE="$STATE/tls/ca.pem"
REFERER="$B/login?service=$S"
VERSIONS="$("$STATE/venv/bin/python" -c 'import importlib.metadata as m; print("django-cas-server", m.version("django-cas-server") + ", Django", m.version("Django"))')"
DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
JAR="$WORK/jar"

mkdir -p "$OUT"
log() { printf '[capture] %s\n' "$*" >&2; }

# req CASE BODYFILE DESCRIPTION curl-args... : run one request, keep body + headers, remember the request.
req() {
  local case="$1" body="$2" desc="$3"; shift 3
  mkdir -p "$OUT/$case"
  local hdr="$OUT/$case/headers.txt"
  local bodypath="$WORK/body"
  curl -sS -D "$WORK/h" -o "$bodypath" "$@"
  tr -d '\r' <"$WORK/h" >"$hdr"
  if [ -n "$body" ]; then cp "$bodypath" "$OUT/$case/$body"; fi
  printf '%s\n' "$desc" >"$WORK/$case.req"
  log "$case: $(head -1 "$hdr")"
}
status_of() { head -1 "$OUT/$1/headers.txt"; }
header_of() { grep -i "^$2:" "$OUT/$1/headers.txt" | head -1 | cut -d' ' -f2- || true; }
field() { grep -oE "name=\"$1\" value=\"[^\"]*\"" "$2" | head -1 | sed 's/.*value="//;s/"$//'; }
ticket_from() { grep -i '^Location:' "$OUT/$1/headers.txt" | grep -oE 'ticket=[^&[:space:]]+' | cut -d= -f2; }

# readme CASE TITLE PROVES
readme() {
  local case="$1" title="$2" proves="$3"
  {
    echo "# $title"
    echo
    echo "Recorded from a real **$VERSIONS** (PyPI) on $DATE, started by"
    echo "\`tests/peers/django-cas-server.sh start\` (127.0.0.1:$PORT, user \`eleve1\`, service pattern"
    echo "\`^https?://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?(/.*)?\$\`), by"
    echo "\`bash tests/peers/capture-cas-fixtures.sh fixtures/cas\`."
    echo
    echo "Request: $(cat "$WORK/$case.req")"
    echo
    echo "Observed: \`$(status_of "$case")\`, Content-Type \`$(header_of "$case" Content-Type)\`" \
         "(all response headers in \`headers.txt\`, CR stripped)."
    echo
    echo "What it proves:"
    echo
    printf '%s\n' "$proves"
  } >"$OUT/$case/README.md"
}

# ---------------------------------------------------------------- anonymous: login form, gateway
rm -f "$JAR"
req login-form login.html "\`GET $B/login?service=$S\` with no cookie." -c "$JAR" -b "$JAR" "$B/login?service=$S"
cp "$OUT/login-form/login.html" "$WORK/form.html"

req login-gateway-anonymous "" "\`GET $B/login?service=$S&gateway=true\` with no CAS session." \
  "$B/login?service=$S&gateway=true"

# ---------------------------------------------------------------- wrong password
post_login() { # post_login CASE PASSWORD FORMFILE
  req "$1" "${4:-}" "\`POST $B/login?service=$S\` (form-urlencoded: csrfmiddlewaretoken, lt, service, renew=False, username=eleve1, password=$2; cookies from the login form; Referer $B/login)" \
    -c "$JAR" -b "$JAR" -H "Referer: $B/login" \
    --data-urlencode "csrfmiddlewaretoken=$(field csrfmiddlewaretoken "$3")" \
    --data-urlencode "lt=$(field lt "$3")" --data-urlencode "service=$S" --data-urlencode renew=False \
    --data-urlencode username=eleve1 --data-urlencode "password=$2" -e "$REFERER" "$B/login?service=$S"
}
post_login login-wrong-password "wrong-password" "$WORK/form.html" wrong-password.html
cp "$OUT/login-wrong-password/wrong-password.html" "$WORK/form2.html"

# ---------------------------------------------------------------- right password -> ST, CAS 2 validate, replay
post_login login-success-redirect "eleve1-pass" "$WORK/form2.html"
ST1="$(ticket_from login-success-redirect)"
[ -n "$ST1" ] || { log "no ticket in the Location header"; exit 1; }
printf '%s\n' "$ST1" >"$OUT/login-success-redirect/ticket.txt"

req service-validate-success response.xml "\`GET $B/serviceValidate?service=$S&ticket=<ST from login-success-redirect>\` (CAS 2.0), right after the login." \
  "$B/serviceValidate?service=$S&ticket=$ST1"
req replayed-ticket response.xml "the same \`GET $B/serviceValidate?service=$S&ticket=<same ST>\` a second time." \
  "$B/serviceValidate?service=$S&ticket=$ST1"

# ---------------------------------------------------------------- SSO -> ST, CAS 3 validate
sso_ticket() { # sso_ticket CASE: GET /login with the session cookie, keep headers in CASE/login-headers.txt
  mkdir -p "$OUT/$1"
  curl -sS -D "$WORK/sso" -o /dev/null -c "$JAR" -b "$JAR" "$B/login?service=$S"
  tr -d '\r' <"$WORK/sso" >"$OUT/$1/login-headers.txt"
  grep -i '^Location:' "$OUT/$1/login-headers.txt" | grep -oE 'ticket=[^&[:space:]]+' | cut -d= -f2
}
ST2="$(sso_ticket p3-success-attributes)"
req p3-success-attributes response.xml "\`GET $B/p3/serviceValidate?service=$S&ticket=<ST>\` (CAS 3.0), the ST obtained by SSO (\`GET $B/login?service=$S\` with the session cookie: headers in \`login-headers.txt\`)." \
  "$B/p3/serviceValidate?service=$S&ticket=$ST2"

INVENTED="ST-sdetAuditInventedTicket0000000000000000000000000000000000000"
req invalid-ticket response.xml "\`GET $B/p3/serviceValidate?service=$S&ticket=$INVENTED\` (an invented ticket of the real length, never issued); \`response-cas2.xml\` is the same on \`$B/serviceValidate\`; \`response-no-prefix.xml\` is \`ticket=not-a-cas-ticket\` (no \`ST-\` prefix) on p3." \
  "$B/p3/serviceValidate?service=$S&ticket=$INVENTED"
curl -sS -o "$OUT/invalid-ticket/response-cas2.xml" "$B/serviceValidate?service=$S&ticket=$INVENTED"
curl -sS -o "$OUT/invalid-ticket/response-no-prefix.xml" "$B/p3/serviceValidate?service=$S&ticket=not-a-cas-ticket"

ST3="$(sso_ticket wrong-service)"
req wrong-service response.xml "\`GET $B/p3/serviceValidate?service=https://127.0.0.1:8999/other&ticket=<ST issued for $S>\` (ticket presented for another, also allowed, service)." \
  "$B/p3/serviceValidate?service=https://127.0.0.1:8999/other&ticket=$ST3"
rm -f "$OUT/wrong-service/login-headers.txt"

req missing-parameters response.xml "\`GET $B/p3/serviceValidate\` with neither service nor ticket." "$B/p3/serviceValidate"

ST4="$(sso_ticket cas1-validate)"
rm -f "$OUT/cas1-validate/login-headers.txt"
req cas1-validate response.txt "\`GET $B/validate?service=$S&ticket=<ST>\` (CAS 1.0); \`response-invalid.txt\` is the answer for the invented ticket." \
  "$B/validate?service=$S&ticket=$ST4"
curl -sS -o "$OUT/cas1-validate/response-invalid.txt" "$B/validate?service=$S&ticket=$INVENTED"

ST5="$(sso_ticket saml-validate-success)"
rm -f "$OUT/saml-validate-success/login-headers.txt"
cat >"$WORK/saml-req.xml" <<EOF
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header/><SOAP-ENV:Body><samlp:Request xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol" MajorVersion="1" MinorVersion="1" RequestID="_sdet1" IssueInstant="$DATE"><samlp:AssertionArtifact>$ST5</samlp:AssertionArtifact></samlp:Request></SOAP-ENV:Body></SOAP-ENV:Envelope>
EOF
req saml-validate-success response.xml "\`POST $B/samlValidate?TARGET=$S\`, Content-Type text/xml, body \`request.xml\` (SOAP, AssertionArtifact = a fresh ST)." \
  -X POST -H 'Content-Type: text/xml' --data-binary "@$WORK/saml-req.xml" "$B/samlValidate?TARGET=$S"
cp "$WORK/saml-req.xml" "$OUT/saml-validate-success/request.xml"

# ---------------------------------------------------------------- services that are not registered
req service-not-allowed login.html "\`GET $B/login?service=$EVIL\` while logged in (session cookie); \`anonymous.html\` is the same request with no cookie; \`validate.xml\` is \`GET $B/p3/serviceValidate?service=$EVIL&ticket=$INVENTED\`." \
  -c "$JAR" -b "$JAR" "$B/login?service=$EVIL"
curl -sS -D "$WORK/h2" -o "$OUT/service-not-allowed/anonymous.html" "$B/login?service=$EVIL"
tr -d '\r' <"$WORK/h2" >"$OUT/service-not-allowed/anonymous-headers.txt"
curl -sS -o "$OUT/service-not-allowed/validate.xml" "$B/p3/serviceValidate?service=$EVIL&ticket=$INVENTED"

# ---------------------------------------------------------------- logout
req logout logout.html "\`GET $B/logout\` (no service) while logged in; then \`GET $B/login?service=$S\` with the same cookie jar answered the status in \`after-logout.txt\`." \
  -c "$JAR" -b "$JAR" "$B/logout"
curl -sS -o /dev/null -c "$JAR" -b "$JAR" -w '%{http_code} %{content_type} redirect=%{redirect_url}\n' "$B/login?service=$S" \
  >"$OUT/logout/after-logout.txt"

# log in again (fresh form, password POST), then log out with a foreign service
curl -sS -o "$WORK/form3.html" -c "$JAR" -b "$JAR" "$B/login?service=$S"
post_login logout-open-redirect "eleve1-pass" "$WORK/form3.html"
[ -n "$(ticket_from logout-open-redirect)" ] || { log "re-login before logout-open-redirect failed"; exit 1; }
req logout-open-redirect "" "\`GET $B/logout?service=$EVIL\` (a service that matches no service pattern) while logged in (fresh password login just before)." \
  -c "$JAR" -b "$JAR" "$B/logout?service=$EVIL"

# ---------------------------------------------------------------- POST without the CSRF token
req login-no-csrf no-csrf.html "\`POST $B/login?service=$S\` with username/password/lt but no csrfmiddlewaretoken and no cookies." \
  --data-urlencode lt=LT-x --data-urlencode "service=$S" --data-urlencode username=eleve1 \
  --data-urlencode password=eleve1-pass -e "$REFERER" "$B/login?service=$S"

# ---------------------------------------------------------------- READMEs
readme login-form "CAS login page (GET /cas/login?service=…)" \
"- The real login form: \`<form class=\"form-signin\" method=\"post\" id=\"login_form\">\` with **no action
  attribute** (it posts back to the same URL, query string included).
- Hidden fields: \`csrfmiddlewaretoken\` (Django CSRF, 64 chars), \`service\`, \`lt\` (login ticket
  \`LT-\` + 61 alphanumerics = 64 chars, single use), \`renew\` (\`False\`), \`gateway\` and \`method\` (no value
  attribute). Visible: \`username\`, \`password\`, checkbox \`warn\`. Submit is a \`<button>\`, not an input.
  No \`execution\`/\`_eventId\` fields (those are Apereo CAS, not this server).
- Page is French (\`Content-Language: fr\`) and names the service: \"Authentification requise par le service
  loopback (https://127.0.0.1:8999/)\".
- Cookies set: \`csrftoken\` (1 year, \`SameSite=Lax\`, not HttpOnly) and \`sessionid\` (\`HttpOnly; SameSite=Lax\`,
  session cookie: no Expires). Neither has \`Secure\` (plain HTTP here). Note the two spaces after
  \`Set-Cookie:\`.
- The page pulls Bootstrap and jQuery from third-party CDNs (\`cdn.jsdelivr.net\`, \`code.jquery.com\`) and
  ends with an HTML comment \`Powered by django-cas-server version\` (version blank because
  \`CAS_SHOW_POWERED = False\`). No \`<?xml\`/doctype surprises: \`<!DOCTYPE html>\`, \`<html lang=\"fr\">\`."

readme login-no-csrf "POST /cas/login without the CSRF token" \
"- Django's CSRF middleware answers **403** text/html (Django's generic CSRF failure page, localised:
  \`<title>403 Forbidden</title>\`, \`<h1>Interdit\`…; not a CAS page): a probe must GET the form first, keep the cookies and send
  \`csrfmiddlewaretoken\`."

readme login-gateway-anonymous "gateway=true without a CAS session" \
"- \`gateway=true\` with no session redirects (302) straight back to the service **without** a ticket
  (Location = the bare service URL): a probe must not treat \"302 to the service\" as a successful login.
  It still sets a \`sessionid\` cookie."

readme login-wrong-password "Wrong password" \
"- A wrong password is **HTTP 200** with the login form again (text/html), not 401/403. The only signal
  is the \`alert alert-danger\` block \"Les informations transmises n'ont pas permis de vous authentifier.\"
  and the absence of a 302/ticket. The form is re-rendered with a new \`lt\` and the username pre-filled.
- It also rotates the \`sessionid\` cookie and deletes a \`warn\` cookie (\`warn=\"\"; Max-Age=0\`)."

readme login-success-redirect "Successful login (POST /cas/login)" \
"- Success is **302** with \`Location: <service>?ticket=ST-…\` and an empty body; \`ticket.txt\` holds the
  ticket seen. Service tickets are \`ST-\` + 61 ASCII letters/digits = **64 characters**, valid 60 s, single use.
- Over plain HTTP Django does not check the Referer for CSRF; the \`csrfmiddlewaretoken\` field plus
  \`csrftoken\` cookie are what is needed (a POST without them is 403 from Django's CSRF middleware).
- The \`sessionid\` cookie is rotated at login (\`HttpOnly; SameSite=Lax\`, no Secure)."

readme service-validate-success "CAS 2.0 /serviceValidate success" \
"- Content-Type is \`text/xml; charset=utf-8\`, HTTP 200, no \`<?xml …?>\` declaration, 2-space indentation.
- \`<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\` / \`<cas:authenticationSuccess>\` /
  \`<cas:user>eleve1</cas:user>\`.
- The CAS **2.0** endpoint returns attributes too (same template as p3): inside \`<cas:attributes>\` one element
  per value (\`<cas:mail>\`, \`<cas:ENTEleveClasses>\` twice, plus \`authenticationDate\`,
  \`longTermAuthenticationRequestTokenUsed\`, \`isFromNewLogin\`), **and**, outside \`<cas:attributes>\`, the
  same values again as \`<cas:attribute name=\"…\" value=\"…\"/>\` (RubyCAS-style) directly under
  \`<cas:authenticationSuccess>\`. This layout does not validate against the CAS 3.0 XSD: judge semantics.
- Attribute order is not fixed (Python dict order of the auth backend)."

readme replayed-ticket "Replayed service ticket" \
"- A ticket that was already validated is refused: HTTP **200**, \`text/xml\`,
  \`<cas:authenticationFailure code=\"INVALID_TICKET\">ticket not found</cas:authenticationFailure>\`
  — the same answer as for a ticket that never existed (the server does not say \"already used\")."

readme p3-success-attributes "CAS 3.0 /p3/serviceValidate success with attributes" \
"- Released attributes (renamed by the service pattern): \`uid\` (Django username), \`mail\`, \`givenName\`,
  \`sn\`, \`ENTPersonProfils\` (one value) and \`ENTEleveClasses\` (**multi-valued**: the element
  is repeated, one per value, and so is the \`<cas:attribute name=\"ENTEleveClasses\" …/>\` form).
- Plus the CAS 3 protocol attributes \`authenticationDate\` (ISO 8601, seconds, \`+00:00\` offset, e.g.
  \`2026-11-23T10:59:09+00:00\`),
  \`longTermAuthenticationRequestTokenUsed\` = \`false\` and \`isFromNewLogin\` — here \`false\`, because the
  ticket came from SSO (session cookie), not from a password POST.
- Where they come from: \`uid\`/\`mail\`/\`givenName\`/\`sn\` are Django user fields (\`username\`, \`email\`,
  \`first_name\`, \`last_name\`) renamed per service pattern (\`ReplaceAttributName\`); the two \`ENT*\` ones
  are added by the peer's auth class (\`sdetcas/auth.py\` written by tests/peers/django-cas-server.sh).
  django-cas-server releases only the attributes listed for the matching service pattern.
- \`login-headers.txt\` shows SSO: \`GET /cas/login?service=…\` with the session cookie is an immediate 302
  with a fresh ticket."

readme invalid-ticket "Invented (never issued) ticket" \
"- HTTP **200** (not 4xx), \`text/xml\`, \`<cas:authenticationFailure code=\"INVALID_TICKET\">ticket not
  found</cas:authenticationFailure>\`, same on CAS 2 (\`response-cas2.xml\`) and CAS 3. Failure responses have
  a one-space indentation and validate against the CAS XSD.
- The failure text is not fixed: a ticket without a known prefix (\`response-no-prefix.xml\`) gets
  \`code=\"INVALID_TICKET\"\` with the **ticket itself echoed** as the text (\`not-a-cas-ticket\`). Match on
  the \`code\` attribute only."

readme wrong-service "Ticket presented for a different service" \
"- A real ticket validated with another (allowed) service URL: HTTP 200,
  \`<cas:authenticationFailure code=\"INVALID_SERVICE\">https://127.0.0.1:8999/other</cas:authenticationFailure>\`
  (the text is the service that was presented). Service comparison is exact string equality
  (\`https://127.0.0.1:8999\` without the slash is INVALID_SERVICE too). The ticket is **consumed** by this
  failed attempt: validating it afterwards with the right service gives INVALID_TICKET."

readme missing-parameters "Validation without parameters" \
"- HTTP 200, \`code=\"INVALID_REQUEST\"\`, message \"you must specify a service and a ticket\"."

readme cas1-validate "CAS 1.0 /validate" \
"- Success is \`text/plain; charset=utf-8\`, body \`yes\` LF \`eleve1\` LF (11 bytes); failure
  (\`response-invalid.txt\`) is just \`no\` LF (3 bytes — not the \`no\\\\n\\\\n\` of the CAS 1 spec). HTTP 200 both."

readme saml-validate-success "SAML 1.1 /samlValidate success" \
"- SOAP 1.1 envelope with a SAML 1.1 \`Response\`, \`StatusCode Value=\"samlp:Success\"\`, \`Issuer=\"localhost\"\`,
  NameIdentifier \`eleve1\`, one \`<Attribute AttributeName=…>\` per value (namespace
  \`http://www.ja-sig.org/products/cas/\`); \`<Audience>\` contains whitespace/newlines around the URL: trim it.
- Timestamps here carry microseconds (\`2026-…T10:59:10.246928+00:00\`), unlike the CAS 2/3 \`authenticationDate\`.
  \`ResponseID\`/\`AssertionID\` are 63 alphanumerics without prefix; validity window is 60 s.
- Content-Type here is \`text/xml; charset=utf-8\` (other CAS servers send \`application/soap+xml\`: accept
  any XML content type)."

readme service-not-allowed "Service that matches no service pattern" \
"- \`GET /cas/login?service=http://evil.example.org/\` is **HTTP 200** text/html, never a redirect and no
  ticket, both with a session (\`login.html\`: \`alert-danger\` \"le service http://evil.example.org/ n'est pas
  autorisé.\" next to \"Connexion réussie\" and a logout form) and without one (\`anonymous.html\`,
  \`anonymous-headers.txt\`: the login form, \`alert-danger\` \"Le service http://evil.example.org/ n'est pas
  autorisé\" — different capitalisation and punctuation, so match loosely).
- Validation with that service (\`validate.xml\`) is \`INVALID_TICKET\` (unknown ticket is checked first)."

readme logout "Logout (GET /cas/logout)" \
"- Without \`service\`/\`url\`: HTTP 200 text/html page, \`alert-success\` \"<h3>Déconnexion réussie</h3>Vous
  vous êtes déconnecté(e) du Service Central d'Authentification…\" (French).
- The response sets **no cookie at all**: the \`sessionid\` cookie is neither deleted nor rotated; only the
  server-side session is ended (\`CAS_REMOVE_DJANGO_SESSION_COOKIE_ON_LOGOUT\` defaults to False). A probe
  must judge logout by behaviour, not by a Set-Cookie.
- After it, \`GET /cas/login?service=…\` with the same cookies shows the form again
  (\`after-logout.txt\`: status, content type, redirect)."

readme logout-open-redirect "Logout with a service that is not registered" \
"- \`GET /cas/logout?service=http://evil.example.org/\` is a **302 to http://evil.example.org/**:
  django-cas-server does not check the logout \`service\` (nor \`url\`) against the service patterns — an
  open redirect a probe can detect on a real ENT. Empty body, no Set-Cookie."

log "done: $(ls "$OUT" | tr '\n' ' ')"
