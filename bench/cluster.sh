#!/usr/bin/env bash
# Measurements on the running multi-node topology (`scripts/cluster.sh bench`; docs/SCALING.md):
#
#   1. coverage (64 clients) and caseload (16 and 64 clients) with wrk through HAProxy, on two
#      nodes, then with node b stopped (the proxy sends everything to node a), and straight to
#      node a without the proxy; the same request lists and Lua script as `make bench`;
#   2. replica lag while wrk creates evidence through the proxy (64 clients): the primary's
#      pg_stat_replication sampled every 0.2 s (bytes not yet replayed, replay_lag);
#   3. the failover times the fault tests print (kill -9 of a node during writes, the primary
#      restarted, the standby stopped).
#
# Start the topology first with the data and build to measure, e.g.
#   CLUSTER_PROFILE=release CLUSTER_SEED_APPRENTICESHIPS=1000 scripts/cluster.sh up
# Settings: BENCH_SECONDS=15 BENCH_WARMUP=5 BENCH_THREADS=2. Results: $STATE/bench/results.jsonl.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=${CLUSTER_STATE:-${CARGO_TARGET_DIR:-$ROOT/target}/cluster}
ENV_FILE=$STATE/cluster.env
[ -f "$ENV_FILE" ] || { echo "the topology is not up: scripts/cluster.sh up" >&2; exit 1; }
# shellcheck disable=SC1090
. "$ENV_FILE"
SECONDS_RUN=${BENCH_SECONDS:-15}
WARMUP=${BENCH_WARMUP:-5}
THREADS=${BENCH_THREADS:-2}
OUT=$STATE/bench
TAG=0000-0001 # the demo seed 1 that scripts/cluster.sh up loads
PY="python3 $ROOT/bench/bench.py"
export KSBFOLIO_JWT_SECRET; KSBFOLIO_JWT_SECRET=$(cat "$STATE/jwt-secret")
mkdir -p "$OUT"
: >"$OUT/results.jsonl"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

say() { printf '\n== %s\n' "$*" >&2; }
profile=$(tr '\0' ' ' <"/proc/$(head -1 "$STATE/run/node-a.pid")/cmdline" | awk '{print $NF" "$(NF-1)}')
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "commit: $(git rev-parse --short HEAD)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), nproc $(nproc)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "node binary: $profile"
  echo "apprenticeships: $(psql "$PRIMARY_URL" -XAtc 'SELECT count(*) FROM apprenticeships')"
  echo "settings: seconds=$SECONDS_RUN warmup=$WARMUP threads=$THREADS"
} | tee "$OUT/machine.txt" >&2

say "sessions for the demo people, request lists"
psql "$PRIMARY_URL" -Xq -v seedtag="$TAG" -f bench/prepare.sql
for case in coverage caseload create; do
  $PY data "$case" --db "$PRIMARY_URL" --seed-tag "$TAG" --out "$OUT/$case.lua"
done

transactions() { # url: transactions the server has run on the database (committed and rolled back)
  psql "$1" -XAtc "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
}

