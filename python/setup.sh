#!/usr/bin/env bash
# Sets up the Python package from this checkout in a virtual environment
# (.venv at the repository root, ignored by git): creates the venv, installs
# maturin and pytest, builds the extension with `maturin develop` into the
# workspace's target/ (the dev profile, so it shares compiled dependencies
# with `cargo test`) and installs it editable with its extras (pandas, and
# Ray unless --no-ray). With --test it also builds the CLI the tests compare
# against and runs the package's pytest suite (python/tests).
#
#   bash python/setup.sh [--test] [--no-ray] [-- PYTEST ARGS...]
#
# PYTHON picks the interpreter (default python3, >= 3.9); NEGOTIUM_VENV the
# venv's path (default .venv). Used by .ci/run; see docs/python.md.
set -euo pipefail
cd "$(dirname "$0")/.."

test=0
extras="pandas,ray"
while [ $# -gt 0 ]; do
  case "$1" in
    --test) test=1 ;;
    --no-ray) extras="pandas" ;;
    --) shift; break ;;
    *) echo "python/setup.sh: unknown option $1 (expected --test, --no-ray, -- PYTEST ARGS)" >&2; exit 2 ;;
  esac
  shift
done

venv="${NEGOTIUM_VENV:-.venv}"
if [ ! -x "$venv/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$venv"
fi
case "$venv" in /*) ;; *) venv="$PWD/$venv" ;; esac
py="$venv/bin/python"
"$py" -m pip install -q "maturin>=1.9.4,<2" "pytest>=7"

# maturin finds the venv through VIRTUAL_ENV; it installs the package's
# dependencies for the extras too.
(cd python && VIRTUAL_ENV="$venv" "$py" -m maturin develop --locked --extras "$extras")

if [ "$test" = 1 ]; then
  cargo build -p negotium --locked
  NEGOTIUM_BIN="$PWD/target/debug/negotium" "$py" -m pytest python/tests -q "$@"
fi
