#!/usr/bin/env bash
# The ksbfolio load benchmark (`make bench`). Loopback only; every run has a fixed length, and
# everything it starts is stopped on exit, also on failure or Ctrl+C.
#
#   1. builds the release binary, starts a private PostgreSQL cluster on 127.0.0.1:$BENCH_PG_PORT
#      (its own data folder under target/bench; the machine's shared cluster is not touched);
#   2. for each size N in $BENCH_SIZES: seeds N apprenticeships (`ksbfolio demo seed`), records
#      the exact SQL the coverage, caseload and inbox endpoints run (log_statement = all on a
#      scratch pass), turns coverage's and caseload's into pgbench scripts, saves EXPLAIN
#      (ANALYZE, BUFFERS) plans of all three, starts the server and drives it with wrk at each
#      concurrency in $BENCH_CONNECTIONS, then pgbench with the endpoint's SQL at the same
#      concurrency (the database ceiling; the inbox has none yet: its plans are saved);
#   3. at N = $BENCH_FULL_AT also: evidence creation, review decisions, sign-in, and sign-in link
#      requests for known and for unknown addresses (their timing should not tell them apart);
#   4. prints the results table; raw output stays in target/bench/.
#
# Settings (environment): BENCH_SIZES="1000 10000" BENCH_FULL_AT=10000 BENCH_SEED=7
# BENCH_SECONDS=20 BENCH_WARMUP=5 BENCH_CONNECTIONS="16 64" BENCH_READ_CONNECTIONS="1 16 64"
# BENCH_CASES="coverage caseload inbox review-queue signoff-queue otj-queue reviews otj create review
# login sign-in-link outbox" BENCH_LIST_CONNECTIONS=16 BENCH_THREADS=2 BENCH_PG_PORT=54329 BENCH_APP_PORT=18080
# BENCH_SMTP_PORT=18025 BENCH_MAIL_TASKS="4 8 16" BENCH_OUTBOX_THINK_MS=8 BENCH_OUTBOX_SECONDS=20
# BENCH_OUTBOX_LOADS="0 8" BENCH_OUTBOX_ROUNDS="1 2 3 control alternating-1 alternating-2 alternating-control"
# (a round named control* holds its burst; alternating* rounds take BENCH_OUTBOX_SLICES=6 and
# BENCH_OUTBOX_SLICE_SECONDS=5)
# BENCH_KEEP_DATA=1 (reuse the cluster and seeded databases of a previous run).
#
# Case `outbox` (at N = $BENCH_FULL_AT): a real SMTP server (aiosmtpd from PyPI, discarding what it
# receives) on 127.0.0.1:$BENCH_SMTP_PORT; a burst of 1,000 evidence submissions queues 1,000
# messages through the measured server (its delivery worker is off, as in every case); a second
# process with the worker on delivers them, first with nothing else running (the delivery rate:
# unpaced at each of $BENCH_MAIL_TASKS tasks, then at the default 8 tasks and 250 a second); then
# the serving process delivers, with its default pace, while wrk reads coverage from it: three
# rounds flat out and three with a pause between requests, each comparing the reads while a
# burst is delivered (window B) with the same reads just before (A) and after it (C), for the
# same length of time, and at each load a control round that holds the burst back during B; then
# alternating rounds, where short delivering slices alternate with idle ones (alternating_round).
# The server gets the caller's environment, so e.g. KSBFOLIO_DB_POOL_SIZE=8 make bench compares.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${BENCH_OUT:-$ROOT/target/bench}
SIZES=${BENCH_SIZES:-"1000 10000"}
FULL_AT=${BENCH_FULL_AT:-10000}
SEED=${BENCH_SEED:-7}
RUN_SECONDS=${BENCH_SECONDS:-20}
WARMUP=${BENCH_WARMUP:-5}
CONNS=${BENCH_CONNECTIONS:-"16 64"}
# Reads also run with one client: the latency of a request on an otherwise idle machine.
READ_CONNS=${BENCH_READ_CONNECTIONS:-"1 $CONNS"}
CASES=${BENCH_CASES:-"coverage caseload inbox review-queue signoff-queue otj-queue reviews otj create review login sign-in-link outbox"}
# The lists that joined after run 3 are read at these client counts only (one server, wrk).
LIST_CONNS=${BENCH_LIST_CONNECTIONS:-16}
SMTP_PORT=${BENCH_SMTP_PORT:-18025}
# Delivery tasks of the worker process in the outbox case's delivery-alone runs, one run each.
MAIL_TASKS=${BENCH_MAIL_TASKS:-"4 8 16"}
# The pause of each client between requests in the outbox case's below-saturation rounds.
OUTBOX_THINK=${BENCH_OUTBOX_THINK_MS:-8}
# The length of each of its windows of reads, idle and delivering.
OUTBOX_SECONDS=${BENCH_OUTBOX_SECONDS:-20}
# Its loads (a client's pause in ms, 0: flat out) and its rounds at each load.
OUTBOX_LOADS=${BENCH_OUTBOX_LOADS:-"0 $OUTBOX_THINK"}
OUTBOX_ROUNDS=${BENCH_OUTBOX_ROUNDS:-"1 2 3 control alternating-1 alternating-2 alternating-control"}
# An alternating round's slices: $OUTBOX_SLICES delivering slices of $OUTBOX_SLICE_SECONDS s, each
# between two idle ones.
OUTBOX_SLICES=${BENCH_OUTBOX_SLICES:-6}
OUTBOX_SLICE_SECONDS=${BENCH_OUTBOX_SLICE_SECONDS:-5}
THREADS=${BENCH_THREADS:-2}
PG_PORT=${BENCH_PG_PORT:-54329}
APP_PORT=${BENCH_APP_PORT:-18080}
KEEP=${BENCH_KEEP_DATA:-0}
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/ksbfolio
PY="python3 $ROOT/bench/bench.py"
PGDATA_DIR=$OUT/pg/data
PGLOG=$OUT/pg/server.log
TAG=$(printf '%04x-%04x' $(((SEED >> 16) & 0xffff)) $((SEED & 0xffff)))
export KSBFOLIO_JWT_SECRET="bench-only-secret-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

