#!/usr/bin/env bash
# django-cas-server (PyPI) as a real CAS 1.0 / 2.0 / 3.0 + SAML 1.1 (samlValidate) peer for the
# sdet-audit integration tests: served over HTTPS by gunicorn on 127.0.0.1 only (a private CA made
# here with openssl, as a pre-production ENT would have), SQLite, one test user. HTTPS because a
# correctly deployed CAS is only reachable over TLS, and the probes check exactly that.
# Self-contained (adapted from the team's reference peer scripts): needs only python3 with venv,
# pip reaching PyPI, and curl.
#
#   tests/peers/django-cas-server.sh start       install if needed (venv), configure, start, wait, print endpoints
#   tests/peers/django-cas-server.sh stop        stop the server started by this script (by its PID)
#   tests/peers/django-cas-server.sh status      exit 0 if running and answering
#   tests/peers/django-cas-server.sh endpoints   print the endpoints
#   tests/peers/django-cas-server.sh env         print `export SDET_PEER_CAS_*=...` lines for the tests
#
# Trust: the CA is $SDET_PEERS_STATE/django-cas-server/tls/ca.pem (SDET_PEER_CAS_CA in `env`).
# Environment: DCS_PORT (default 8481), SDET_PEERS_STATE (default target/sdet-peers in this checkout), PYTHON (default python3),
# DCS_WAIT_SECONDS (default 60).
# Test users: eleve1 / eleve1-pass (pupil), prof1 / prof1-pass (teacher). Allowed services:
# ^https?://(127.0.0.1|localhost)(:port)?(/...)?$
# Released attributes: uid, mail, givenName, sn, and an SDET identity vector: ENTPersonProfils
# (National_1 / National_3), ENTPersonStructRattach, ENTEleveClasses (multi-valued, pupil only).
set -euo pipefail

PORT="${DCS_PORT:-8481}"
HOST=127.0.0.1
BASE="https://$HOST:$PORT"
STATE="${SDET_PEERS_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/sdet-peers}/django-cas-server"
PIDFILE="$STATE/server.pid"
LOG="$STATE/server.log"
PY="${PYTHON:-python3}"
VENV="$STATE/venv"
WAIT_SECONDS="${DCS_WAIT_SECONDS:-60}"
SERVICE="https://$HOST:8999/"
TLS="$STATE/tls"
CAS_USER=eleve1
CAS_PASSWORD=eleve1-pass
# Pinned: the fixtures under fixtures/cas/ were recorded from exactly these versions.
REQUIREMENTS=("django-cas-server==3.1.0" "Django==5.2.19" "lxml==6.1.3" "gunicorn==23.0.0")


# The venv is reused only if it holds exactly the pinned versions.
PEER=django-cas-server
# shellcheck source=tests/peers/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

venv_ok() {
  [ -x "$VENV/bin/python" ] && "$VENV/bin/python" - "${REQUIREMENTS[@]}" 2>/dev/null <<'EOF'
import sys, importlib.metadata as m
for req in sys.argv[1:]:
    name, version = req.split("==")
    if m.version(name) != version:
        sys.exit(1)
import cas_server, django, lxml, gunicorn
EOF
}

install_venv() {
  if venv_ok; then return 0; fi
  local t0=$SECONDS
  command -v "$PY" >/dev/null || die "$PY not found (set PYTHON=...)"
  log "creating venv and installing ${REQUIREMENTS[*]}"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" >"$STATE/venv.log" 2>&1 \
    || { cat "$STATE/venv.log" >&2; die "'$PY -m venv' failed (on Debian: apt-get install python3-venv)"; }
  "$VENV/bin/pip" install -q --disable-pip-version-check "${REQUIREMENTS[@]}" >"$STATE/pip.log" 2>&1 \
    || { tail -20 "$STATE/pip.log" >&2; die "pip install failed (log: $STATE/pip.log)"; }
  log "installed in $((SECONDS - t0)) s"
}

write_project() {
  mkdir -p "$STATE/sdetcas"
  : >"$STATE/sdetcas/__init__.py"
  cat >"$STATE/sdetcas/settings.py" <<'EOF'
import os
STATE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "sdet-audit-test-peer-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "cas_server",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
]
ROOT_URLCONF = "sdetcas.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages"]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(STATE, "db.sqlite3")}}
LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
SESSION_COOKIE_AGE = 86400
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Served over HTTPS only (gunicorn with a certificate): cookies are Secure, as in production.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Django users, plus a few ENT-style attributes (see sdetcas/auth.py).
CAS_AUTH_CLASS = "sdetcas.auth.EntAuthUser"
CAS_SHOW_POWERED = False
# Both default to True and make the server query PyPI for newer releases: keep it offline.
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
EOF
  cat >"$STATE/sdetcas/auth.py" <<'EOF'
"""Django users + ENT-style attributes (SDET annex names), one of them multi-valued, so that the
CAS 3 attribute layout of a multi-valued attribute can be observed."""
from cas_server.auth import DjangoAuthUser

ENT = {
    "eleve1": {
        "ENTPersonProfils": ["National_1"],
        "ENTPersonStructRattach": ["0750001A"],
        "ENTEleveClasses": ["0750001A$3A", "0750001A$3A-LATIN"],
    },
    "prof1": {
        "ENTPersonProfils": ["National_3"],
        "ENTPersonStructRattach": ["0750001A"],
    },
}


class EntAuthUser(DjangoAuthUser):
    def attributs(self):
        attrs = super().attributs()
        if attrs:
            attrs.update(ENT.get(self.username, {}))
        return attrs
EOF
  cat >"$STATE/sdetcas/urls.py" <<'EOF'
