"""Work that outgrows one machine: a tournament or a sweep split into
blocks, each block run as a Ray task through the Rust core, the blocks
merged in Rust into exactly the result of the single-process run.

* :func:`tournament` splits the tournament's schedule (negotiation indices
  ``0..n``) into ranges; each task runs one range
  (``negotium_analysis::tournament::run_block``: every negotiation's seed
  depends only on the base seed and its index), and the merge
  (``merge_blocks``) checks every negotiation is there exactly once and
  summarises: the result equals ``negotium.tournament(...)`` with the same
  arguments.
* :func:`sweep` is the sweep lens (``negotium.sweep``, ``negotium sweep``:
  Monte Carlo over the scenario's declared uncertainty) cut into blocks of
  draws: each task runs draws ``[first_draw, first_draw + block_draws)``
  (``negotium_analysis::sweep::run_block``: draw ``k`` depends only on the
  seed and ``k``) and returns them, with their per-draw tables as Parquet
  bytes when asked; the merge (``sweep::merge``) checks every draw is there
  exactly once and summarises: the result equals ``negotium.sweep(...)``
  bit for bit. ``out=DIR`` gathers the blocks' tables with pyarrow into one
  Parquet file per table and writes ``summary.json``, as
  ``negotium sweep --out DIR`` does.
* :func:`seed_sweep` runs any lens with a ``seed`` once per seed and
  summarises its key numbers.

All take ``executor``: ``None`` runs the blocks as Ray tasks (``ray.init``
is called with ``address`` unless Ray is running already), ``"local"`` runs
them one after another in this process, and any
``concurrent.futures.Executor`` runs them there. Ray is an optional
dependency (``pip install './python[ray]'``): only ``executor=None`` needs
it (and ``out=`` needs pyarrow, in the same extra). See docs/python.md.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import BadInput, LensResult, NegotiumError, _native, _param_name, _sources, schema

__all__ = ["blocks", "draw_seed", "merge_seed_sweep", "seed_sweep", "sweep", "tournament"]

_MASK = (1 << 64) - 1


def blocks(n: int, count: int) -> List[Tuple[int, int]]:
    """``0..n`` cut into ``count`` contiguous ranges ``(start, end)`` whose
    sizes differ by at most one (fewer when ``n < count``; none when ``n == 0``)."""
    if n < 0 or count < 1:
        raise BadInput(f"blocks: need n >= 0 and at least one block, got n={n}, count={count}")
    count = min(count, n)
    out = []
    for i in range(count):
        out.append((n * i // count, n * (i + 1) // count))
    return out


def draw_seed(seed: int, k: int) -> int:
    """The seed of draw ``k`` of a sweep with base ``seed``: SplitMix64's
    output for the state ``seed + (k + 1) * 0x9E3779B97F4A7C15`` (so draws of
    different base seeds do not share seeds as ``seed + k`` would)."""
    z = (seed + (k + 1) * 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


# --- running blocks ---------------------------------------------------------


def _ray_module(address: Optional[str]) -> Any:
    need = (
        "negotium.ray with executor=None needs Ray: pip install './python[ray]' "
        "(or pass executor='local' or a concurrent.futures executor)"
    )
    try:
        import ray
    except ImportError as e:
        raise ImportError(need) from e
    if not hasattr(ray, "remote"):  # e.g. a stray `ray/` folder on sys.path
        raise ImportError(f"{need}; `import ray` found {getattr(ray, '__path__', ray)!r}, not Ray")
    if not ray.is_initialized():
        ray.init(address=address)
    return ray


def _default_count(executor: Any, address: Optional[str]) -> int:
    if executor is None:
        ray = _ray_module(address)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        return max(1, 2 * cpus)
    return 4


def _map(fn: Callable[..., Any], args: List[tuple], executor: Any, address: Optional[str]) -> List[Any]:
    """``[fn(*a) for a in args]``, run by the executor, in order."""
    if executor == "local":
        return [fn(*a) for a in args]
    if executor is None:
        ray = _ray_module(address)
        task = ray.remote(fn)
        try:
            return ray.get([task.remote(*a) for a in args])
        except ray.exceptions.RayTaskError as e:
            # A task's negotium error as itself (message, param, exit code).
            cause = getattr(e, "cause", None)
            if isinstance(cause, NegotiumError):
                raise cause from None
            raise
    futures = [executor.submit(fn, *a) for a in args]
    return [f.result() for f in futures]


# --- tournament -------------------------------------------------------------


def _tournament_block(sources: List[Any], params: Dict[str, Any], start: int, end: int) -> List[Any]:
    # Parsed here (Python reads the shortest round-trip decimals exactly) and
    # handed to the merge as Python floats, never re-parsed from text.
    return json.loads(_native._tournament_block(sources, params, start, end))


def tournament(
    domains: Any = None,
    *,
    blocks_count: Optional[int] = None,
    executor: Any = None,
    address: Optional[str] = None,
    **params: Any,
) -> LensResult:
    """A tournament sharded into blocks of negotiations, equal to
    ``negotium.tournament(domains, **params)``.

    ``domains``: what :func:`negotium.tournament` takes (a Scenario, a
    built-in id or path, a GENIUS domain folder, or a list of them; paths
    must be readable where the tasks run; loaded Scenarios travel as their
    text). ``blocks_count``: how many blocks (default: twice the cluster's
    CPUs under Ray, else 4). ``params``: the tournament's parameters
    (``negotium.schema("tournament", params=True)``)."""
    params = {_param_name(k): v for k, v in params.items()}
    sources = _sources(domains)
    n = _native._tournament_jobs(sources, params)
    count = blocks_count or _default_count(executor, address)
    ranges = blocks(n, count)
    parts = _map(_tournament_block, [(sources, params, a, b) for a, b in ranges], executor, address)
    merged = _native._tournament_merge(sources, params, parts)
    return LensResult("tournament", json.loads(merged))


# --- the sweep lens, in blocks of draws -------------------------------------

_BLOCK_PARAMS = ("first_draw", "block_draws")


def _sweep_block(
    sources: List[Any], params: Dict[str, Any], first: int, count: int, tables: bool
) -> Tuple[str, Dict[str, bytes]]:
    """Draws ``first .. first + count``: the block as JSON text and, with
    ``tables``, its per-draw tables as bytes by file name (``STEM.parquet``,
    ``STEM.csv``), written by the Rust core."""
    text, files = _native._sweep_block(sources, {**params, "first_draw": first, "block_draws": count}, tables)
    return text, dict(files)


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError as e:
        raise ImportError(
            "negotium.ray.sweep(out=...) needs pyarrow: pip install './python[ray]' (or pip install pyarrow)"
        ) from e
    return pyarrow


def _gather(parts: List[Tuple[str, Dict[str, bytes]]]) -> Dict[str, Any]:
    """Every block's tables (blocks in draw order) as one per file:
    ``STEM.parquet`` as a ``pyarrow.Table`` (the blocks' tables
    concatenated), ``STEM.csv`` as bytes (the header once, then every
    block's rows)."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    names: List[str] = []
    for _, files in parts:
        names += [k for k in files if k not in names]
    out: Dict[str, Any] = {}
    for name in names:
        pieces = [f[name] for _, f in parts if name in f]
        if name.endswith(".parquet"):
            out[name] = pa.concat_tables([pq.read_table(pa.BufferReader(b)) for b in pieces])
        else:
            header, _, _ = pieces[0].partition(b"\n")
            out[name] = header + b"\n" + b"".join(b.partition(b"\n")[2] for b in pieces)
    return out


def _write_out(out: "os.PathLike[str]", tables: Dict[str, Any], summary: str) -> List[str]:
    """The gathered tables and summary.json into ``out`` (created if
    missing), through a staging folder inside it: on an error nothing is
    left behind. Returns the file names written."""
    import pyarrow.parquet as pq

    os.makedirs(out, exist_ok=True)
    stage = os.path.join(out, f".negotium-ray-sweep-{os.getpid()}")
    names = list(tables) + ["summary.json"]
    try:
        os.makedirs(stage)
        for name, t in tables.items():
            path = os.path.join(stage, name)
            if name.endswith(".parquet"):
                pq.write_table(t, path)
            else:
                with open(path, "wb") as f:
                    f.write(t)
        with open(os.path.join(stage, "summary.json"), "w", encoding="utf-8", newline="") as f:
            f.write(summary)
        for name in names:
            os.replace(os.path.join(stage, name), os.path.join(out, name))
    finally:
        if os.path.isdir(stage):
            for name in os.listdir(stage):
                os.remove(os.path.join(stage, name))
            os.rmdir(stage)
    return names


def sweep(
    scenario: Any = None,
    *,
    draws: int = 1000,
    seed: int = 0,
    out: Optional["os.PathLike[str]"] = None,
    blocks_count: Optional[int] = None,
    executor: Any = None,
    address: Optional[str] = None,
    **params: Any,
) -> LensResult:
    """The sweep lens sharded into blocks of draws, equal bit for bit to
    ``negotium.sweep(scenario, draws=draws, seed=seed, **params)``.

    Each block runs draws ``[first_draw, first_draw + block_draws)`` as a
    task (so leave ``first_draw`` and ``block_draws`` out); the blocks are
    merged in Rust (``sweep::merge``), which also computes the
    ``sensitivity`` indices when asked. ``params``: the sweep's other
    parameters (``negotium.schema("sweep", params=True)``: ``model``,
    ``issue``, ``perturb``, ``sensitivity``, ``sobol_n``, ``bootstrap``).

    ``out``: a folder to write, as ``negotium sweep --out`` does, every
    draw per table (``forecasts``, ``inputs``, ``choices``, ``votes``,
    ``equilibria``, ``agreement``: those swept) as one Parquet file (the
    tasks' Parquet tables concatenated with pyarrow) and one CSV file, and
    ``summary.json`` (the result, indented). Needs pyarrow. The CLI's SVG
    charts are not written here (``negotium sweep --svg``).

    ``blocks_count``: how many blocks (default: twice the cluster's CPUs
    under Ray, else 4)."""
    params = {_param_name(k): v for k, v in params.items()}
    for k in _BLOCK_PARAMS:
        if k in params:
            raise BadInput(f"{k}: negotium.ray.sweep sets it for each block; leave it out")
    whole = {**params, "draws": draws, "seed": seed}
    if not isinstance(draws, int) or isinstance(draws, bool):
        raise BadInput(f"draws: expected a whole number, got {draws!r}")
    if draws < 1:
        # The core's refusal (it fails before any draw); it checks the rest.
        _native.run("sweep", _sources(scenario), whole)
    if out is not None:
        _pyarrow()
    sources = _sources(scenario)
    count = blocks_count or _default_count(executor, address)
    ranges = blocks(draws, count)
    parts = _map(
        _sweep_block,
        [(sources, whole, a, b - a, out is not None) for a, b in ranges],
        executor,
        address,
    )
    text, indented = _native._sweep_merge(sources, whole, [t for t, _ in parts], out is not None)
    if out is not None:
        _write_out(out, _gather(parts), indented)
    return LensResult("sweep", json.loads(text))


# --- sweep over seeds -------------------------------------------------------


def _seed_block(
    lens: str, sources: List[Any], params: Dict[str, Any], seed: int, start: int, end: int, keep: bool
) -> List[Dict[str, Any]]:
    out = []
    for k in range(start, end):
        s = draw_seed(seed, k)
        text = _native.run(lens, sources, {**params, "seed": s})
        row: Dict[str, Any] = {
            "draw": k,
            "seed": s,
            "key_numbers": json.loads(_native._key_numbers(lens, text)),
        }
        if keep:
            row["result"] = json.loads(text)
        out.append(row)
    return out


def _quantile(sorted_xs: Sequence[float], q: float) -> float:
    """Type-7 quantile (R's default, NumPy's ``linear``) of sorted values."""
    h = (len(sorted_xs) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (h - lo) * (sorted_xs[hi] - sorted_xs[lo])


def summarise(values: Sequence[float]) -> Dict[str, float]:
    """Count, mean, sample sd (0 for one value), min, 5/50/95 % quantiles
    (type 7) and max of the values, in the order given."""
    n = len(values)
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in values) / (n - 1)) if n > 1 else 0.0
    xs = sorted(values)
    return {
        "n": n,
        "mean": mean,
        "sd": sd,
        "min": xs[0],
        "p05": _quantile(xs, 0.05),
        "p50": _quantile(xs, 0.5),
        "p95": _quantile(xs, 0.95),
        "max": xs[-1],
    }


