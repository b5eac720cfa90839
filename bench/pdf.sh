#!/usr/bin/env bash
# The end-point assessment pack's benchmark: GET portfolio.pdf of a portfolio with 300 accepted
# evidence items, release build, target under 2 seconds (docs/BENCHMARKS.md).
#
#   1. builds the release binary;
#   2. creates a fresh database ($BENCH_PDF_DB) on DATABASE_URL's server and loads
#      `ksbfolio demo seed --apprenticeships 1` into it (a realistic mix: drafts, reviews,
#      sign-offs, OTJ time, comments);
#   3. starts `ksbfolio serve` on 127.0.0.1:$BENCH_APP_PORT and, as the demo apprentice and tutor,
#      brings apprenticeship 1 up to $BENCH_PDF_ITEMS accepted items through the API (bench/pdf.py);
#   4. times $BENCH_PDF_RUNS requests for the PDF, one after another, and prints the result as JSON
#      with the server's peak RSS (also kept in target/bench-pdf/result.json). Everything it starts
#      is stopped on exit.
#
# Settings: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_PDF_DB=ksbfolio_bench_pdf
# BENCH_PDF_ITEMS=300 BENCH_PDF_RUNS=10 BENCH_SEED=7 BENCH_APP_PORT=18081
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/bench-pdf
SERVER=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DBNAME=${BENCH_PDF_DB:-ksbfolio_bench_pdf}
ITEMS=${BENCH_PDF_ITEMS:-300}
RUNS=${BENCH_PDF_RUNS:-10}
SEED=${BENCH_SEED:-7}
PORT=${BENCH_APP_PORT:-18081}
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/ksbfolio
DB=${SERVER%/*}/$DBNAME
export KSBFOLIO_JWT_SECRET="bench-only-secret-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
for tool in psql curl python3; do command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }; done

APP_PID=""
cleanup() { if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building the release binary" >&2
cargo build --release --locked --quiet
mkdir -p "$OUT"
rm -rf "$OUT/app-data"

echo "== seeding $DBNAME" >&2
psql "$SERVER" -Xq -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" -c "CREATE DATABASE $DBNAME"
DATABASE_URL=$DB "$BIN" --log warn demo seed --apprenticeships 1 --seed "$SEED" | tee "$OUT/seed.txt" >&2

echo "== serving on 127.0.0.1:$PORT" >&2
DATABASE_URL=$DB KSBFOLIO_BIND=127.0.0.1:$PORT KSBFOLIO_DATA_DIR=$OUT/app-data \
  KSBFOLIO_STATIC_DIR=$OUT/no-frontend KSBFOLIO_MAIL_WORKER=false "$BIN" serve >"$OUT/server.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$OUT/server.log" >&2; echo "the server stopped" >&2; exit 1; }
  sleep 0.1
done

echo "== $ITEMS accepted items, then $RUNS timed requests" >&2
result=$(python3 bench/pdf.py --url "http://127.0.0.1:$PORT" --seed-output "$OUT/seed.txt" \
  --items "$ITEMS" --runs "$RUNS")
# The server's peak resident memory over the whole run (seeding and every PDF).
hwm=$(awk '/VmHWM/{print $2}' "/proc/$APP_PID/status")
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r["server_peak_rss_mib"]=round(int(sys.argv[2])/1024); print(json.dumps(r))' \
  "$result" "$hwm" | tee "$OUT/result.json"
psql "$SERVER" -Xq -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)"