run_wrk() { # label case conns url
  local label=$1 case=$2 c=$3 url=$4
  local out=$OUT/wrk-${label//[^a-z0-9]/_}-$case-$c.txt t=$((c < THREADS ? c : THREADS))
  if [ "$case" != create ]; then
    BENCH_DATA=$OUT/$case.lua BENCH_THREADS=$t wrk -t"$t" -c"$c" -d"${WARMUP}s" --timeout 10s \
      -s bench/wrk/requests.lua "$url" >/dev/null
  fi
  local load_before; load_before=$(cut -d' ' -f1 /proc/loadavg)
  # Transactions each server ran during the run: how much of the reading the standby took
  # (the nodes read from it through DATABASE_READ_URL while it keeps up).
  local primary_before standby_before
  primary_before=$(transactions "$PRIMARY_URL") standby_before=$(transactions "$STANDBY_URL")
  BENCH_DATA=$OUT/$case.lua BENCH_THREADS=$t wrk -t"$t" -c"$c" -d"${SECONDS_RUN}s" --timeout 10s --latency \
    -s bench/wrk/requests.lua "$url" >"$out"
  local on_primary=$(($(transactions "$PRIMARY_URL") - primary_before))
  local on_standby=$(($(transactions "$STANDBY_URL") - standby_before))
  python3 - "$out" "$label" "$case" "$c" "$load_before" "$on_primary" "$on_standby" >>"$OUT/results.jsonl" <<'EOF'
import json, sys
out, label, case, c, load, on_primary, on_standby = sys.argv[1:8]
r = json.loads([l for l in open(out) if l.startswith("BENCH_RESULT ")][0].split(" ", 1)[1])
errors = sum(r[k] for k in ("errors_connect", "errors_read", "errors_write", "errors_status", "errors_timeout"))
print(json.dumps({"where": label, "case": case, "conns": int(c), "requests": r["requests"],
  "rps": round(r["requests"] / (r["duration_us"] / 1e6), 1), "p50_ms": r["p50_us"] / 1000,
  "p99_ms": r["p99_us"] / 1000, "errors": errors, "load_before": float(load),
  "transactions_primary": int(on_primary), "transactions_standby": int(on_standby)}))
EOF
  tail -1 "$OUT/results.jsonl" >&2
}

reads() { # label url
  run_wrk "$1" coverage 64 "$2"
  run_wrk "$1" caseload 16 "$2"
  run_wrk "$1" caseload 64 "$2"
}

say "reads through the proxy, two nodes"
reads "proxy, 2 nodes" "$PROXY_URL"

say "replica lag while evidence is created through the proxy (64 clients)"
psql "$PRIMARY_URL" -XAt -F ' ' -c "SELECT pg_current_wal_lsn()" >"$OUT/lsn-before.txt"
(
  end=$((SECONDS + SECONDS_RUN + 3))
  while [ $SECONDS -lt $end ]; do
    psql "$PRIMARY_URL" -XAt -F ' ' -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn),
      coalesce(extract(epoch FROM replay_lag) * 1000, 0) FROM pg_stat_replication" 2>/dev/null || true
    sleep 0.2
  done
) >"$OUT/lag-samples.txt" &
sampler=$!
run_wrk "proxy, 2 nodes" create 64 "$PROXY_URL"
wait "$sampler"
wal=$(psql "$PRIMARY_URL" -XAtc "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$(cat "$OUT/lsn-before.txt")')")
python3 - "$OUT/lag-samples.txt" "$wal" "$SECONDS_RUN" >>"$OUT/results.jsonl" <<'EOF'
import json, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
b = sorted(float(r[0]) for r in rows); ms = sorted(float(r[1]) for r in rows)
pick = lambda v, q: v[min(len(v) - 1, int(q * len(v)))] if v else None
print(json.dumps({"case": "replica lag under create", "samples": len(rows),
  "wal_mib": round(float(sys.argv[2]) / 1048576, 1), "wal_mib_per_s": round(float(sys.argv[2]) / 1048576 / float(sys.argv[3]), 2),
  "bytes_behind_p50": pick(b, .5), "bytes_behind_p99": pick(b, .99), "bytes_behind_max": b[-1] if b else None,
  "replay_lag_ms_p50": pick(ms, .5), "replay_lag_ms_p99": pick(ms, .99), "replay_lag_ms_max": ms[-1] if ms else None}))
EOF
tail -1 "$OUT/results.jsonl" >&2

say "reads through the proxy, node b stopped"
scripts/cluster.sh stop node-b
sleep 3 # the proxy's health checks take node b out
reads "proxy, 1 node" "$PROXY_URL"
say "reads straight to node a (no proxy)"
reads "node a direct" "$NODE_A_URL"
scripts/cluster.sh start node-b

say "failover times (the fault tests)"
KSBFOLIO_CLUSTER_ENV=$ENV_FILE cargo test --locked --quiet --test cluster faults -- --test-threads=1 --nocapture 2>&1 \
  | tee "$OUT/faults.txt" | grep -E '^FAULT|test result' >&2

say "results ($OUT/results.jsonl)"
cat "$OUT/machine.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT/results.jsonl" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| where | case | clients | req/s | p50 ms | p99 ms | errors | transactions primary / standby |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    if "rps" in r:
        split = f"{r.get('transactions_primary', 0):,} / {r.get('transactions_standby', 0):,}"
        print(f"| {r['where']} | {r['case']} | {r['conns']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {split} |")
for r in rows:
    if "samples" in r:
        print(f"\nreplica lag under create: {r}")
EOF
grep '^FAULT' "$OUT/faults.txt" || true