from django.urls import include, path
urlpatterns = [path("cas/", include("cas_server.urls", namespace="cas_server"))]
EOF
  cat >"$STATE/sdetcas/wsgi.py" <<'EOF'
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sdetcas.settings")
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
EOF
  cat >"$STATE/manage.py" <<'EOF'
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sdetcas.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
EOF
  (cd "$STATE" && "$VENV/bin/python" manage.py migrate -v0) >"$STATE/migrate.log" 2>&1 \
    || { cat "$STATE/migrate.log" >&2; die "manage.py migrate failed"; }
  # Idempotent seed: one user, one service pattern for loopback services, explicit attribute release
  # (DjangoAuthUser exposes every model field, password hash included, if '*' were released).
  (cd "$STATE" && "$VENV/bin/python" manage.py shell -v0 -c '
from django.contrib.auth.models import User
from cas_server.models import ServicePattern, ReplaceAttributName
u, _ = User.objects.update_or_create(username="eleve1", defaults=dict(
    email="eleve1@college.example.fr", first_name="Camille", last_name="Martin"))
u.set_password("eleve1-pass"); u.save()
t, _ = User.objects.update_or_create(username="prof1", defaults=dict(
    email="prof1@college.example.fr", first_name="Alex", last_name="Durand"))
t.set_password("prof1-pass"); t.save()
sp, _ = ServicePattern.objects.update_or_create(name="loopback", defaults=dict(
    pos=100, pattern=r"^https?://(127\.0\.0\.1|localhost)(:[0-9]+)?(/.*)?$",
    proxy=True, proxy_callback=True, single_log_out=False))
ReplaceAttributName.objects.filter(service_pattern=sp).delete()
for name, replace in [("username", "uid"), ("email", "mail"), ("first_name", "givenName"),
                      ("last_name", "sn"), ("ENTPersonProfils", ""), ("ENTPersonStructRattach", ""),
                      ("ENTEleveClasses", "")]:
    ReplaceAttributName.objects.create(name=name, replace=replace, service_pattern=sp)
') >"$STATE/seed.log" 2>&1 || { cat "$STATE/seed.log" >&2; die "seeding the user and service pattern failed"; }
}

# Running = the PID in $PIDFILE is alive AND its command line names $STATE (so a stale PID file,
# after a reboot or PID reuse, never makes us signal someone else's process).
# Fingerprint of the configuration this script writes: a server found running is reused only if it was
# started by this very script (the reference scripts in ../shared use the same state folder and port
# with another configuration).
FINGERPRINT="$(sha256sum <"${BASH_SOURCE[0]}" | cut -c1-16)"
same_config() { [ "$(cat "$STATE/config.fingerprint" 2>/dev/null)" = "$FINGERPRINT" ]; }

answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$TLS/ca.pem" "$BASE/cas/login")" = 200 ]; }

# A private CA and a certificate for 127.0.0.1 / localhost, made once per state folder.
endpoints() {
  cat <<EOF
django-cas-server $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("django-cas-server"), "(Django", m.version("Django") + ")")' 2>/dev/null) on $BASE (pid $(cat "$PIDFILE" 2>/dev/null))
  CAS base (SDET_PEER_CAS_URL) $BASE/cas/
  CAS login                $BASE/cas/login?service=$SERVICE
  CAS 1.0 validate         $BASE/cas/validate
  CAS 2.0 serviceValidate  $BASE/cas/serviceValidate   (and /cas/proxyValidate, /cas/proxy)
  CAS 3.0 serviceValidate  $BASE/cas/p3/serviceValidate (and /cas/p3/proxyValidate)
  SAML 1.1 samlValidate    $BASE/cas/samlValidate?TARGET=$SERVICE   (POST SOAP)
  CAS logout               $BASE/cas/logout
  allowed services         ^https?://(127.0.0.1|localhost)(:port)?/...   (anything else: "service not allowed")
  test users               $CAS_USER / $CAS_PASSWORD (eleve), prof1 / prof1-pass (enseignant)
  CA to trust              $TLS/ca.pem
  state, logs              $STATE
EOF
}

env_lines() {
  cat <<EOF
export SDET_PEER_CAS_URL=$BASE/cas/
export SDET_PEER_CAS_USER=$CAS_USER
export SDET_PEER_CAS_PASSWORD=$CAS_PASSWORD
export SDET_PEER_CAS_TEACHER_USER=prof1
export SDET_PEER_CAS_TEACHER_PASSWORD=prof1-pass
export SDET_PEER_CAS_SERVICE=$SERVICE
export SDET_PEER_CAS_CA=$TLS/ca.pem
EOF
}

start() {
  mkdir -p "$STATE"
  if is_running && answers && same_config; then log "already running"; endpoints; return 0; fi
  if is_running; then log "restarting the server found in $STATE (other configuration, or not answering)"; stop; fi
  require_free_port "$PORT" DCS_PORT
  claim_state
  command -v curl >/dev/null || die "curl not found"
  install_venv
  make_tls
  write_project
  echo "$FINGERPRINT" >"$STATE/config.fingerprint"
  log "starting gunicorn (HTTPS) on $HOST:$PORT"
  (cd "$STATE" && exec setsid "$VENV/bin/gunicorn" --bind "$HOST:$PORT" --workers 2 \
      --certfile "$TLS/cert.pem" --keyfile "$TLS/key.pem" sdetcas.wsgi:application) \
    >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + WAIT_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if is_running && answers; then endpoints; return 0; fi
    alive || { tail -30 "$LOG" >&2; die "server died (log: $LOG)"; }
    sleep 0.5
  done
  tail -30 "$LOG" >&2; stop; die "no answer on $BASE/cas/login after $WAIT_SECONDS s (log: $LOG)"
}

dispatch "${1:-}"
