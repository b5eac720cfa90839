#!/usr/bin/env bash
# Browser end-to-end tests against the real server (`make test-e2e`).
#
# Installs Debian's chromium if it is missing (never a downloaded browser), builds the server
# (debug) and the frontend, creates a fresh database ksbfolio_e2e_<random> on DATABASE_URL's
# server, starts ksbfolio on a free loopback port with a temporary data dir serving
# frontend/dist and sending its e-mail to a real SMTP server (aiosmtpd from PyPI in a virtual
# environment, keeping what it receives in a Maildir the tests read), creates an admin with
# `ksbfolio users create-admin`, runs
# `npm --prefix frontend run e2e` (@playwright/test; its last line is "N passed, N failed"),
# then stops the server and drops the database, also when something fails. Exits with the e2e
# result.
#
# With DATABASE_URL set, only its server is used (the database named in it is where
# `CREATE DATABASE` runs). Without it, the server runs on its embedded default (its own
# PostgreSQL cluster in the temporary data dir), exactly as `make run` does. CARGO and
# CARGO_TARGET_DIR are honoured.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "e2e.sh: $*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || { log "$1 is required: $2"; exit 1; }; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need node "Node.js >= 20 (https://nodejs.org/)"
need npm "Node.js >= 20 with npm"
if [ -n "${DATABASE_URL:-}" ]; then
  need psql "the PostgreSQL client (apt-get install -y postgresql-client)"
fi

# ---- Chromium: Debian's package, installed once --------------------------------------------
chromium_bin="${KSBFOLIO_E2E_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
  log "installing Debian's chromium with apt-get"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
[ -x "$chromium_bin" ] || { log "no Chromium at $chromium_bin"; exit 1; }
export KSBFOLIO_E2E_CHROMIUM="$chromium_bin"
# @playwright/test uses it through launchOptions.executablePath; no browser is ever downloaded.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# ---- Builds ----------------------------------------------------------------------------------
log "building the server (cargo build --locked)"
"${CARGO:-cargo}" build --locked --quiet
ksbfolio="${CARGO_TARGET_DIR:-target}/debug/ksbfolio"
[ -x "$ksbfolio" ] || { log "the build left no binary at $ksbfolio"; exit 1; }
scripts/ensure-node-deps.sh
log "building the frontend"
npm --prefix frontend run build --silent

# ---- A fresh database, dropped at the end -----------------------------------------------------
admin_url="${DATABASE_URL:-}"
db="ksbfolio_e2e_$(node -e "process.stdout.write(require('node:crypto').randomBytes(6).toString('hex'))")"
# Swap the database name in the URL, keeping user, host, port and any ?parameters.
e2e_url=""
if [ -n "$admin_url" ]; then
  e2e_url="$(node -e '
    const url = new URL(process.argv[1]);
    url.pathname = "/" + process.argv[2];
    process.stdout.write(url.toString());
  ' "$admin_url" "$db")"
fi

# Under /tmp and world-traversable: as root, the embedded cluster runs as the postgres user.
tmp="$(mktemp -d /tmp/ksbfolio-e2e.XXXXXX)"
chmod 755 "$tmp"
server_pid=""
smtp_pid=""
db_created=""

cleanup() {
  local status=$?
  for pid in "$server_pid" "$smtp_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ -n "$db_created" ]; then
    psql "$admin_url" -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null \
      || log "could not drop database $db"
  fi
  if [ "$status" -ne 0 ] && [ -f "$tmp/server.log" ]; then
    log "last lines of the server log:"
    tail -n 30 "$tmp/server.log" >&2 || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "$admin_url" ]; then
  log "creating database $db"
  psql "$admin_url" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$db\"" >/dev/null
  db_created=1
  export DATABASE_URL="$e2e_url"
else
  log "using the embedded default database in $tmp/data"
fi

free_port() {
  node -e '
    const s = require("node:net").createServer();
    s.listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); });
  '
}

# ---- A real SMTP server ------------------------------------------------------------------------
smtp_venv="${CARGO_TARGET_DIR:-target}/smtp-venv"
scripts/ensure-smtp-test-server.sh "$smtp_venv"
smtp_port="$(free_port)"
export KSBFOLIO_E2E_MAILDIR="$tmp/maildir"
"$smtp_venv/bin/python" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$KSBFOLIO_E2E_MAILDIR" \
  >"$tmp/smtp.log" 2>&1 &
smtp_pid=$!
for _ in $(seq 1 100); do
  node -e 'const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1");
    s.on("connect", () => process.exit(0)); s.on("error", () => process.exit(1));' "$smtp_port" && break
  kill -0 "$smtp_pid" 2>/dev/null || { log "the SMTP server exited during start-up"; cat "$tmp/smtp.log" >&2; exit 1; }
  sleep 0.1
done
export KSBFOLIO_SMTP_URL="smtp://127.0.0.1:$smtp_port"
log "SMTP server (aiosmtpd) on 127.0.0.1:$smtp_port"

# ---- The server, on a free loopback port -------------------------------------------------------
port="$(free_port)"
base="http://127.0.0.1:$port"
export KSBFOLIO_DATA_DIR="$tmp/data"
mkdir -p "$KSBFOLIO_DATA_DIR"

log "starting ksbfolio on $base"
KSBFOLIO_BIND="127.0.0.1:$port" KSBFOLIO_STATIC_DIR=frontend/dist RUST_LOG="${RUST_LOG:-warn}" \
  "$ksbfolio" serve >"$tmp/server.log" 2>&1 &
server_pid=$!

ready=""
for _ in $(seq 1 120); do
  kill -0 "$server_pid" 2>/dev/null || { log "the server exited during start-up"; exit 1; }
  if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$base/readyz"; then
    ready=1
    break
  fi
  sleep 0.5
done
[ -n "$ready" ] || { log "the server was not ready within 60 s"; exit 1; }

admin_email="admin@e2e.ksbfolio.test"
admin_password="$(node -e "process.stdout.write('e2e-' + require('node:crypto').randomBytes(12).toString('hex'))")"
KSBFOLIO_ADMIN_PASSWORD="$admin_password" "$ksbfolio" users create-admin --email "$admin_email" --name "E2E Administrator" >/dev/null

# ---- The tests ----------------------------------------------------------------------------------
rc=0
KSBFOLIO_E2E_URL="$base" KSBFOLIO_E2E_ADMIN_EMAIL="$admin_email" KSBFOLIO_E2E_ADMIN_PASSWORD="$admin_password" \
  npm --prefix frontend run e2e --silent || rc=$?

kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""
exit "$rc"
