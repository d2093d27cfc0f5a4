#!/usr/bin/env bash
# Side-by-side timing: negotium conflict vs gmcr-py (GMCR+) on synthetic
# 2-DM conflicts of 2^m states (bench/conflict_gen.py). gmcr-py is unpacked
# into bench/scratch/ (git-ignored, never committed; its licence forbids
# redistribution, so it is only run locally). Needs python3 (+ numpy for gmcr-py).
#
# Usage: bench/conflict_vs_gmcr_py.sh [GMCR_PY_GIT_DIR]
#   GMCR_PY_GIT_DIR: a git directory of gmcr-py (e.g. the one the project's
#   search tool `fetch` brings for onp/gmcr-py); its HEAD is unpacked into
#   bench/scratch/gmcr-py. Without it (and without an earlier unpacked copy)
#   only negotium is timed. OPTIONS="10 12" limits the sizes; gmcr-py runs
#   up to GMCR_PY_MAX options (default 14).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
scratch="$here/scratch"
mkdir -p "$scratch"
cargo build --release -p negotium --manifest-path "$root/Cargo.toml" >/dev/null
bin="$root/target/release/negotium"
if [ ! -d "$scratch/gmcr-py" ] && [ -n "${1:-}" ]; then
  mkdir -p "$scratch/gmcr-py"
  git --git-dir="$1" archive HEAD | tar -x -C "$scratch/gmcr-py"
fi
[ -d "$scratch/gmcr-py" ] || echo "(no gmcr-py copy given; timing negotium only)"
py=python3
if [ -d "$scratch/gmcr-py" ]; then
  # gmcr-py needs numpy: a scratch venv from PyPI.
  [ -x "$scratch/gmcr-venv/bin/python" ] || python3 -m venv "$scratch/gmcr-venv"
  "$scratch/gmcr-venv/bin/python" -c "import numpy" 2>/dev/null || "$scratch/gmcr-venv/bin/pip" -q install numpy
  py="$scratch/gmcr-venv/bin/python"
fi
printf "%-8s %-10s %-14s %-14s\n" options states negotium_s gmcr_py_s
for m in ${OPTIONS:-10 12 14 16 18}; do
  f="$scratch/synthetic_$m.gmcr"
  python3 "$here/conflict_gen.py" "$m" 2 7 > "$f"
  t0=$(date +%s.%N)
  "$bin" conflict "$f" --concepts nash,gmr,smr,seq --json > /dev/null
  t1=$(date +%s.%N)
  ng=$(echo "$t1 - $t0" | bc)
  gp="-"
  if [ -d "$scratch/gmcr-py" ] && [ "$m" -le "${GMCR_PY_MAX:-14}" ]; then
    t0=$(date +%s.%N)
    (cd "$scratch/gmcr-py" && timeout 600 "$py" - "$f" <<'PY' >/dev/null 2>&1) && gp=$(echo "$(date +%s.%N) - $t0" | bc) || gp="failed"
import sys
import data_01_conflictModel as model
import data_02_conflictSolvers as solvers
c = model.ConflictModel()
c.load_from_file(sys.argv[1])
s = solvers.LogicalSolver(c)
s.findEquilibria()
PY
  fi
  printf "%-8s %-10s %-14s %-14s\n" "$m" "$((1 << m))" "$ng" "$gp"
done
