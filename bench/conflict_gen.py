#!/usr/bin/env python3
"""Writes a synthetic gmcr-py `.gmcr` conflict: OPTIONS options split evenly
among DMS decision makers, no infeasible states, three random single-option
preference statements per DM (seeded). Usage: conflict_gen.py OPTIONS DMS SEED > file.gmcr"""
import json
import random
import sys

m, n, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
options = [{"name": f"option {k}", "permittedDirection": "both"} for k in range(m)]
dms = []
for i in range(n):
    own = [k for k in range(m) if k * n // m == i]
    prefs = [[[rng.randrange(m), rng.choice("YN")]] for _ in range(3)]
    dms.append({"name": f"DM{i}", "options": own, "preferences": prefs})
json.dump({"options": options, "decisionMakers": dms, "infeasibles": [],
           "useManualPreferenceRanking": False, "program": "negotium bench generator"},
          sys.stdout)
