"""Side by side with NegMAS on a sample of ANAC domains.

For each domain folder: negotium exports the preferences exactly as it reads
them (GENIUS normalisation: bench/../crates/negotium-scenario/examples/
bargain_json.rs `export`); NegMAS is given the very same weights and value
tables (LinearAdditiveUtilityFunction over categorical issues with the same
labels, so both enumerate outcomes in the same order) and runs
SAOMechanism(n_steps) with its BoulwareTB/LinearTB/ConcederTB and MiCRO
negotiators; negotium runs `bargain_json negotiate` with boulware/linear/
conceder/micro. Prints per domain and pair whether the agreement (outcome)
and the step are the same, and the time per negotiation of each (negotium:
per run with the space evaluated and presorted inside the run, as NegMAS
does, and with it shared across runs; NegMAS: construction excluded, its
presort included in run()). The ratio uses the like-for-like figure.
Usage: python anac_vs_negmas.py NEGOTIUM_BARGAIN_JSON ANAC_DIR STEPS REPEAT DOMAIN...
"""
import json, subprocess, sys, time

from negmas import make_issue, SAOMechanism
from negmas.preferences import LinearAdditiveUtilityFunction
from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator, MiCRONegotiator

TOOL, ROOT, STEPS, REPEAT = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
DOMAINS = sys.argv[5:]
PAIRS = [("boulware", "conceder"), ("conceder", "boulware"), ("linear", "linear"),
         ("boulware", "linear"), ("boulware", "boulware"), ("conceder", "conceder"),
         ("micro", "micro"), ("micro", "boulware"), ("conceder", "micro")]
CLASSES = {"boulware": BoulwareTBNegotiator, "linear": LinearTBNegotiator,
           "conceder": ConcederTBNegotiator, "micro": MiCRONegotiator}


def negmas_run(spec, a, b):
    issues = [make_issue(values=i["values"], name=i["name"]) for i in spec["issues"]]
    ufuns = []
    for p in spec["parties"][:2]:
        values = [{lab: t[k] for k, lab in enumerate(i["values"])} for i, t in zip(spec["issues"], p["tables"])]
        ufuns.append(LinearAdditiveUtilityFunction(values=values, weights=p["weights"], issues=issues,
                                                   reserved_value=p["reservation"]))
    m = SAOMechanism(issues=issues, n_steps=STEPS)
    m.add(CLASSES[a](name="a"), ufun=ufuns[0])
    m.add(CLASSES[b](name="b"), ufun=ufuns[1])
    t0 = time.perf_counter()
    s = m.run()
    dt = time.perf_counter() - t0
    agr = s.agreement
    idx = None if agr is None else [spec["issues"][k]["values"].index(v) for k, v in enumerate(agr)]
    return idx, s.step, dt


rows = []
totals = {}
for d in DOMAINS:
    path = f"{ROOT}/{d}"
    spec = json.loads(subprocess.run([TOOL, "export", path], check=True, capture_output=True, text=True).stdout)
    if len(spec["parties"]) != 2:
        print(f"{d}: {len(spec['parties'])} parties; skipped (bilateral only)")
        continue
    n_out = 1
    for i in spec["issues"]:
        n_out *= len(i["values"])
    for a, b in PAIRS:
        out = json.loads(subprocess.run([TOOL, "negotiate", path, f"{a},{b}", str(STEPS), "0", str(REPEAT)],
                                        check=True, capture_output=True, text=True).stdout)
        times = []
        res = None
        for _ in range(max(1, REPEAT // 50)):
            res = negmas_run(spec, a, b)
            times.append(res[2])
        nm_idx, nm_step, _ = res
        nm_t = sorted(times)[len(times) // 2]
        same_agr = out["agreement"] == nm_idx
        same_step = out["step"] == nm_step
        key = "micro" if "micro" in (a, b) else "time-based"
        tot = totals.setdefault(key, [0, 0, 0, 0.0, 0.0])
        tot[0] += 1
        tot[1] += same_agr
        tot[2] += same_step
        tn = out["seconds_with_space"] or out["seconds"]
        tot[3] += tn
        tot[4] += nm_t
        rows.append({"domain": d, "outcomes": n_out, "pair": f"{a}-{b}", "negotium": out, "negmas": {"agreement": nm_idx, "step": nm_step, "seconds": nm_t},
                     "same_agreement": same_agr, "same_step": same_step})
        print(f"{d:28s} {n_out:>8d} {a:>8s}-{b:<8s} agreement {'=' if same_agr else '≠'} step {out['step']:>4d}/{nm_step:<4d} "
              f"negotium {1e6*tn:10.1f} µs ({1e6*out['seconds']:8.1f} µs shared)  negmas {1e3*nm_t:9.2f} ms  ratio {nm_t/max(tn,1e-9):7.0f}×", flush=True)
print()
for k, (n, sa, ss, tn, tm) in totals.items():
    print(f"{k}: {n} negotiations, same agreement {sa}/{n}, same step {ss}/{n}, "
          f"total time negotium {tn*1e3:.2f} ms vs NegMAS {tm*1e3:.1f} ms: ratio {tm/max(tn,1e-12):.0f}×")
json.dump({"rows": rows, "totals": totals}, open("anac_vs_negmas.json", "w"), indent=1)