say() { printf '\n== %s\n' "$*" >&2; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# --- tools ---------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get install -y wrk >/dev/null; fi
fi
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || PGBIN=$(dirname "$(command -v pg_ctl)")
PGBENCH=$PGBIN/pgbench; [ -x "$PGBENCH" ] || PGBENCH=$(command -v pgbench)
for tool in python3 psql curl; do command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }; done

say "building the release binary"
cargo build --release --locked --quiet

# --- the private cluster ---------------------------------------------------------------------
APP_PID=""
WORKER_PID=""
SMTP_PID=""
cleanup() {
  # The mail server may be stopped mid-round (alternating rounds): it must run to end.
  if [ -n "$SMTP_PID" ]; then kill -CONT "$SMTP_PID" 2>/dev/null || true; fi
  for pid in "$APP_PID" "$WORKER_PID" "$SMTP_PID"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  if [ -f "$PGDATA_DIR/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
if [ "$KEEP" != 1 ] || [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
  say "initialising a private PostgreSQL cluster in $OUT/pg"
  rm -rf "$OUT/pg"
  mkdir -p "$OUT/pg/run"
  [ "$(id -u)" = 0 ] && chown -R postgres "$OUT/pg"
  as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
# Sized for a machine with a few GB to spare; synchronous_commit stays on (writes are durable).
as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -w -o "-c listen_addresses=127.0.0.1 -p $PG_PORT \
  -k $OUT/pg/run -c max_connections=200 -c shared_buffers=1GB -c effective_cache_size=8GB \
  -c work_mem=16MB -c max_wal_size=8GB -c checkpoint_timeout=30min -c log_line_prefix='%m [%p] '" start >/dev/null
PGURL="postgres://postgres@127.0.0.1:$PG_PORT"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src migrations || echo ' (with uncommitted changes in src/ or migrations/)')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), nproc $(nproc)"
  echo "memory: $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "postgres: $("$PGBIN/postgres" --version)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "settings: seconds=$RUN_SECONDS warmup=$WARMUP connections=[$CONNS] threads=$THREADS seed=$SEED"
} | tee "$OUT/machine.txt" >&2
: > "$OUT/results.jsonl"

