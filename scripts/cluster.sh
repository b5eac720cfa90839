#!/usr/bin/env bash
# The multi-node topology on 127.0.0.1, from this machine's own packages (`make test-cluster`):
#
#   client ─▶ HAProxy :P+20 ──(from 127.0.0.2)──▶ ksbfolio serve a :P+10 ─┐
#                                            └──▶ ksbfolio serve b :P+11 ─┤─▶ PgBouncer :P+2 ─▶ primary :P
#                                                                          │   (transaction mode)    │ streaming
#                                                                          └─▶ moto S3 :P+3           ▼
#                                                                              (attachments)     standby :P+1
#
#   scripts/cluster.sh up       build the binary, install missing Debian packages, start everything
#                               not yet running (idempotent), migrate once, seed demo data once;
#                               writes the addresses to $STATE/cluster.env
#   scripts/cluster.sh test     the topology's tests (tests/cluster/, `cargo test --test cluster`)
#   scripts/cluster.sh bench    wrk through the proxy on one node and on two, replica lag under
#                               writes, failover times (docs/SCALING.md); results in $STATE/bench/
#   scripts/cluster.sh down     stop everything it started (by pid files), also after a failed up
#   scripts/cluster.sh status | clean (down, then remove $STATE)
#   scripts/cluster.sh start|stop|kill COMPONENT   one part (the fault tests use these):
#                               primary standby pgbouncer s3 node-a node-b proxy
#
# Settings (environment): CLUSTER_PORT_BASE=25400 (P), CLUSTER_SEED_APPRENTICESHIPS=60,
# CLUSTER_PROFILE=debug|release (which build the nodes run), CLUSTER_LOGIN_FAILURES=6 (the nodes'
# per-address sign-in limit), CLUSTER_STATE (default ${CARGO_TARGET_DIR:-target}/cluster).
# State, logs and data live under $CLUSTER_STATE (mode 0700; PostgreSQL's and PgBouncer's parts
# owned by `postgres` when run as root, which PostgreSQL and PgBouncer refuse to run as).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
STATE=${CLUSTER_STATE:-$TARGET/cluster}
BASE=${CLUSTER_PORT_BASE:-25400}
PROFILE=${CLUSTER_PROFILE:-debug}
SEED_N=${CLUSTER_SEED_APPRENTICESHIPS:-60}
LOGIN_FAILURES=${CLUSTER_LOGIN_FAILURES:-6}
PRIMARY_PORT=$BASE
STANDBY_PORT=$((BASE + 1))
PGBOUNCER_PORT=$((BASE + 2))
S3_PORT=$((BASE + 3))
NODE_A_PORT=$((BASE + 10))
NODE_B_PORT=$((BASE + 11))
PROXY_PORT=$((BASE + 20))
# The proxy connects to the nodes from this address, the only one they trust for X-Forwarded-For.
PROXY_SOURCE=127.0.0.2
BUCKET=ksbfolio-attachments
DBNAME=ksbfolio
BIN=$TARGET/$PROFILE/ksbfolio
S3_VENV=$TARGET/tmp/s3-venv
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }
as_root() { if is_root; then "$@"; else sudo "$@"; fi; }
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
own_pg() { if is_root; then chown -R postgres:postgres "$@"; fi; }

