#!/usr/bin/env bash
# Durability of the workbench's store: a burst of stored runs from parallel
# clients, `kill -9` of the server in the middle, restart. Checks that
# `PRAGMA integrity_check` is ok and that every run whose response reached a
# client is present (in the database and through the restarted server).
#
# Usage: bench/serve_durability.sh      (builds target/release/negotium)
#        CLIENTS=8 BURST_SECS=3 ROUNDS=3 bench/serve_durability.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${NEGOTIUM_BIN:-}" ]]; then
  cargo build -q --release -p negotium
  NEGOTIUM_BIN=target/release/negotium
fi
CLIENTS=${CLIENTS:-8}
BURST_SECS=${BURST_SECS:-3}
ROUNDS=${ROUNDS:-3}
WORK=$(mktemp -d)
DB="$WORK/durable.db"
PID=""
cleanup() { [[ -n "$PID" ]] && kill -9 "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

start() {
  : >"$WORK/serve.log"
  "$NEGOTIUM_BIN" serve --addr 127.0.0.1:0 --db "$DB" 2>"$WORK/serve.log" &
  PID=$!
  BASE=""
  for _ in $(seq 1 100); do
    BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve.log" | head -1 || true)
    [[ -n "$BASE" ]] && return 0; sleep 0.1
  done
  cat "$WORK/serve.log"; exit 1
}

client() { # posts runs until the server dies; logs ids of answered runs
  local n=$1 body='{"lens":"forecast","scenario":"kosovo-status","params":{"model":"median,compromise"}}'
  while out=$(curl -sS --max-time 10 -X POST -H 'Content-Type: application/json' -d "$body" "$BASE/api/runs" 2>/dev/null); do
    [[ $out =~ ^\{\"id\":([0-9]+), ]] || break   # a stored run's JSON starts with its id
    echo "${BASH_REMATCH[1]}" >>"$WORK/acked.$n"
  done
}

fail=0
for round in $(seq 1 "$ROUNDS"); do
  start
  for c in $(seq 1 "$CLIENTS"); do client "$c" & done
  sleep "$BURST_SECS"
  kill -9 "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  wait  # clients stop when their next request fails
  acked=$(cat "$WORK"/acked.* 2>/dev/null | sort -n | uniq | wc -l)
  python3 - "$DB" "$WORK" <<'PY' || fail=1
import glob, sqlite3, sys
db, work = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
ok = c.execute("PRAGMA integrity_check").fetchone()[0]
ids = {int(x) for f in glob.glob(work + "/acked.*") for x in open(f).read().split()}
have = {r[0] for r in c.execute("SELECT id FROM runs")}
missing = sorted(ids - have)
print(f"  integrity_check={ok} acknowledged={len(ids)} stored={len(have)} missing={len(missing)}")
sys.exit(0 if ok == "ok" and not missing else 1)
PY
  echo "round $round: killed -9 after ${BURST_SECS}s with $CLIENTS clients; $acked runs acknowledged so far"
done
# The restarted server serves every acknowledged run.
start
bad=0
for id in $(cat "$WORK"/acked.* | sort -n | uniq); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/runs/$id")
  [[ "$code" == 200 ]] || { echo "run $id: HTTP $code after restart"; bad=1; }
done
[[ $bad == 0 ]] || fail=1
[[ $fail == 0 ]] && echo "durability: ok" || echo "durability: FAILED"
exit $fail
