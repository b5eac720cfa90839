#!/usr/bin/env bash
# The whole-portfolio download's memory benchmark: GET portfolio.zip of a portfolio with 1 GiB of
# attachments, release build, target: the server's resident memory stays under 128 MiB while it
# streams the archive (docs/BENCHMARKS.md).
#
#   1. builds the release binary, seeds one demo portfolio on a fresh database ($BENCH_ZIP_DB) and
#      serves it on 127.0.0.1:$BENCH_APP_PORT (bench/one_portfolio.sh);
#   2. as the demo apprentice and tutor, adds accepted evidence with one 24 MiB attachment each
#      until the attachments reach $BENCH_ZIP_GIB GiB (bench/zip.py);
#   3. resets the server's peak resident memory, downloads the ZIP once, and prints the result as
#      JSON (also kept in target/bench-zip/result.json). Everything it starts is stopped on exit;
#      the attachments (in target/bench-zip/app-data) are removed.
#
# Settings: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres BENCH_ZIP_DB=ksbfolio_bench_zip
# BENCH_ZIP_GIB=1 BENCH_SEED=7 BENCH_APP_PORT=18082
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=$PWD/target/bench-zip
DBNAME=${BENCH_ZIP_DB:-ksbfolio_bench_zip}
GIB=${BENCH_ZIP_GIB:-1}
SEED=${BENCH_SEED:-7}
PORT=${BENCH_APP_PORT:-18082}
. bench/one_portfolio.sh

echo "== attachments up to $GIB GiB, then one download" >&2
python3 bench/zip.py --url "http://127.0.0.1:$PORT" --seed-output "$OUT/seed.txt" \
  --pid "$APP_PID" --gib "$GIB" --out "$OUT/portfolio.zip" | tee "$OUT/result.json"
cleanup
APP_PID=""
rm -rf "$OUT/app-data"
psql "$SERVER" -Xq -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)"