pid_of() { [ -f "$STATE/run/$1.pid" ] && head -1 "$STATE/run/$1.pid"; }
# A process that died is not running, even while it waits to be reaped as a zombie (an init that
# does not reap orphans leaves it so, and `kill -0` still succeeds on it).
alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }
running() { local pid; pid=$(pid_of "$1" 2>/dev/null) && [ -n "$pid" ] && alive "$pid"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Runs a long-lived process in its own session (it outlives this script), logging to
# $STATE/logs/NAME.log, and records its pid.
spawn() { # name command…
  local name=$1; shift
  setsid "$@" >>"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/run/$name.pid"
}

wait_http() { # name url [seconds]
  local deadline=$((SECONDS + ${3:-60}))
  until curl -fsS -o /dev/null "$2" 2>/dev/null; do
    running "$1" || { tail -20 "$STATE/logs/$1.log" >&2; die "$1 stopped while starting (log: $STATE/logs/$1.log)"; }
    [ $SECONDS -lt $deadline ] || die "$1 did not answer $2 (log: $STATE/logs/$1.log)"
    sleep 0.2
  done
}

wait_port() { # name port
  local deadline=$((SECONDS + 30))
  while port_free "$2"; do
    running "$1" || { tail -20 "$STATE/logs/$1.log" >&2; die "$1 stopped while starting"; }
    [ $SECONDS -lt $deadline ] || die "$1 did not listen on $2"
    sleep 0.1
  done
}

prepare_state() {
  mkdir -p "$STATE"
  chmod 0700 "$STATE"
  # Root reaches everything anyway; `postgres` must reach its own data inside.
  is_root && chown postgres:postgres "$STATE"
  mkdir -p "$STATE/run" "$STATE/logs" "$STATE/pg" "$STATE/pgbouncer"
  own_pg "$STATE/pg" "$STATE/pgbouncer" "$STATE/logs"
  chmod 0700 "$STATE/pg" "$STATE/pgbouncer"
  if [ ! -s "$STATE/jwt-secret" ]; then
    (umask 077; head -c 48 /dev/urandom | base64 -w0 >"$STATE/jwt-secret")
  fi
}

ensure_packages() {
  scripts/ensure-test-packages.sh
  command -v wrk >/dev/null 2>&1 || [ "${1:-}" != bench ] || {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  }
  [ -n "$PGBIN" ] || die "PostgreSQL's server binaries are missing (/usr/lib/postgresql/*/bin)"
}

# --- the parts -----------------------------------------------------------------------------
pg_ctl_of() { # name datadir port action
  as_pg "$PGBIN/pg_ctl" -D "$2" -l "$STATE/logs/$1.log" -w -t 60 \
    -o "-p $3 -k $STATE/pg/run -c listen_addresses=127.0.0.1" "$4" >/dev/null
}

postmaster_pid() { [ -f "$1/postmaster.pid" ] && head -1 "$1/postmaster.pid"; }

record_pg_pid() { # name datadir
  postmaster_pid "$2" >"$STATE/run/$1.pid"
}

start_primary() {
  local data=$STATE/pg/primary
  running primary && return 0
  mkdir -p "$STATE/pg/run"; own_pg "$STATE/pg/run"
  if [ ! -f "$data/PG_VERSION" ]; then
    say "primary: initdb"
    as_pg "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Sized for a shared 2-core machine; replication on (wal_level replica is the default).
    cat <<EOF | as_pg tee -a "$data/postgresql.conf" >/dev/null
# scripts/cluster.sh
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
max_connections = 200
shared_buffers = 512MB
work_mem = 16MB
max_wal_size = 4GB
checkpoint_timeout = 30min
log_line_prefix = '%m [%p] '
EOF
  fi
  port_free "$PRIMARY_PORT" || die "port $PRIMARY_PORT is taken (CLUSTER_PORT_BASE chooses others)"
  say "primary: starting on 127.0.0.1:$PRIMARY_PORT"
  pg_ctl_of primary "$data" "$PRIMARY_PORT" start
  record_pg_pid primary "$data"
  psql_primary postgres -c "SELECT 1" >/dev/null
  if [ -z "$(psql_primary postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" ]; then
    psql_primary postgres -c "CREATE DATABASE $DBNAME" >/dev/null
    # Behind PgBouncer the timeout cannot arrive as a start-up option (docs/SCALING.md).
    psql_primary postgres -c "ALTER DATABASE $DBNAME SET statement_timeout = '10s'" >/dev/null
  fi
}

psql_primary() { local db=$1; shift; psql -X -q -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres "$db" "$@"; }

start_standby() {
  local data=$STATE/pg/standby
  running standby && return 0
  if [ ! -f "$data/PG_VERSION" ]; then
    say "standby: pg_basebackup -R from the primary"
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$data" \
      -R -X stream -c fast -C -S ksbfolio_standby
    echo "port = $STANDBY_PORT" | as_pg tee -a "$data/postgresql.conf" >/dev/null
  fi
  port_free "$STANDBY_PORT" || die "port $STANDBY_PORT is taken"
  say "standby: starting on 127.0.0.1:$STANDBY_PORT"
  pg_ctl_of standby "$data" "$STANDBY_PORT" start
  record_pg_pid standby "$data"
}

start_pgbouncer() {
  running pgbouncer && return 0
  local dir=$STATE/pgbouncer
  cat >"$dir/pgbouncer.ini" <<EOF
;; written by scripts/cluster.sh
[databases]
$DBNAME = host=127.0.0.1 port=$PRIMARY_PORT dbname=$DBNAME user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
admin_users = postgres
%include $ROOT/deploy/pgbouncer/pool.ini
EOF
  echo '"postgres" ""' >"$dir/users.txt"
  own_pg "$dir"
  port_free "$PGBOUNCER_PORT" || die "port $PGBOUNCER_PORT is taken"
  say "pgbouncer: starting on 127.0.0.1:$PGBOUNCER_PORT"
  # PgBouncer refuses to run as root: -u postgres (it must also read the included pool.ini).
  if is_root; then spawn pgbouncer pgbouncer -u postgres "$dir/pgbouncer.ini"
  else spawn pgbouncer pgbouncer "$dir/pgbouncer.ini"; fi
  wait_port pgbouncer "$PGBOUNCER_PORT"
}

start_s3() {
  running s3 && return 0
  scripts/ensure-s3-test-server.sh "$S3_VENV"
  port_free "$S3_PORT" || die "port $S3_PORT is taken"
  say "s3: moto on 127.0.0.1:$S3_PORT"
  spawn s3 "$S3_VENV/bin/moto_server" -H 127.0.0.1 -p "$S3_PORT"
  # moto keeps its buckets in memory: the bucket is made at every start.
  local deadline=$((SECONDS + 30))
  until curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$S3_PORT/$BUCKET" 2>/dev/null; do
    running s3 || die "moto stopped (log: $STATE/logs/s3.log)"
    [ $SECONDS -lt $deadline ] || die "moto did not answer"
    sleep 0.2
  done
}

node_env() { # port datadir
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PGBOUNCER_PORT/$DBNAME"
  # Read-only queries may go to the standby (ignored by builds without replica reads).
  echo "DATABASE_READ_URL=postgres://postgres@127.0.0.1:$STANDBY_PORT/$DBNAME"
  echo "KSBFOLIO_DB_PREPARED_STATEMENTS=false"
  echo "KSBFOLIO_DB_DEADLINE_SECS=${CLUSTER_DB_DEADLINE_SECS:-3}"
  echo "KSBFOLIO_BIND=127.0.0.1:$1"
  echo "KSBFOLIO_DATA_DIR=$2"
  echo "KSBFOLIO_STATIC_DIR=$STATE/no-frontend"
  echo "KSBFOLIO_JWT_SECRET=$(cat "$STATE/jwt-secret")"
  echo "KSBFOLIO_TRUSTED_PROXIES=$PROXY_SOURCE"
  echo "KSBFOLIO_LOGIN_FAILURES_PER_ADDRESS=$LOGIN_FAILURES"
  echo "KSBFOLIO_STORAGE=s3://$BUCKET"
  echo "AWS_ENDPOINT=http://127.0.0.1:$S3_PORT"
  echo "AWS_ALLOW_HTTP=true"
  echo "AWS_ACCESS_KEY_ID=test"
  echo "AWS_SECRET_ACCESS_KEY=test"
  echo "AWS_DEFAULT_REGION=us-east-1"
  # The seed leaves thousands of reminders due; their delivery is measured elsewhere (make bench).
  echo "KSBFOLIO_MAIL_WORKER=false"
  echo "RUST_LOG=${CLUSTER_LOG:-info}"
}

start_node() { # a|b
  local name=node-$1 port
  [ "$1" = a ] && port=$NODE_A_PORT || port=$NODE_B_PORT
  running "$name" && return 0
  [ -x "$BIN" ] || die "$BIN is missing: run scripts/cluster.sh up (it builds it)"
  port_free "$port" || die "port $port is taken"
  mkdir -p "$STATE/$name"
  chmod 0700 "$STATE/$name"
  say "$name: ksbfolio serve on 127.0.0.1:$port"
  # Exported in a subshell, never on a command line (which every local user can read).
  (
    while IFS= read -r line; do export "${line?}"; done < <(node_env "$port" "$STATE/$name")
    spawn "$name" "$BIN" serve
  )
  wait_http "$name" "http://127.0.0.1:$port/readyz"
}

start_proxy() {
  running proxy && return 0
  port_free "$PROXY_PORT" || die "port $PROXY_PORT is taken"
  say "proxy: HAProxy on 127.0.0.1:$PROXY_PORT"
  HAPROXY_BIND=127.0.0.1:$PROXY_PORT HAPROXY_SOURCE=$PROXY_SOURCE HAPROXY_ERRORS=$ROOT/deploy/haproxy \
    KSBFOLIO_NODE_A=127.0.0.1:$NODE_A_PORT KSBFOLIO_NODE_B=127.0.0.1:$NODE_B_PORT \
    spawn proxy haproxy -db -f "$ROOT/deploy/haproxy/haproxy.cfg"
  wait_http proxy "http://127.0.0.1:$PROXY_PORT/readyz" 15
}

start_component() {
  case $1 in
    primary) start_primary ;;
    standby) start_standby ;;
    pgbouncer) start_pgbouncer ;;
    s3) start_s3 ;;
    node-a) start_node a ;;
    node-b) start_node b ;;
    proxy) start_proxy ;;
    *) die "unknown component $1 (primary standby pgbouncer s3 node-a node-b proxy)" ;;
  esac
}

