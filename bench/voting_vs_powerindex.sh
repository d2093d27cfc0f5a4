#!/usr/bin/env bash
# Side-by-side: negotium-voting vs the PyPI `powerindex` package (0.3.5,
# generating functions in pure Python) on the same weighted games: exact
# Shapley–Shubik and normalised Banzhaf. Prints both sides' times, the
# largest difference between their values, and the speed ratio.
#
# Usage: bench/voting_vs_powerindex.sh
# Env:   PY_RUNS (default 2) and RS_RUNS (default 5): runs timed per side (best kept);
#        SKIP_SS100=1 skips powerindex's Shapley–Shubik on the 100-member game (slow).
# Installs powerindex into bench/scratch/voting-venv (git-ignored, never committed).
# Both sides are timed in-process (Python: time.perf_counter around the calls;
# Rust: the time_power example around `power()`), excluding start-up.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
scratch="$here/scratch"
venv="$scratch/voting-venv"
PY_RUNS="${PY_RUNS:-2}"
RS_RUNS="${RS_RUNS:-5}"
mkdir -p "$scratch"

if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "powerindex==0.3.5"

(cd "$root" && cargo build -q --release -p negotium-voting --example time_power)
rs="$root/target/release/examples/time_power"

# The games: name, quota, weights (deterministic).
games="$scratch/voting_games.json"
"$venv/bin/python" - "$games" <<'PY'
import json, random, sys
g = []
g.append(("unsc", 39, [7]*5 + [1]*10))
eu = [1849,1517,1323,1078,833,423,401,262,242,236,234,231,213,202,143,132,125,121,119,86,64,47,42,30,21,15,12]
g.append(("eu27-population-only", 6501, eu))
r = random.Random(50)
w = [r.randint(1, 100) for _ in range(50)]
g.append(("random50-w100", sum(w)//2 + 1, w))
r = random.Random(100)
w = [r.randint(1, 1000) for _ in range(100)]
g.append(("random100-w1000", sum(w)//2 + 1, w))
json.dump([{"name": n, "quota": q, "weights": w} for n, q, w in g], open(sys.argv[1], "w"))
PY

"$venv/bin/python" - "$games" "$rs" "$PY_RUNS" "$RS_RUNS" "${SKIP_SS100:-0}" <<'PY'
import json, subprocess, sys, time
import powerindex as px
games = json.load(open(sys.argv[1]))
rs, py_runs, rs_runs, skip = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
print(f"{'game':24} {'n':>4} {'powerindex ms':>14} {'negotium ms':>12} {'ratio':>9} {'max |diff|':>11}")
for g in games:
    q, w = g["quota"], g["weights"]
    skip_ss = skip and len(w) >= 100
    best = float("inf")
    for _ in range(py_runs):
        t = time.perf_counter()
        game = px.Game(q, list(w))
        game.calc_banzhaf()
        if not skip_ss:
            game.calc_shapley_shubik()
        best = min(best, time.perf_counter() - t)
    out = subprocess.run([rs, str(q), ",".join(map(str, w)), str(rs_runs)],
                         check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    diff = max(abs(a - b) for a, b in zip(game.banzhaf, r["bz"]))
    if not skip_ss:
        diff = max(diff, max(abs(a - b) for a, b in zip(game.shapley_shubik, r["ss"])))
    label = g["name"] + (" (bz only)" if skip_ss else "")
    print(f"{label:24} {len(w):>4} {best*1e3:>14.2f} {r['ms_best']:>12.3f} "
          f"{best*1e3 / r['ms_best']:>8.0f}x {diff:>11.1e}")
print("negotium computes both indices exactly in every row (big-integer counts; values compared as floats).")
PY
