#!/usr/bin/env bash
# Browser tests of the web workbench in real headless Chromium, driven by
# chromedriver over WebDriver (tests/browser/webdriver_tests.py, Python
# stdlib only). Installs nothing: CI installs chromium and chromium-driver
# first. Without them the tests are skipped with a notice (exit 0), unless
# BROWSER_TESTS_REQUIRED=1.
#
# Usage: tests/browser/run.sh            (builds target/debug/negotium)
#        NEGOTIUM_BIN=path tests/browser/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

CHROME=${CHROME:-$(command -v chromium || command -v chromium-browser || true)}
DRIVER=${CHROMEDRIVER:-$(command -v chromedriver || true)}
if [[ -z "$CHROME" || -z "$DRIVER" ]]; then
  echo "NOTICE: chromium/chromedriver not found; browser tests skipped (apt-get install -y chromium chromium-driver)"
  [[ "${BROWSER_TESTS_REQUIRED:-0}" == 1 ]] && exit 1
  exit 0
fi

if [[ -z "${NEGOTIUM_BIN:-}" ]]; then
  cargo build -q -p negotium
  NEGOTIUM_BIN=target/debug/negotium
fi

WORK=$(mktemp -d)
OUT=${BROWSER_OUT:-target/browser}
mkdir -p "$OUT"
SERVER_PID=""; DRIVER_PID=""
cleanup() {
  [[ -n "$DRIVER_PID" ]] && kill "$DRIVER_PID" 2>/dev/null || true
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# The workbench on a free loopback port with a fresh database.
"$NEGOTIUM_BIN" serve --addr 127.0.0.1:0 --db "$WORK/wb.sqlite" 2>"$WORK/serve.log" &
SERVER_PID=$!
BASE=""
for _ in $(seq 1 100); do
  BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$WORK/serve.log" | head -1 || true)
  [[ -n "$BASE" ]] && break
  sleep 0.1
done
[[ -n "$BASE" ]] || { echo "server did not start:"; cat "$WORK/serve.log"; exit 1; }

DPORT=$(free_port)
"$DRIVER" --port="$DPORT" --allowed-ips=127.0.0.1 >"$WORK/driver.log" 2>&1 &
DRIVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$DPORT/status" >/dev/null 2>&1 && break
  sleep 0.1
done

"$NEGOTIUM_BIN" report kosovo-status -o "$WORK/report.html" 2>/dev/null

python3 tests/browser/webdriver_tests.py \
  --base "$BASE" --driver "http://127.0.0.1:$DPORT" --chrome "$CHROME" \
  --profile "$WORK/profile" --out "$OUT" --report "$WORK/report.html"