stop_component() { # name [signal]
  local name=$1 signal=${2:-TERM} pid
  case $name in
    primary | standby)
      local data=$STATE/pg/$name
      if [ "$signal" = KILL ]; then
        pid=$(postmaster_pid "$data" 2>/dev/null) && kill -KILL "$pid" 2>/dev/null || true
      elif [ -f "$data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || true
      fi
      ;;
    *)
      pid=$(pid_of "$name" 2>/dev/null) || return 0
      if alive "$pid"; then
        kill -"$signal" "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
      fi
      ;;
  esac
  rm -f "$STATE/run/$name.pid"
}

write_env() {
  local file=$STATE/cluster.env
  {
    echo "# scripts/cluster.sh up: the topology's addresses, read by tests/cluster"
    echo "CLUSTER_SCRIPT=$ROOT/scripts/cluster.sh"
    echo "CLUSTER_STATE=$STATE"
    echo "PROXY_URL=http://127.0.0.1:$PROXY_PORT"
    echo "PROXY_SOURCE=$PROXY_SOURCE"
    echo "NODE_A_URL=http://127.0.0.1:$NODE_A_PORT"
    echo "NODE_B_URL=http://127.0.0.1:$NODE_B_PORT"
    echo "PRIMARY_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DBNAME"
    echo "STANDBY_URL=postgres://postgres@127.0.0.1:$STANDBY_PORT/$DBNAME"
    echo "PGBOUNCER_URL=postgres://postgres@127.0.0.1:$PGBOUNCER_PORT/$DBNAME"
    echo "S3_URL=http://127.0.0.1:$S3_PORT/$BUCKET"
    echo "LOGIN_FAILURES_PER_ADDRESS=$LOGIN_FAILURES"
    echo "DEMO_PASSWORD=ksbfolio-demo-password"
  } >"$file"
  chmod 0600 "$file"
}