# The measured server delivers no e-mail (KSBFOLIO_MAIL_WORKER=false): the seed leaves thousands of
# review reminders due, and their delivery would run through every read case and its captured SQL.
# Delivery is measured on its own, by case `outbox`.
start_server() { # $1 = database url, $2 = log file, $3 = true: this process delivers e-mail too (default false)
  DATABASE_URL=$1 KSBFOLIO_BIND=127.0.0.1:$APP_PORT KSBFOLIO_DATA_DIR=$OUT/app-data \
    KSBFOLIO_STATIC_DIR=$OUT/no-frontend KSBFOLIO_MAIL_WORKER=${3:-false} "$BIN" serve >"$2" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$APP_PORT/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$APP_PID" 2>/dev/null || { cat "$2" >&2; echo "the server stopped" >&2; exit 1; }
    sleep 0.1
  done
  echo "the server did not become ready" >&2; exit 1
}

stop_server() {
  kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
}

first_request() { # $1 = lua data file: method, path, auth, body of its first request (k = 1)
  python3 - "$1" <<'EOF'
import re, sys
line = open(sys.argv[1]).read().split("\n")[1]
print("\t".join(re.findall(r"\[==\[(.*?)\]==\]", line)[:4]))
EOF
}

send() { # method path auth [body]
  local args=(-fsS -o /dev/null -X "$1" "http://127.0.0.1:$APP_PORT$2" -H "Authorization: $3")
  [ -n "${4:-}" ] && args+=(-H "Content-Type: application/json" --data "$4")
  curl "${args[@]}"
}

capture() { # case data-file out.json: warm the pool, then log exactly one request
  local method path auth body
  IFS=$'\t' read -r method path auth body < <(first_request "$2")
  for _ in 1 2 3; do send GET "$path" "$auth" >/dev/null 2>&1 || true; done
  [ "$method" = POST ] && send "$method" "$path" "$auth" "$body"
  sleep 0.3
  local offset; offset=$(stat -c %s "$PGLOG")
  send "$method" "$path" "$auth" "$body"
  sleep 0.5
  $PY capture --log "$PGLOG" --offset "$offset" --out "$3"
}

record() { # json fields … appended to results.jsonl
  python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1])))' "$1" >> "$OUT/results.jsonl"
}

postmaster() { head -1 "$PGDATA_DIR/postmaster.pid"; }

merge() { # json-a json-b -> one object (b's keys added to a)
  python3 -c 'import json,sys; a=json.loads(sys.argv[1]); a.update(json.loads(sys.argv[2])); print(json.dumps(a))' "$1" "$2"
}

