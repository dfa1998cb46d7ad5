# Shared by the peer scripts (sourced, not run). Each script sets PEER (its name), STATE (its
# folder), PIDFILE, and TLS when it serves HTTPS, then defines start, answers, endpoints and
# env_lines; this file gives the rest the same behaviour everywhere: how a peer is known to be
# running (its pid is alive AND its command line names its own state folder, so another session's
# server on a reused pid is never mistaken for ours), how it stops, and its private CA.

log() { printf '[%s] %s\n' "$PEER" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

is_running() {
  [ -s "$PIDFILE" ] && is_ours || return 1
  local pid; pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE"
}

# Which checkout's scripts started the server in $STATE: written at each start, checked before any
# stop, so a state folder shared by mistake (SDET_PEERS_STATE pointing at another checkout's, or
# at the folder of the reference scripts in ../shared) never gets its server stopped by us.
OWNER_TOKEN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
is_ours() { [ "$(cat "$STATE/owner" 2>/dev/null)" = "$OWNER_TOKEN" ]; }
claim_state() { mkdir -p "$STATE" && printf '%s\n' "$OWNER_TOKEN" >"$STATE/owner"; }

# Refuses to start on a port that another program holds, naming it, and leaves that program alone.
# Called after the script's own server (if any) was found and reused or stopped, so whatever still
# listens there is not ours. $2 is the variable that moves the peer to another port.
require_free_port() {
  local port="$1" var="$2" holder=""
  if command -v ss >/dev/null; then
    [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ] || return 0
    # users:(("gunicorn",pid=9019,fd=5),("gunicorn",pid=8982,fd=5)) -> "gunicorn",pid=9019,fd=5 …
    holder="$(ss -Hltnp "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\(.*\)))$/\1/p' | sed 's/),(/; /g' | head -n 1 || true)"
  elif ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    return 0
  fi
  die "127.0.0.1:$port is already taken${holder:+ by $holder}, a program this script did not start (left untouched). Stop it, or give this peer another port: $var=<free port> bash tests/peers/all.sh start (and export the same variable for the tests)"
}

# Whether the process started is still there. While a server starts, its pid may still run the
# shell that is about to exec it (its command line does not name STATE yet): only a pid that is
# gone means the server died.
alive() { [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

# A private CA (10 years) and a server certificate for 127.0.0.1 and localhost signed by it, made
# once per state folder: the probes require HTTPS and trust only what target.tls.ca_file names.
make_tls() {
  [ -s "$TLS/cert.pem" ] && [ -s "$TLS/ca.pem" ] && return 0
  command -v openssl >/dev/null || die "openssl not found (on Debian: apt-get install openssl)"
  mkdir -p "$TLS"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=sdet-audit test CA ($PEER)" \
    -keyout "$TLS/ca.key" -out "$TLS/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$TLS/key.pem" -out "$TLS/req.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$TLS/ext.cnf"
  openssl x509 -req -in "$TLS/req.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" -CAcreateserial -days 825 \
    -extfile "$TLS/ext.cnf" -out "$TLS/cert.pem" 2>/dev/null
}

# TERM, up to 10 s of grace, then KILL; only a server this checkout's scripts started
# (`is_running` checks the owner mark and the command line).
stop() {
  if [ -s "$PIDFILE" ] && ! is_ours; then
    log "the server in $STATE was not started from this checkout: left alone"
  elif [ -s "$PIDFILE" ]; then
    local pid; pid="$(cat "$PIDFILE")"
    if is_running; then
      kill -TERM "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
      log "stopped pid $pid"
    fi
    rm -f "$PIDFILE"
  else
    log "not running"
  fi
}

# The command line every peer script takes; extra commands (e.g. `transcript`) are passed as
# further arguments naming functions of the script.
dispatch() {
  local command="$1"; shift
  case "$command" in
    start) start ;;
    stop) stop ;;
    status) if is_running && answers; then log "running"; exit 0; else log "not running"; exit 1; fi ;;
    endpoints) endpoints ;;
    env) env_lines ;;
    *)
      local extra
      for extra in "$@"; do [ "$command" = "$extra" ] && { "$extra"; return; }; done
      local usage="start|stop|status|endpoints|env"; for extra in "$@"; do usage="$usage|$extra"; done
      echo "usage: $0 $usage" >&2; exit 2 ;;
  esac
}
