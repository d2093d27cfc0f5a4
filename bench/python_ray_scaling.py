"""Ray scaling of negotium.ray from 1 to 2 workers on this machine: a
sharded tournament and a sharded sweep (the sweep lens in blocks of
draws, per-draw tables gathered as Parquet), each run on one local Ray per
worker count (ray.init(num_cpus=N)), the Rust core single-threaded inside
each task (RAYON_NUM_THREADS=1) so that the workers are the only
parallelism. Prints the wall time of each run, the speed-up, and checks
that every result equals the single-process run (the sweep's JSON text
bit for bit).

    .venv/bin/python bench/python_ray_scaling.py [REPETITIONS] [DRAWS]

REPETITIONS: the tournament's (default 10: 1,210 negotiations of 200
steps); DRAWS: the sweep's (default 64, kosovo-status's declared ranges,
all five models). The machine's cores may be shared: read the load
average printed with the figures.
"""

import json
import os
import subprocess
import sys

CHILD = r"""
import json, os, sys, tempfile, time
import ray, negotium
from negotium import ray as nray
n, reps, draws = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ray.init(num_cpus=n, include_dashboard=False, configure_logging=False,
         runtime_env={"env_vars": {"RAYON_NUM_THREADS": "1"}})
# Start the workers (and import negotium in them) before timing.
nray.tournament("kosovo-status", repetitions=1, steps=20, seed=1, blocks_count=8)
t = time.perf_counter()
r = nray.tournament("kosovo-status", repetitions=reps, steps=200, seed=1, blocks_count=8)
tour = time.perf_counter() - t
with tempfile.TemporaryDirectory() as out:
    t = time.perf_counter()
    s = nray.sweep("kosovo-status", draws=draws, seed=1, blocks_count=8, out=out)
    sweep = time.perf_counter() - t
    files = sorted(os.listdir(out))
print(json.dumps({"tournament": tour, "records": len(r["records"]), "summary": r["summary"],
                  "sweep": sweep, "sweep_text": json.dumps(s), "files": files}))
"""


def main() -> None:
    import negotium

    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    draws = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    whole = negotium.tournament("kosovo-status", repetitions=reps, steps=200, seed=1)
    one_sweep = json.dumps(negotium.sweep("kosovo-status", draws=draws, seed=1))
    out = {}
    for n in (1, 2):
        load = os.getloadavg()[0]
        p = subprocess.run([sys.executable, "-c", CHILD, str(n), str(reps), str(draws)], env=env,
                           capture_output=True, text=True, check=True)
        out[n] = json.loads(p.stdout.strip().splitlines()[-1])
        assert out[n]["summary"] == whole["summary"], "sharded tournament differs"
        assert out[n]["sweep_text"] == one_sweep, "sharded sweep differs"
        print(f"{n} worker(s), load {load:.1f}: tournament {out[n]['tournament']:.2f} s for "
              f"{out[n]['records']} negotiations; sweep {out[n]['sweep']:.2f} s for {draws} draws "
              f"({', '.join(out[n]['files'])})")
    print(f"speed-up 1 -> 2 workers: tournament {out[1]['tournament'] / out[2]['tournament']:.2f}x, "
          f"sweep {out[1]['sweep'] / out[2]['sweep']:.2f}x (results equal the single-process runs)")


if __name__ == "__main__":
    main()
