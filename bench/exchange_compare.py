"""Compares two exchange-model traces (negotium's exchange_decide example and
bench/exchange_decide_driver.py): exchange by exchange (actors, issues, from,
to, gain) and the final positions. Prints a summary; exits 1 on disagreement.
Usage: python3 exchange_compare.py RUST.json DECIDE.json [TOL]
"""

import json
import sys


def main():
    rs = json.load(open(sys.argv[1]))
    py = json.load(open(sys.argv[2]))
    tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-6
    bad = 0
    first = False
    total = 0
    worst = 0.0
    for k, (a, b) in enumerate(zip(rs["rounds"], py["rounds"]), 1):
        ea, eb = a["exchanges"], b["exchanges"]
        if len(ea) != len(eb):
            print(f"round {k}: {len(ea)} exchanges here, {len(eb)} in decide")
            bad += 1
        for n, (x, y) in enumerate(zip(ea, eb), 1):
            total += 1
            same = all(
                sx[f] == sy[f] for sx, sy in zip(x["sides"], y["sides"]) for f in ("actor", "gives")
            )
            diffs = [abs(x["gain"] - y["gain"])] + [
                abs(sx[f] - sy[f]) for sx, sy in zip(x["sides"], y["sides"]) for f in ("from", "to")
            ]
            worst = max(worst, max(diffs))
            if not same or max(diffs) > tol:
                bad += 1
                if not first:
                    first = True
                    g1, g2 = x["gain"], y["gain"]
                    kind = (
                        "a tie: both gains equal up to rounding, decide picked by its last decimal digit"
                        if not same and abs(g1 - g2) <= 1e-9 * max(abs(g1), 1e-300)
                        else "not a tie"
                    )
                    print(f"first difference: round {k} exchange {n}, {kind}")
                if bad <= 5:
                    print(f"round {k} exchange {n} differs:\n  here   {x}\n  decide {y}")
    for issue, col in py["final"].items():
        for actor, v in col.items():
            d = abs(rs["final"][issue][actor] - v)
            worst = max(worst, d)
            if d > tol:
                bad += 1
                print(f"final {issue}/{actor}: {rs['final'][issue][actor]} here, {v} in decide")
    print(
        f"rounds {len(rs['rounds'])} vs {len(py['rounds'])}; exchanges compared {total}; "
        f"largest difference {worst:.3g}; disagreements {bad}"
    )
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
