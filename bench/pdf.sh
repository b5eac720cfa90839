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
OUT=$PWD/target/bench-pdf
DBNAME=${BENCH_PDF_DB:-ksbfolio_bench_pdf}
ITEMS=${BENCH_PDF_ITEMS:-300}
RUNS=${BENCH_PDF_RUNS:-10}
SEED=${BENCH_SEED:-7}
PORT=${BENCH_APP_PORT:-18081}
. bench/one_portfolio.sh

echo "== $ITEMS accepted items, then $RUNS timed requests" >&2
result=$(python3 bench/pdf.py --url "http://127.0.0.1:$PORT" --seed-output "$OUT/seed.txt" \
  --items "$ITEMS" --runs "$RUNS")
# The server's peak resident memory over the whole run (seeding and every PDF).
hwm=$(awk '/VmHWM/{print $2}' "/proc/$APP_PID/status")
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r["server_peak_rss_mib"]=round(int(sys.argv[2])/1024); print(json.dumps(r))' \
  "$result" "$hwm" | tee "$OUT/result.json"
psql "$SERVER" -Xq -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)"
