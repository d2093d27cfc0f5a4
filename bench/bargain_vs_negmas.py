"""Side-by-side check of negotium's NegMAS-compatible SAO against NegMAS.

For each case: 3 integer issues 0..9, A values k/9 and B values 1 - k/9 on
every issue (the research notes' baseline domain), weights fixed (case 0:
A .5/.3/.2, B .2/.3/.5) or drawn per case; Boulware (A) vs Conceder (B),
100 steps. The same domain is written as GENIUS XML and run through
`negotium negotiate DIR --json`; NegMAS runs it natively. Prints one row per
case and a JSON summary; also times NegMAS per negotiation.
"""
import json, os, subprocess, sys, time
import random

from negmas import make_issue, SAOMechanism
from negmas.preferences import LinearAdditiveUtilityFunction
from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator

NEGOTIUM = sys.argv[1]
SCRATCH = sys.argv[2]
N_CASES = int(sys.argv[3]) if len(sys.argv) > 3 else 20
N_TIMING = int(sys.argv[4]) if len(sys.argv) > 4 else 200


def weights(case):
    if case == 0:
        return [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]
    rng = random.Random(case)
    def dirichlet():
        xs = [rng.gammavariate(1.0, 1.0) for _ in range(3)]
        s = sum(xs)
        return [x / s for x in xs]
    return dirichlet(), dirichlet()


def write_genius(d, wa, wb):
    os.makedirs(d, exist_ok=True)
    issues = "".join(
        f'<issue index="{k+1}" name="i{k}" type="discrete">'
        + "".join(f'<item index="{v+1}" value="{v}"/>' for v in range(10))
        + "</issue>" for k in range(3))
    with open(os.path.join(d, "domain.xml"), "w") as f:
        f.write(f'<negotiation_template><utility_space><objective index="0" name="root">{issues}</objective></utility_space></negotiation_template>')
    for name, w, up in (("a", wa, True), ("b", wb, False)):
        body = ""
        for k in range(3):
            # Evaluations are scaled so that GENIUS max-normalisation gives exactly k/9 (or 1 - k/9).
            items = "".join(
                f'<item index="{v+1}" value="{v}" evaluation="{repr((v / 9) if up else (1 - v / 9))}"/>'
                for v in range(10))
            body += f'<issue index="{k+1}" name="i{k}" type="discrete">{items}</issue>'
        body += "".join(f'<weight index="{k+1}" value="{repr(w[k])}"/>' for k in range(3))
        with open(os.path.join(d, f"{name}.xml"), "w") as f:
            f.write(f'<utility_space><reservation value="0"/><objective index="0" name="root">{body}</objective></utility_space>')


def negmas_run(wa, wb):
    issues = [make_issue(values=10, name=f"i{k}") for k in range(3)]
    ua = LinearAdditiveUtilityFunction(
        values=[{v: v / 9 for v in range(10)} for _ in range(3)], weights=wa, issues=issues, reserved_value=0.0)
    ub = LinearAdditiveUtilityFunction(
        values=[{v: 1 - v / 9 for v in range(10)} for _ in range(3)], weights=wb, issues=issues, reserved_value=0.0)
    m = SAOMechanism(issues=issues, n_steps=100)
    m.add(BoulwareTBNegotiator(name="a"), ufun=ua)
    m.add(ConcederTBNegotiator(name="b"), ufun=ub)
    t0 = time.perf_counter()
    s = m.run()
    dt = time.perf_counter() - t0
    agr = s.agreement
    offers = len(m.full_trace) if hasattr(m, "full_trace") else None
    return {
        "agreement": list(agr) if agr is not None else None,
        "step": s.step,
        "utilities": [float(ua(agr)), float(ub(agr))] if agr is not None else None,
        "offers": offers,
        "seconds": dt,
    }


def negotium_run(d):
    out = subprocess.run([NEGOTIUM, "negotiate", d, "--protocol", "sao", "--strategies", "boulware,conceder",
                          "--steps", "100", "--json"], check=True, capture_output=True, text=True).stdout
    j = json.loads(out)
    agr = j["agreement"]
    return {
        "agreement": [int(agr[f"i{k}"]) for k in range(3)] if agr else None,
        "step": j["step"],
        "utilities": [j["utilities"]["a"], j["utilities"]["b"]] if agr else None,
        "offers": j["offers"],
    }


rows = []
same_agreement = same_step = same_util = 0
for case in range(N_CASES):
    wa, wb = weights(case)
    d = os.path.join(SCRATCH, f"case{case}")
    write_genius(d, wa, wb)
    a = negotium_run(d)
    b = negmas_run(wa, wb)
    eq_agr = a["agreement"] == b["agreement"]
    eq_step = a["step"] == b["step"]
    eq_util = (a["utilities"] is None and b["utilities"] is None) or (
        a["utilities"] is not None and b["utilities"] is not None
        and all(abs(x - y) < 1e-9 for x, y in zip(a["utilities"], b["utilities"])))
    same_agreement += eq_agr
    same_step += eq_step
    same_util += eq_util
    rows.append({"case": case, "wa": wa, "wb": wb, "negotium": a, "negmas": b,
                 "same_agreement": eq_agr, "same_step": eq_step, "same_utilities": eq_util})
    print(f"case {case:2d}: negotium {a['agreement']} step {a['step']} offers {a['offers']} | "
          f"negmas {b['agreement']} step {b['step']} | agreement {'=' if eq_agr else '≠'} "
          f"step {'=' if eq_step else '≠'} utilities {'=' if eq_util else '≠'}")

# NegMAS timing on the fixed case (construction excluded, presort included, as in the research baseline).
times = []
for _ in range(N_TIMING):
    times.append(negmas_run(*weights(0))["seconds"])
times.sort()
summary = {
    "cases": N_CASES,
    "same_agreement": same_agreement,
    "same_step": same_step,
    "same_utilities": same_util,
    "negmas_run_ms_mean": 1000 * sum(times) / len(times),
    "negmas_run_ms_median": 1000 * times[len(times) // 2],
    "negmas_timing_runs": N_TIMING,
}
print(json.dumps(summary, indent=2))
with open(os.path.join(SCRATCH, "bargain_vs_negmas.json"), "w") as f:
    json.dump({"summary": summary, "rows": rows}, f, indent=2)
