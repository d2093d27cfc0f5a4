#!/usr/bin/env bash
# Side-by-side: negotium's expected-utility model vs the Python port
# jmckib/bdm-scholz-expected-utility-model on BDM's emission-standards case
# (the port's ExampleActors.csv, fed unchanged to both), Q = 1, 10 rounds.
# Prints both sides' medians per round, the time per run, and the ratio.
#
# Usage:
#   bench/eum_vs_python.sh [SOURCE]        (or BDM_SOURCE=... bench/eum_vs_python.sh)
# SOURCE is one of
#   * a bare git directory of the port (e.g. the one the search tool's
#     `fetch github:jmckib/bdm-scholz-expected-utility-model` returns), or
#   * a checkout / extracted copy containing bdm_scholz_model.py.
# Without SOURCE, an existing bench/scratch/bdm is used. To get the port:
#   git clone https://github.com/jmckib/bdm-scholz-expected-utility-model bench/scratch/bdm
# Everything is unpacked into bench/scratch/ (git-ignored, never committed).
# Env: PY_RUNS (default 3) Python runs to time, RS_RUNS (default 2000) Rust runs,
#      ROUNDS (default 10), PYTHON2 (interpreter for the Python 2 original).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
scratch="$here/scratch"
dest="$scratch/bdm"
src="${1:-${BDM_SOURCE:-}}"
PY_RUNS="${PY_RUNS:-3}"
RS_RUNS="${RS_RUNS:-2000}"
ROUNDS="${ROUNDS:-10}"

mkdir -p "$scratch"
if [[ -n "$src" ]]; then
  rm -rf "$dest"
  mkdir -p "$dest"
  if [[ -f "$src/bdm_scholz_model.py" ]]; then
    cp "$src"/*.py "$src"/*.csv "$dest"/
  elif git --git-dir="$src" rev-parse HEAD >/dev/null 2>&1; then
    git --git-dir="$src" archive HEAD | tar -x -C "$dest"
    echo "port: $(git --git-dir="$src" log -1 --format='%h %ad %s' --date=short)"
  else
    echo "error: $src is neither a git directory nor a copy of the port" >&2
    exit 2
  fi
fi
if [[ ! -f "$dest/bdm_scholz_model.py" ]]; then
  cat >&2 <<EOF
error: no copy of jmckib/bdm-scholz-expected-utility-model in $dest.
Pass its git directory or a checkout as the first argument (or BDM_SOURCE), e.g.
  git clone https://github.com/jmckib/bdm-scholz-expected-utility-model /tmp/bdm
  $0 /tmp/bdm
EOF
  exit 2
fi
csv="$dest/ExampleActors.csv"

# Find a Python 2 for the original; otherwise run a print-statement-converted
# copy under Python 3 (said so in the output).
py=()
mod_dir="$dest"
for cand in "${PYTHON2:-}" python2 python2.7; do
  if [[ -n "$cand" ]] && "$cand" -c 'print 1' >/dev/null 2>&1; then py=("$cand"); break; fi
done
if [[ ${#py[@]} -eq 0 ]] && command -v pyenv >/dev/null 2>&1; then
  v="$(pyenv versions --bare 2>/dev/null | grep -E '^2\.7' | tail -1 || true)"
  if [[ -n "$v" ]] && PYENV_VERSION="$v" python2 -c 'print 1' >/dev/null 2>&1; then
    export PYENV_VERSION="$v"
    py=(python2)
  fi
fi
if [[ ${#py[@]} -eq 0 ]]; then
  mod_dir="$scratch/bdm-py3"
  mkdir -p "$mod_dir"
  sed -e 's/^\( *\)print \(.*\)$/\1print(\2)/' -e "s/'rU'/'r'/" \
    "$dest/bdm_scholz_model.py" >"$mod_dir/bdm_scholz_model.py"
  py=(python3)
  echo "note: no Python 2 found; timing a print()-converted copy under $(python3 --version)"
fi
echo "python: $("${py[@]}" --version 2>&1)"

driver="$scratch/eum_driver.py"
cat >"$driver" <<'EOF'
import os, sys, time
mod_dir, csv_path, rounds, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, mod_dir)
import bdm_scholz_model as m
real = sys.stdout
sink = open(os.devnull, 'w')
# One run with output kept, for the medians.
try:
    from StringIO import StringIO  # Python 2
except ImportError:
    from io import StringIO
buf = StringIO()
sys.stdout = buf
m.BDMScholzModel.from_csv_path(csv_path).run_model(num_rounds=rounds)
sys.stdout = real
meds = [l.split(':')[1].strip() for l in buf.getvalue().splitlines() if l.startswith('Median position')]
sys.stdout.write('medians ' + ' '.join(meds) + '\n')
t0 = time.time()
sys.stdout = sink
for _ in range(runs):
    m.BDMScholzModel.from_csv_path(csv_path).run_model(num_rounds=rounds)
sys.stdout = real
sys.stdout.write('seconds per run: %.6f\n' % ((time.time() - t0) / runs))
EOF

echo "== python: $PY_RUNS run(s) of $ROUNDS rounds"
py_out="$("${py[@]}" "$driver" "$mod_dir" "$csv" "$ROUNDS" "$PY_RUNS")"
py_sec="$(sed -n 's/^seconds per run: //p' <<<"$py_out")"
py_med="$(sed -n 's/^medians //p' <<<"$py_out")"

echo "== rust: $RS_RUNS runs of $ROUNDS rounds (release build)"
(cd "$root" && cargo build --release -q -p negotium-spatial --example eum_emission)
target="$(cd "$root" && cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
rs_out="$("$target/release/examples/eum_emission" "$RS_RUNS" "$ROUNDS" "$csv")"
rs_sec="$(sed -n 's/^seconds per run: //p' <<<"$rs_out")"
rs_med="$(sed -n 's/^round *\([0-9]*\): median \([0-9.]*\).*/\2/p' <<<"$rs_out" | tr '\n' ' ')"

echo
echo "round  python      rust"
paste -d' ' <(tr ' ' '\n' <<<"$py_med" | sed '/^$/d') <(tr ' ' '\n' <<<"$rs_med" | sed '/^$/d') |
  awk '{ printf "%5d  %-10.6f  %-10.6f\n", NR-1, $1, $2 }'
echo
printf 'python: %s s/run   rust: %s s/run   rust is %.0fx faster\n' \
  "$py_sec" "$rs_sec" "$(awk -v p="$py_sec" -v r="$rs_sec" 'BEGIN { print p / r }')"
