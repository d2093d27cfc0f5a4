"""Compares negotium's heuristic frontiers of the ANAC 2014 non-linear
domains with the frontier files (pareto.xml: one "u1, u2" line per point)
that ship with those domains. For each domain prints the sizes and the
additive ε-indicator both ways: how much every shipped point must be
lowered (for both parties) to be weakly dominated by one of negotium's, and
the reverse. 0 means that side covers the other.
Usage: python3 anac2014_frontier.py BARGAIN_JSON ANAC_DIR
"""
import json, os, subprocess, sys

tool, root = sys.argv[1], sys.argv[2]


def eps(a, b):
    """Smallest e such that every point of b has a point of a ≥ it − e in every coordinate."""
    return max(min(max(y - x for x, y in zip(p, q)) for p in a) for q in b)


for d in sorted(os.listdir(os.path.join(root, "y2014"))):
    path = os.path.join(root, "y2014", d)
    shipped = []
    for line in open(os.path.join(path, "pareto.xml")):
        parts = [x.strip() for x in line.split(",")]
        if len(parts) == 2 and parts[0]:
            shipped.append([float(parts[0]), float(parts[1])])
    out = json.loads(subprocess.run([tool, "analyse", path], check=True, capture_output=True, text=True).stdout)
    ours = out["frontier"]
    print(f"y2014/{d:28s} shipped {len(shipped):3d} points, negotium {len(ours):3d} ({out['quality']['kind']}): "
          f"shipped covered within {max(0.0, eps(ours, shipped)):.4f}, negotium's covered within {max(0.0, eps(shipped, ours)):.4f}")
