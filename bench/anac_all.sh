#!/usr/bin/env bash
# Loads, analyses and negotiates every ANAC 2010–2016 GENIUS domain that
# NegMAS ships (143 folders under tests/data/scenarios/anac of its
# repository) and prints one line per domain and the counts.
# The domains are read from a local git copy of yasserfarouk/negmas into
# bench/scratch/anac (git-ignored; nothing of them is committed).
# Usage: bench/anac_all.sh [NEGMAS_GIT_DIR] [STEPS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ANAC="$ROOT/bench/scratch/anac"
if [ ! -d "$ANAC/y2010" ]; then
  [ $# -ge 1 ] || { echo "usage: bench/anac_all.sh NEGMAS_GIT_DIR [STEPS] (no copy in $ANAC yet)" >&2; exit 2; }
  mkdir -p "$ANAC"
  (git -C "$1" archive HEAD tests/data/scenarios/anac || true) | tar x -C "$ANAC" --strip-components=4
  [ -d "$ANAC/y2010" ] || { echo "$1 holds no tests/data/scenarios/anac" >&2; exit 2; }
fi
(cd "$ROOT" && cargo build --release -q -p negotium-scenario --example anac_check)
"$ROOT/target/release/examples/anac_check" "$ANAC" "${2:-1000}" | tee "$ROOT/bench/scratch/anac_all.tsv" | tail -1
