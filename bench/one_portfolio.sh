# Shared by bench/pdf.sh and bench/zip.sh (sourced, not run): one portfolio on a fresh database,
# served by the release binary. The caller sets OUT, DBNAME, SEED and PORT first; this defines
# ROOT, SERVER, BIN, DB and APP_PID, builds the release binary, seeds `ksbfolio demo seed
# --apprenticeships 1` into $DBNAME (the printed sign-ins in $OUT/seed.txt), starts `ksbfolio
# serve` on 127.0.0.1:$PORT with its data in $OUT/app-data, and stops it on exit.
ROOT=$PWD
SERVER=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
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