run_wrk() { # n case conns data-file
  local n=$1 case=$2 c=$3 data=$4
  # BENCH_ROW: JSON fields added to the recorded row (and, spelled out, to the raw output's name).
  local out=$OUT/n$1/wrk-$2-$3$(printf '%s' "${BENCH_ROW:-}" | tr -dc 'A-Za-z0-9-' | sed 's/^./-&/').txt
  local THREADS=$((c < THREADS ? c : THREADS))
  # Warm-up (not recorded). Review decisions skip it: each piece of evidence is reviewed once.
  if [ "$case" != review ] && [ "${NO_WARMUP:-0}" != 1 ]; then
    BENCH_DATA=$data BENCH_THREADS=$THREADS wrk -t"$THREADS" -c"$c" -d"${WARMUP}s" --timeout 10s \
      -s bench/wrk/requests.lua "http://127.0.0.1:$APP_PORT" >/dev/null
  fi
  echo 5 > "/proc/$APP_PID/clear_refs" # reset the peak RSS (VmHWM) to now
  local cpu; cpu=$(BENCH_DATA=$data BENCH_THREADS=$THREADS $PY measure --server "$APP_PID" --postmaster "$(postmaster)" \
    --out "$out" -- wrk -t"$THREADS" -c"$c" -d"${RUN_SECONDS}s" --timeout 10s --latency \
    -s bench/wrk/requests.lua "http://127.0.0.1:$APP_PORT")
  local hwm; hwm=$(awk '/VmHWM/{print $2}' "/proc/$APP_PID/status")
  local result; result=$(sed -n 's/^BENCH_RESULT //p' "$out")
  record "$(merge "$(python3 -c '
import json, sys
r = json.loads(sys.argv[1]); n, case, c, hwm, items = sys.argv[2:7]
errors = r["errors_connect"] + r["errors_read"] + r["errors_write"] + r["errors_status"] + r["errors_timeout"]
print(json.dumps({"n": int(n), "case": case, "conns": int(c), "tool": "wrk", "requests": r["requests"],
  "rps": r["requests"] / (r["duration_us"] / 1e6), "p50_us": r["p50_us"], "p99_us": r["p99_us"],
  "mean_us": r["mean_us"], "errors": errors, "non_2xx": r["errors_status"], "rss_hwm_kb": int(hwm),
  "distinct_requests": int(items)}))' "$result" "$n" "$case" "$c" "$hwm" "$(grep -c '^{' "$data")")" \
    "$(merge "$cpu" "${BENCH_ROW:-"{}"}")")"
  tail -1 "$OUT/results.jsonl" >&2
}

run_pgbench() { # n case conns
  local n=$1 case=$2 c=$3 dir=$OUT/n$1
  local THREADS=$((c < THREADS ? c : THREADS))
  local script=$dir/pgbench-$case.sql defines
  mapfile -t defines < "$script.defines"
  "$PGBENCH" -n -M prepared -c "$c" -j "$THREADS" -T "$WARMUP" -f "$script" "${defines[@]}" "$DB" >/dev/null 2>&1
  rm -f "$dir"/pgb-"$case"-"$c".*
  local cpu; cpu=$($PY measure --postmaster "$(postmaster)" --out "$dir/pgbench-$case-$c.txt" -- \
    "$PGBENCH" -n -M prepared -c "$c" -j "$THREADS" -T "$RUN_SECONDS" -f "$script" "${defines[@]}" \
    -l --log-prefix="$dir/pgb-$case-$c" "$DB")
  local tps; tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$dir/pgbench-$case-$c.txt" | tail -1)
  local failed; failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$dir/pgbench-$case-$c.txt")
  local lat; lat=$($PY pglat "$dir"/pgb-"$case"-"$c".*)
  rm -f "$dir"/pgb-"$case"-"$c".*
  record "$(merge "$(python3 -c '
import json, sys
lat = json.loads(sys.argv[1]); n, case, c, tps, failed = sys.argv[2:7]
print(json.dumps({"n": int(n), "case": case, "conns": int(c), "tool": "pgbench", "requests": lat["transactions"],
  "rps": float(tps), "p50_us": lat["p50_us"], "p99_us": lat["p99_us"], "mean_us": lat["mean_us"],
  "errors": int(failed or 0)}))' "$lat" "$n" "$case" "$c" "$tps" "$failed")" "$cpu")"
  tail -1 "$OUT/results.jsonl" >&2
}

wanted() { [[ " $CASES " == *" $1 "* ]]; }

start_worker() { # $1 = log file, $2 = delivery tasks, $3 = messages per second (0: unpaced): a second process on the same database that only delivers e-mail
  DATABASE_URL=$DB KSBFOLIO_BIND=127.0.0.1:$((APP_PORT + 1)) KSBFOLIO_DATA_DIR=$OUT/worker-data \
    KSBFOLIO_STATIC_DIR=$OUT/no-frontend KSBFOLIO_MAIL_WORKER=true KSBFOLIO_MAIL_CONCURRENCY=$2 \
    KSBFOLIO_MAIL_RATE=$3 "$BIN" serve >"$1" 2>&1 &
  WORKER_PID=$!
}

stop_worker() { kill "$WORKER_PID"; wait "$WORKER_PID" 2>/dev/null || true; WORKER_PID=""; }

process_cpu_s() { # pid: the user + system CPU seconds it has used so far
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

cpu_used() { # name before after: a JSON field with the CPU seconds used in between
  python3 -c 'import sys; print("{\"%s\": %.2f}" % (sys.argv[1], float(sys.argv[3]) - float(sys.argv[2])))' "$@"
}

burst() { # n round
  local result; result=$($PY burst --db "$DB" --url "http://127.0.0.1:$APP_PORT" --seed-tag "$TAG" \
    --count 1000 --clients 16 --round "$2")
  echo "burst $2: $result" >&2
}

delivered_while() { # n think round: the fields naming a delivery by the serving process
  printf '{"n": %s, "case": "outbox delivery", "while": "coverage reads at 16 clients, think %s ms, by the serving process (8 tasks, %s/s, %s/s busy), round %s"}' \
    "$1" "$2" "${KSBFOLIO_MAIL_RATE:-250}" "${KSBFOLIO_MAIL_BUSY_RATE:-10}" "$3"
}

alternating_round() { # n think round: idle and delivering slices in turn, within one round
  # A round of windows of 20 s measures the machine's drift as well: on a shared host the idle
  # windows of one round differed by up to 15%, steal or not, in a control round too. Here the
  # reads run in short slices, idle and delivering in turn, and each delivering slice is compared
  # with the idle slices either side of it: a drift slower than a few seconds counts on both
  # sides. Delivery is paused by stopping the mail server (SIGSTOP): each task then waits on the
  # message in its hand, holding no database connection and using no CPU, and nothing is written
  # to pause or resume it. A round named alternating-control* never resumes it during the slices.
  local n=$1 think=$2 round=$3 dir=$OUT/n$1 i deliver=true
  [[ $round == *control* ]] && deliver=false
  say "N = $n, think $think ms, round $round: coverage reads at 16 clients, $OUTBOX_SLICES slices of $OUTBOX_SLICE_SECONDS s $([ $deliver = true ] && echo delivering || echo held) between idle ones"
  burst "$n" "loaded-$think-$round"
  $PY data coverage --db "$DB" --seed-tag "$TAG" --out "$dir/coverage.lua"
  psql "$DB" -Xq -c "VACUUM (ANALYZE)"
  stop_server
  kill -STOP "$SMTP_PID"
  start_server "$DB" "$dir/server-outbox-delivering.log" true
  local since; since=$(date +%s.%N)
  for i in $(seq 0 "$OUTBOX_SLICES"); do
    BENCH_ROW="{\"round\": \"$round\", \"window\": \"idle\", \"slice\": $i}" BENCH_THINK_MS=$think \
      RUN_SECONDS=$OUTBOX_SLICE_SECONDS NO_WARMUP=$((i > 0)) \
      run_wrk "$n" "coverage-outbox-think-$think" 16 "$dir/coverage.lua"
    [ "$i" -lt "$OUTBOX_SLICES" ] || break
    $deliver && kill -CONT "$SMTP_PID"
    BENCH_ROW="{\"round\": \"$round\", \"window\": \"delivering\", \"slice\": $i}" BENCH_THINK_MS=$think \
      RUN_SECONDS=$OUTBOX_SLICE_SECONDS NO_WARMUP=1 \
      run_wrk "$n" "coverage-outbox-think-$think" 16 "$dir/coverage.lua"
    $deliver && kill -STOP "$SMTP_PID"
  done
  kill -CONT "$SMTP_PID"
  local drained; drained=$($PY drain --db "$DB" --since "$since")
  record "$(merge "$(delivered_while "$n" "$think" "$round")" "$drained")"
  tail -1 "$OUT/results.jsonl" >&2
  stop_server
  start_server "$DB" "$dir/server-outbox.log"
}

outbox_case() { # n: delivery rate alone, then coverage reads while a burst is delivered
  local n=$1 dir=$OUT/n$1 since drained seconds
  scripts/ensure-smtp-test-server.sh "$OUT/smtp-venv"
  # The mail server stands in for a relay on another machine: under SCHED_IDLE, so it runs only
  # when the two shared cores have nothing else to do and the reads measure what delivery costs
  # the app, not what a Python SMTP server on the same cores costs.
  chrt --idle 0 "$OUT/smtp-venv/bin/python" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Sink \
    >"$dir/smtp.log" 2>&1 &
  SMTP_PID=$!
  export KSBFOLIO_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
  # What the seed left due (thousands of review reminders) is set aside: only the bursts count.
  psql "$DB" -Xq -c "UPDATE outbox SET status = 'skipped' WHERE status = 'pending' AND delivery = 'immediate'"
  start_server "$DB" "$dir/server-outbox.log"

  local tasks rate round=0 pace
  # Each task count unpaced (what the tasks can do), then the default: 8 tasks at 250 a second.
  for pace in $(for t in $MAIL_TASKS; do echo "$t:0"; done) 8:250; do
    tasks=${pace%%:*} rate=${pace##*:} round=$((round + 1))
    say "N = $n: outbox delivery of a burst of 1,000 submissions by $tasks tasks at rate $rate/s (0: unpaced), nothing else running"
    burst "$n" "alone-$round"
    since=$(date +%s.%N)
    smtp0=$(process_cpu_s "$SMTP_PID")
    start_worker "$dir/worker-alone-$tasks-$rate.log" "$tasks" "$rate"
    drained=$($PY drain --db "$DB" --since "$since")
    # The CPU the delivery took in the worker process (its start-up included) and in the mail server.
    drained=$(merge "$drained" "$(cpu_used cpu_worker_s 0 "$(process_cpu_s "$WORKER_PID")")")
    drained=$(merge "$drained" "$(cpu_used cpu_smtp_s "$smtp0" "$(process_cpu_s "$SMTP_PID")")")
    stop_worker
    record "$(merge "{\"n\": $n, \"case\": \"outbox delivery\", \"while\": \"alone, $tasks tasks, rate $rate\"}" "$drained")"
    tail -1 "$OUT/results.jsonl" >&2
  done
  # Reads are measured for $OUTBOX_SECONDS s a window: at the busy pace (10 a second) a burst of
  # 1,000 lasts 100 s under load, so the delivering window lies within the delivery.
  seconds=$OUTBOX_SECONDS

  # Then as in production: the process that answers the reads delivers too, with its default
  # pace (250 a second, 10 while it is answering requests). Each round: a burst of submissions
  # through the server without a worker, its messages held back; the server restarted with its
  # worker; reads for `seconds` (window A, idle, after the usual warm-up); the messages released;
  # reads for `seconds` again (window B, delivering); the burst drained; reads for `seconds` once
  # more (window C, idle again). B is compared with the mean of A and C, so a drift of the machine
  # over the round (a cache warming, the burst's writes settling) counts on both sides. A control
  # round does the same but releases the messages only after B: what it shows between B and A/C
  # is the noise of the measurement itself. Three rounds and a control at each load: 16 clients
  # flat out (the machine saturated) and 16 clients that each pause $OUTBOX_THINK ms
  # (BENCH_OUTBOX_THINK_MS) between requests (below saturation, as people use the app).
  local hold="UPDATE outbox SET next_attempt_at = now() + interval '1 day' WHERE status = 'pending' AND delivery = 'immediate'"
  local release="UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending' AND delivery = 'immediate'"
  local think kind
  for think in $OUTBOX_LOADS; do
    for round in $OUTBOX_ROUNDS; do
      if [[ $round == alternating* ]]; then
        alternating_round "$n" "$think" "$round"
        continue
      fi
      kind=delivering; [[ $round == control* ]] && kind=held
      say "N = $n, think $think ms, round $round: coverage reads at 16 clients, $seconds s idle, $seconds s $kind, $seconds s idle again"
      burst "$n" "loaded-$think-$round"
      # Fresh tokens each round (they are valid for 15 minutes; the rounds take longer together).
      $PY data coverage --db "$DB" --seed-tag "$TAG" --out "$dir/coverage.lua"
      psql "$DB" -Xq -c "$hold"
      # The burst's writes settled before the reads (else autovacuum takes them up during one
      # window of the round but not the others).
      psql "$DB" -Xq -c "VACUUM (ANALYZE)"
      stop_server
      start_server "$DB" "$dir/server-outbox-delivering.log" true
      BENCH_ROW="{\"round\": \"$round\", \"window\": \"A\"}" BENCH_THINK_MS=$think RUN_SECONDS=$seconds \
        run_wrk "$n" "coverage-outbox-think-$think" 16 "$dir/coverage.lua"
      since=$(date +%s.%N) server0=$(process_cpu_s "$APP_PID") smtp0=$(process_cpu_s "$SMTP_PID")
      [[ $round == control* ]] || psql "$DB" -Xq -c "$release"
      BENCH_ROW="{\"round\": \"$round\", \"window\": \"B\"}" BENCH_THINK_MS=$think RUN_SECONDS=$seconds NO_WARMUP=1 \
        run_wrk "$n" "coverage-outbox-think-$think" 16 "$dir/coverage.lua"
      [[ $round == control* ]] && psql "$DB" -Xq -c "$release"
      drained=$($PY drain --db "$DB" --since "$since")
      # The server's CPU from the release to the last message sent: its reads and its delivery.
      drained=$(merge "$drained" "$(cpu_used cpu_server_s "$server0" "$(process_cpu_s "$APP_PID")")")
      drained=$(merge "$drained" "$(cpu_used cpu_smtp_s "$smtp0" "$(process_cpu_s "$SMTP_PID")")")
      record "$(merge "$(delivered_while "$n" "$think" "$round")" "$drained")"
      tail -1 "$OUT/results.jsonl" >&2
      BENCH_ROW="{\"round\": \"$round\", \"window\": \"C\"}" BENCH_THINK_MS=$think RUN_SECONDS=$seconds NO_WARMUP=1 \
        run_wrk "$n" "coverage-outbox-think-$think" 16 "$dir/coverage.lua"
      stop_server
      start_server "$DB" "$dir/server-outbox.log"
    done
  done
  stop_server
  kill "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true; SMTP_PID=""
  unset KSBFOLIO_SMTP_URL
}

for N in $SIZES; do
  DIR=$OUT/n$N; mkdir -p "$DIR"
  DBNAME=ksbfolio_bench_$N
  DB=$PGURL/$DBNAME
  if [ "$KEEP" = 1 ] && psql "$PGURL/postgres" -XAtc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" | grep -q 1; then
    say "N = $N: reusing $DBNAME (vacuumed first: earlier write cases leave dead rows behind)"
    psql "$DB" -Xq -c "VACUUM (ANALYZE)"
  else
    say "N = $N: seeding $DBNAME"
    psql "$PGURL/postgres" -Xq -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" -c "CREATE DATABASE $DBNAME"
    start=$(date +%s%N)
    DATABASE_URL=$DB "$BIN" --log warn demo seed --apprenticeships "$N" --seed "$SEED" | tee "$DIR/seed.txt" >&2
    ms=$((($(date +%s%N) - start) / 1000000))
    record "{\"n\": $N, \"case\": \"seed\", \"ms\": $ms, \"db_bytes\": $(psql "$DB" -XAtc 'SELECT pg_database_size(current_database())')}"
    psql "$DB" -Xq -v seedtag="$TAG" -f bench/prepare.sql
  fi
  PROVIDERS=$(psql "$DB" -XAtc "SELECT count(*) FROM organisations WHERE kind = 'provider' AND substr(id::text, 5, 9) = '$TAG'")

  say "N = $N: recording the SQL each endpoint runs"
  psql "$DB" -Xq -c "ALTER DATABASE $DBNAME SET log_statement = 'all'"
  start_server "$DB" "$DIR/server-capture.log"
  $PY data coverage --db "$DB" --seed-tag "$TAG" --out "$DIR/coverage.lua"
  $PY data caseload --db "$DB" --seed-tag "$TAG" --out "$DIR/caseload.lua"
  capture coverage "$DIR/coverage.lua" "$DIR/captured-coverage.json"
  capture caseload "$DIR/caseload.lua" "$DIR/captured-caseload.json"
  $PY data inbox --db "$DB" --seed-tag "$TAG" --out "$DIR/inbox.lua"
  capture inbox "$DIR/inbox.lua" "$DIR/captured-inbox.json"
  if [ "$N" = "$FULL_AT" ]; then
    $PY data create --db "$DB" --seed-tag "$TAG" --out "$DIR/create.lua"
    capture create "$DIR/create.lua" "$DIR/captured-create.json"
  fi
  stop_server
  psql "$DB" -Xq -c "ALTER DATABASE $DBNAME RESET log_statement"
  $PY pgscript coverage --captured "$DIR/captured-coverage.json" --seed-tag "$TAG" --k 1 \
    --apprenticeships "$N" --out "$DIR/pgbench-coverage.sql"
  $PY pgscript caseload --captured "$DIR/captured-caseload.json" --seed-tag "$TAG" --provider 1 --tutor 1001 \
    --apprenticeships "$N" --providers "$PROVIDERS" --out "$DIR/pgbench-caseload.sql"
  $PY explain "$DIR"/captured-*.json > "$DIR/plans.sql"
  psql "$DB" -X -f "$DIR/plans.sql" > "$DIR/plans.txt" 2>&1

  say "N = $N: load"
  start_server "$DB" "$DIR/server.log"
  for CASE in coverage caseload inbox; do
    wanted "$CASE" || continue
    for C in $READ_CONNS; do
      $PY data "$CASE" --db "$DB" --seed-tag "$TAG" --out "$DIR/$CASE.lua"
      run_wrk "$N" "$CASE" "$C" "$DIR/$CASE.lua"
      [ "$CASE" = inbox ] || run_pgbench "$N" "$CASE" "$C"
    done
  done
  for CASE in review-queue signoff-queue otj-queue reviews otj; do
    wanted "$CASE" || continue
    for C in $LIST_CONNS; do
      $PY data "$CASE" --db "$DB" --seed-tag "$TAG" --out "$DIR/$CASE.lua"
      run_wrk "$N" "$CASE" "$C" "$DIR/$CASE.lua"
    done
  done
  if [ "$N" = "$FULL_AT" ]; then
    for CASE in create review login; do
      wanted "$CASE" || continue
      for C in $CONNS; do
        $PY data "$CASE" --db "$DB" --seed-tag "$TAG" --out "$DIR/$CASE.lua"
        run_wrk "$N" "$CASE" "$C" "$DIR/$CASE.lua"
      done
    done
  fi
  stop_server
  if [ "$N" = "$FULL_AT" ] && wanted sign-in-link; then
    # Known and unknown addresses, one after the other: the answer is the same, and so should
    # the time be. Every request counts against its client address, so the limit is lifted.
    say "N = $N: sign-in link requests, known and unknown addresses"
    KSBFOLIO_LOGIN_FAILURES_PER_ADDRESS=1000000000 start_server "$DB" "$DIR/server-sign-in-link.log"
    for C in 1 16; do
      for CASE in sign-in-link-known sign-in-link-unknown; do
        $PY data "$CASE" --db "$DB" --seed-tag "$TAG" --out "$DIR/$CASE.lua"
        # Each case starts from the same throttle state: without this, the second case counts the
        # first one's attempts from this client address on every request (the limit is lifted, so
        # they pile up) and is slower for that alone.
        psql "$DB" -Xq -c "TRUNCATE login_failures, sign_in_throttle" -c "VACUUM (ANALYZE) login_failures, sign_in_throttle"
        run_wrk "$N" "$CASE" "$C" "$DIR/$CASE.lua"
      done
    done
    stop_server
  fi
  if [ "$N" = "$FULL_AT" ] && wanted outbox; then outbox_case "$N"; fi
done

say "results (also in $OUT/results.jsonl, raw output in $OUT/n*/)"
cat "$OUT/machine.txt"
echo
$PY report "$OUT/results.jsonl" | tee "$OUT/results.md"
