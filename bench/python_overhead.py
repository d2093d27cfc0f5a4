"""Overhead of a Python call against the CLI: median wall time of
negotium.forecast(kosovo, model="median") from Python (on a loaded Scenario,
and by built-in id) and of `negotium forecast kosovo-status --model median
--json` as a process; checks both give the same result.

    .venv/bin/python bench/python_overhead.py target/debug/negotium
"""
import statistics, subprocess, time, json, sys
import negotium
bin = sys.argv[1]
s = negotium.load("kosovo-status")
def t(f, n):
    xs = []
    for _ in range(n):
        a = time.perf_counter(); f(); xs.append(time.perf_counter() - a)
    return statistics.median(xs)
py_loaded = t(lambda: negotium.forecast(s, model="median"), 50)
py_id = t(lambda: negotium.forecast("kosovo-status", model="median"), 50)
cli = t(lambda: subprocess.run([bin, "forecast", "kosovo-status", "--model", "median", "--json"], capture_output=True, check=True), 20)
assert negotium.forecast(s, model="median") == json.loads(subprocess.run([bin, "forecast", "kosovo-status", "--model", "median", "--json"], capture_output=True, check=True).stdout)
print(f"python (loaded Scenario): {py_loaded*1e3:.2f} ms; python (built-in id, loads each call): {py_id*1e3:.2f} ms; CLI process: {cli*1e3:.2f} ms")
