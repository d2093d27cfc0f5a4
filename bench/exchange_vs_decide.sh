#!/usr/bin/env bash
# Side-by-side: negotium's exchange model (equal gain) vs the reference
# implementation decide-exchange-model (PyPI, GPL-3.0), installed into a
# scratch venv under bench/scratch (git-ignored) and used as a library.
#
# Both read the same inputs in decide's layout (#A/#P/#M/#D rows):
#   * random inputs written by bench/exchange_gen.py (ACTORS ISSUES SEED),
#     where exact ties between gains practically never occur, and
#   * any decide input files given as arguments (e.g. decide's own
#     data/input/sample_data.txt, which has many exact ties: decide's choice
#     among tied exchanges is then decided by the last digit of its 28-digit
#     decimals, so agreement is expected only up to the first such tie).
# For each input the script compares every exchange (actors, issues, from,
# to, gain) and the final positions, and prints the time per run of each
# side and the ratio.
#
# Usage: bench/exchange_vs_decide.sh [DECIDE_INPUT ...]
# decide's sample files are not in its PyPI package; take them from a copy
# of its repository (foarsitter/decide-exchange-model), e.g. from a bare git
# directory:  git --git-dir=DIR show HEAD:data/input/sample_data.txt \
#               > bench/scratch/dec_sample_data.txt   (likewise copenhagen.csv)
# Env: ROUNDS (10), PY_RUNS (3), RS_RUNS (200), PYTHON (interpreter for the
#      venv; decide declares Python >= 3.13; default: pyenv's 3.13 if present,
#      else python3.13, else python3), CASES ("8 4 1;12 6 4;15 8 5;20 5 6").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
scratch="$here/scratch"
venv="$scratch/decide-venv"
ROUNDS="${ROUNDS:-10}"
PY_RUNS="${PY_RUNS:-3}"
RS_RUNS="${RS_RUNS:-200}"
CASES="${CASES:-8 4 1;12 6 4;15 8 5;20 5 6}"
mkdir -p "$scratch"

if [[ ! -x "$venv/bin/python" ]]; then
  py="${PYTHON:-}"
  if [[ -z "$py" ]]; then
    for cand in "$(ls -d /root/.pyenv/versions/3.13*/bin/python3 2>/dev/null | tail -1)" python3.13 python3; do
      if [[ -n "$cand" ]] && command -v "$cand" >/dev/null 2>&1; then py="$cand"; break; fi
    done
  fi
  echo "creating $venv with $("$py" --version)"
  "$py" -m venv "$venv"
  "$venv/bin/pip" install -q decide-exchange-model
fi
echo "decide: $("$venv/bin/pip" show decide-exchange-model 2>/dev/null | sed -n 's/^Version: //p'), $("$venv/bin/python" --version)"

(cd "$root" && cargo build --release -q -p negotium-spatial --example exchange_decide)
target="$(cd "$root" && cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
rs_bin="$target/release/examples/exchange_decide"

inputs=()
IFS=';' read -ra specs <<<"$CASES"
for s in "${specs[@]}"; do
  read -r n m seed <<<"$s"
  f="$scratch/exchange_random_${n}x${m}_s${seed}.txt"
  python3 "$here/exchange_gen.py" "$n" "$m" "$seed" >"$f"
  inputs+=("$f")
done
inputs+=("$@")

status=0
printf '\n%-32s %9s %12s %12s %8s  %s\n' input exchanges "decide s/run" "rust s/run" ratio agreement
for f in "${inputs[@]}"; do
  "$rs_bin" "$f" "$ROUNDS" "$RS_RUNS" >"$scratch/rs.json"
  "$venv/bin/python" "$here/exchange_decide_driver.py" "$f" "$ROUNDS" "$PY_RUNS" >"$scratch/py.json"
  cmp="$(python3 "$here/exchange_compare.py" "$scratch/rs.json" "$scratch/py.json" 1e-6 || true)"
  summary="$(tail -1 <<<"$cmp")"
  ex="$(sed -n 's/.*exchanges compared \([0-9]*\).*/\1/p' <<<"$summary")"
  bad="$(sed -n 's/.*disagreements \([0-9]*\).*/\1/p' <<<"$summary")"
  first="$(sed -n 's/^first difference: //p' <<<"$cmp" | head -1)"
  rs_sec="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds_per_run"])' "$scratch/rs.json")"
  py_sec="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds_per_run"])' "$scratch/py.json")"
  if [[ "$bad" == 0 ]]; then agree="all agree"; else agree="first difference: ${first:-final positions}"; status=1; fi
  printf '%-32s %9s %12.4f %12.6f %7.0fx  %s\n' "$(basename "$f")" "$ex" "$py_sec" "$rs_sec" \
    "$(awk -v p="$py_sec" -v r="$rs_sec" 'BEGIN { print p / r }')" "$agree"
done
exit $status