def merge_seed_sweep(lens: str, seed: int, draws: int, parts: List[List[Dict[str, Any]]]) -> Dict[str, Any]:
    """The sweep's result from its blocks (any order; every draw exactly once)."""
    rows = sorted((r for p in parts for r in p), key=lambda r: r["draw"])
    if [r["draw"] for r in rows] != list(range(draws)):
        raise BadInput(f"blocks: the blocks do not hold draws 0..{draws} exactly once")
    names = sorted({k for r in rows for k in r["key_numbers"]})
    columns = {k: [r["key_numbers"].get(k) for r in rows] for k in names}
    out: Dict[str, Any] = {
        "lens": lens,
        "seed": seed,
        "draws": draws,
        "seeds": [r["seed"] for r in rows],
        "key_numbers": columns,
        "summary": {k: summarise([x for x in v if x is not None]) for k, v in columns.items()},
    }
    if rows and "result" in rows[0]:
        out["results"] = [r["result"] for r in rows]
    return out


def seed_sweep(
    scenario: Any = None,
    *,
    lens: str = "forecast",
    draws: int = 100,
    seed: int = 0,
    keep_results: bool = False,
    blocks_count: Optional[int] = None,
    executor: Any = None,
    address: Optional[str] = None,
    **params: Any,
) -> Dict[str, Any]:
    """Runs ``lens`` on ``scenario`` once per draw, draw ``k`` with the seed
    :func:`draw_seed` ``(seed, k)`` and the other ``params`` unchanged,
    draws split into blocks run as tasks.

    Returns ``{"lens", "seed", "draws", "seeds": [per draw], "key_numbers":
    {name: [per draw]}, "summary": {name: {n, mean, sd, min, p05, p50, p95,
    max}}}`` (and ``"results"``, every draw's whole result, with
    ``keep_results=True``). The key numbers are the registry's (the ones
    the workbench compares runs by). Only lenses with a ``seed`` parameter
    can be swept; a lens whose result does not depend on it gives the same
    numbers in every draw."""
    params = {_param_name(k): v for k, v in params.items()}
    if not isinstance(draws, int) or draws < 1:
        raise BadInput(f"draws: expected a whole number of at least 1, got {draws!r}")
    if "seed" not in schema(lens, params=True).get("properties", {}):
        raise BadInput(f"lens: the {lens} lens takes no seed; every draw would repeat one result")
    sources = _sources(scenario)
    count = blocks_count or _default_count(executor, address)
    ranges = blocks(draws, count)
    parts = _map(
        _seed_block,
        [(lens, sources, params, seed, a, b, keep_results) for a, b in ranges],
        executor,
        address,
    )
    return merge_seed_sweep(lens, seed, draws, parts)
