"""Ray scaling of negotium.ray.tournament from 1 to 2 workers on this
machine: one local Ray per worker count (ray.init(num_cpus=N)), the Rust
core single-threaded inside each task (RAYON_NUM_THREADS=1), so the
workers are the only parallelism. Prints the wall time of each run, the
speed-up and checks the results equal the single-process run.

    .venv/bin/python bench/python_ray_scaling.py [REPETITIONS]
"""

import os
import subprocess
import sys
import time

PARAMS = dict(steps=200, seed=1)

CHILD = r"""
import os, sys, time, json
import ray, negotium
from negotium import ray as nray
n, reps = int(sys.argv[1]), int(sys.argv[2])
ray.init(num_cpus=n, include_dashboard=False, configure_logging=False,
         runtime_env={"env_vars": {"RAYON_NUM_THREADS": "1"}})
nray.tournament("kosovo-status", repetitions=1, steps=20, seed=1, blocks_count=8)  # start the workers
t = time.perf_counter()
r = nray.tournament("kosovo-status", repetitions=reps, steps=200, seed=1, blocks_count=8)
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "records": len(r["records"]), "summary": r["summary"]}))
"""


def main() -> None:
    import json

    import negotium

    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    whole = negotium.tournament("kosovo-status", repetitions=reps, **PARAMS)
    out = {}
    for n in (1, 2):
        p = subprocess.run([sys.executable, "-c", CHILD, str(n), str(reps)], env=env,
                           capture_output=True, text=True, check=True)
        out[n] = json.loads(p.stdout.strip().splitlines()[-1])
        assert out[n]["summary"] == whole["summary"], "sharded result differs"
        print(f"{n} worker(s): {out[n]['seconds']:.2f} s for {out[n]['records']} negotiations")
    print(f"speed-up 1 -> 2 workers: {out[1]['seconds'] / out[2]['seconds']:.2f}x")


if __name__ == "__main__":
    main()
