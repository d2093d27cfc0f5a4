"""Writes a random input in decide-exchange-model's layout (#A, #P, #M, #D
rows, tab-separated, quoted) with positions and saliences drawn from a
seeded generator, so that exact ties between exchange gains are unlikely.
Usage: python3 exchange_gen.py ACTORS ISSUES SEED > FILE
"""

import random
import sys


def main():
    n, m, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    actors = [f"a{k:02d}" for k in range(n)]
    issues = [f"i{k:02d}" for k in range(m)]
    out = []
    for a in actors:
        out.append(f"'#A'\t'{a}'\t'{a}'\t''")
    for i in issues:
        out.append(f"'#P'\t'{i}'\t'{i}'\t''")
        out.append(f"'#M'\t'{i}'\t0")
        out.append(f"'#M'\t'{i}'\t100")
    power = {a: round(rng.uniform(0.05, 1.0), 4) for a in actors}
    for a in actors:
        for i in issues:
            x = round(rng.uniform(0, 100), 3)
            s = round(rng.uniform(0.05, 1.0), 4)
            out.append(f"'#D'\t'{a}'\t'{i}'\t{x}\t{s}\t{power[a]}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
