#!/usr/bin/env bash
# Hostile clients against the shipped `negotium serve` on loopback
# (bench/serve_hostile.py, standard-library Python): stored XSS in every
# field a page shows, path traversal in every id, 10 MB and 100 MB bodies,
# malformed JSON and wrong content types, cross-site form posts and foreign
# Hosts, five slow clients, a deeply nested formula, a huge size parameter;
# the server must still answer at the end. Prints one line per check and
# exits 1 if any failed. With bench/serve_load.sh (50 clients for 30 s) and
# bench/serve_durability.sh (kill -9 three times during writes) it is the
# hostile-client run of issue 14; figures go to docs/perf/workbench.md.
#
# Usage: bench/serve_hostile.sh      (builds target/release/negotium)
#        NEGOTIUM_BIN=target/debug/negotium bench/serve_hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${NEGOTIUM_BIN:-}" ]]; then
  cargo build -q --release -p negotium
  NEGOTIUM_BIN=target/release/negotium
fi
WORK=$(mktemp -d)
PID=""
cleanup() { [[ -n "$PID" ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$NEGOTIUM_BIN" serve --addr 127.0.0.1:0 --db "$WORK/hostile.db" 2>"$WORK/serve.log" &
PID=$!
BASE=""
for _ in $(seq 1 100); do
  BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve.log" | head -1 || true)
  [[ -n "$BASE" ]] && break; sleep 0.1
done
[[ -n "$BASE" ]] || { cat "$WORK/serve.log"; exit 1; }
python3 bench/serve_hostile.py "$BASE"
echo "integrity: $(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$WORK/hostile.db")"
