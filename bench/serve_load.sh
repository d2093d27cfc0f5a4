#!/usr/bin/env bash
# Load test of the web workbench on loopback with wrk (Debian package):
# 50 connections for 30 s against two read endpoints and one run endpoint.
# Fails if wrk saw any socket error or non-2xx response. Prints latency
# percentiles; figures go to docs/perf/workbench.md.
#
# Usage: bench/serve_load.sh            (builds target/release/negotium)
#        DURATION=10s CONNS=20 bench/serve_load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk"; exit 1; }
if [[ -z "${NEGOTIUM_BIN:-}" ]]; then
  cargo build -q --release -p negotium
  NEGOTIUM_BIN=target/release/negotium
fi
DURATION=${DURATION:-30s}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
WORK=$(mktemp -d)
PID=""
cleanup() { [[ -n "$PID" ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$NEGOTIUM_BIN" serve --addr 127.0.0.1:0 --db "$WORK/load.db" 2>"$WORK/serve.log" &
PID=$!
BASE=""
for _ in $(seq 1 100); do
  BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve.log" | head -1 || true)
  [[ -n "$BASE" ]] && break; sleep 0.1
done
[[ -n "$BASE" ]] || { cat "$WORK/serve.log"; exit 1; }

RUN_BODY='{"lens":"forecast","scenario":"kosovo-status","params":{"issue":"status","model":"median,compromise,nash,eum"}}'
ID=$(curl -fsS -X POST -H 'Content-Type: application/json' -d "$RUN_BODY" "$BASE/api/runs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$RUN_BODY'
wrk.headers["Content-Type"] = "application/json"
LUA

status=0
bench() {
  local name=$1; shift
  echo "== $name: wrk -t$THREADS -c$CONNS -d$DURATION --latency $*"
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" | tee "$WORK/out.txt"
  if grep -Eq 'Non-2xx|Socket errors' "$WORK/out.txt"; then
    echo "FAIL: $name had errors"; status=1
  fi
}
bench "read run JSON"      "$BASE/api/runs/$ID"
bench "read scenario page" "$BASE/scenarios/kosovo-status"
bench "store forecast run" -s "$WORK/post.lua" "$BASE/api/runs"
echo "runs stored: $(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM runs").fetchone()[0])' "$WORK/load.db")"
exit $status
