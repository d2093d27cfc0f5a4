"""Writes tests/data/pow_glibc.txt: glibc's pow on inputs like the
expected-utility model's, as bits, for src/pow.rs's tests. Run on x86-64
Linux with glibc >= 2.28 and an FMA CPU (Python's math.pow is the C
library's pow), from the crate's root:

    python3 -m venv /tmp/powgen && /tmp/powgen/bin/pip install mpmath
    /tmp/powgen/bin/python tools/pow_glibc_cases.py > tests/data/pow_glibc.txt

Besides random inputs it keeps every input found (among 300,000 tried)
where glibc's result is not the correctly rounded power (mpmath, 200
bits): those tell glibc's arithmetic from any other good pow.
"""

import math
import platform
import random
import struct

import mpmath

mpmath.mp.prec = 200


def bits(x: float) -> str:
    return f"{struct.unpack('<Q', struct.pack('<d', x))[0]:016x}"


def rounded(b: float, y: float) -> float:
    return float(mpmath.power(mpmath.mpf(b), mpmath.mpf(y)))


def main():
    rng = random.Random(20261205)
    cases = []
    # The model's bases: distances over the range, and 0.5 ± half of one.
    for _ in range(2500):
        d = rng.random()
        y = 0.5 + 1.5 * rng.random()
        cases.append((rng.choice([d, 0.5 - 0.5 * d, 0.5 + 0.5 * d, round(d, 2)]), y))
    # Tiny and large bases, other exponents.
    for _ in range(1500):
        b = rng.random() * 2.0 ** rng.randint(-60, 8)
        y = rng.choice([0.5 + 1.5 * rng.random(), 0.05 + 6 * rng.random(), 0.5, 2.0, 1.5])
        cases.append((b, y))
    # Special inputs: zero, one, exponent one, subnormal, underflow.
    sub = 2.0 ** -1030
    cases += [(0.0, 0.7), (1.0, 1.3), (0.3, 1.0), (sub, 0.5), (1e-200, 3.0), (0.5, 0.5)]
    # Inputs where glibc is not correctly rounded.
    found = 0
    for _ in range(300_000):
        b = rng.random()
        y = 0.5 + 1.5 * rng.random()
        if math.pow(b, y) != rounded(b, y):
            cases.append((b, y))
            found += 1
    print(f"# glibc pow ({platform.libc_ver()}, {platform.machine()}): b y b^y as bits")
    print(f"# {found} of the cases are where glibc differs from the correctly rounded power")
    for b, y in cases:
        print(bits(b), bits(y), bits(math.pow(b, y)))


if __name__ == "__main__":
    main()