COMPONENTS="primary standby pgbouncer s3 node-a node-b proxy"

cmd_up() {
  local started=$SECONDS
  ensure_packages "${1:-}"
  say "building ksbfolio ($PROFILE)"
  # The debug binary is built together with the topology's tests (one feature set, one build).
  if [ "$PROFILE" = release ]; then cargo build --locked --release --bin ksbfolio
  else cargo test --locked --test cluster --no-run; fi
  prepare_state
  start_primary
  start_standby
  # Once per release, before any node starts, straight to the primary (docs/SCALING.md).
  DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DBNAME" KSBFOLIO_DATA_DIR=$STATE/migrate \
    "$BIN" --log warn migrate >/dev/null
  if [ "$(psql_primary "$DBNAME" -Atc 'SELECT count(*) FROM apprenticeships')" = 0 ]; then
    say "seeding $SEED_N demo apprenticeships"
    DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DBNAME" KSBFOLIO_DATA_DIR=$STATE/migrate \
      "$BIN" --log warn demo seed --apprenticeships "$SEED_N" --seed 1 >"$STATE/logs/seed.log"
  fi
  start_pgbouncer
  start_s3
  start_node a
  start_node b
  start_proxy
  write_env
  say "up in $((SECONDS - started)) s: $STATE/cluster.env"
}

cmd_down() {
  [ -d "$STATE/run" ] || { say "nothing to stop"; return 0; }
  local name
  for name in proxy node-a node-b s3 pgbouncer standby primary; do stop_component "$name"; done
  say "stopped"
}

cmd_status() {
  local name
  for name in $COMPONENTS; do
    if running "$name"; then echo "$name: running (pid $(pid_of "$name"))"; else echo "$name: stopped"; fi
  done
}

cmd_test() {
  [ -f "$STATE/cluster.env" ] || die "the topology is not up: scripts/cluster.sh up"
  # One test at a time: the fault tests stop and kill parts the others use.
  KSBFOLIO_CLUSTER_ENV=$STATE/cluster.env cargo test --locked --test cluster -- --test-threads=1
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  test) cmd_test ;;
  status) cmd_status ;;
  bench) exec "$ROOT/bench/cluster.sh" ;;
  clean) cmd_down; rm -rf "$STATE" ;;
  start) prepare_state; start_component "${2:?component}" ;;
  stop) stop_component "${2:?component}" ;;
  kill) stop_component "${2:?component}" KILL ;;
  *) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
