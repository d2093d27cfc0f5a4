#!/usr/bin/env bash
# Side-by-side: negotium's SAO (NegMAS-compatible time-based strategies) vs
# NegMAS from PyPI on the research notes' baseline domain and 19 random-weight
# variants. Installs negmas into bench/scratch/venv (git-ignored).
# Usage: bench/bargain_vs_negmas.sh [N_CASES] [N_TIMING]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCRATCH="$ROOT/bench/scratch/bargain_vs_negmas"
VENV="$ROOT/bench/scratch/venv"
mkdir -p "$SCRATCH"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" show negmas >/dev/null 2>&1 || "$VENV/bin/pip" install -q negmas
(cd "$ROOT" && cargo build --release -q -p negotium)
cd "$SCRATCH"   # not inside site-packages (negmas/types shadows stdlib types)
"$VENV/bin/python" "$ROOT/bench/bargain_vs_negmas.py" "$ROOT/target/release/negotium" "$SCRATCH" "${1:-20}" "${2:-200}"
