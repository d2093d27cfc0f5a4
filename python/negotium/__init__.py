"""negotium: model, forecast and simulate multi-party negotiations.

Python bindings of the negotium Rust core. Every lens runs in Rust (with
the GIL released) and returns the same JSON as ``negotium <lens> --json``,
as plain Python values::

    import negotium
    kosovo = negotium.load("kosovo-status")
    negotium.forecast(kosovo, model=["median", "smp"])["issues"][0]["models"][0]

One function per lens (``forecast``, ``history``, ``conflict``, ``power``,
``vote``, ``negotiate``, ``pareto``, ``tournament``, ``analyze``, and every
lens the core adds later); keyword arguments are the lens's parameters
(``negotium.schema(lens, params=True)``), checked by the Rust side. This
package holds no lens logic: only marshalling (and, in ``negotium.ray``,
the orchestration of Ray tasks). See docs/python.md.
"""

from __future__ import annotations

import json
import keyword
import os
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _native
from ._native import BadInput, Failed, Limit, NegotiumError, Scenario, __version__

__all__ = [
    "BadInput",
    "Failed",
    "LensResult",
    "Limit",
    "NegotiumError",
    "Scenario",
    "__version__",
    "from_text",
    "info",
    "lenses",
    "load",
    "merge_sweeps",
    "run",
    "schema",
    "to_pandas",
]

#: What a lens takes as its input: a loaded Scenario, a built-in id or a path
#: (scenario TOML/JSON, KTAB CSV, gmcr-py ``.gmcr``, GENIUS domain folder).
Source = Union[Scenario, str, "os.PathLike[str]"]

#: The scenario used when none is given (as on the command line).
DEFAULT_SCENARIO: str = _native.DEFAULT_SCENARIO


def load(source: Union[str, "os.PathLike[str]"]) -> Scenario:
    """Loads a built-in scenario id or a path, as the command line does.

    A path ending in ``.gmcr`` is a gmcr-py conflict model (conflict lens),
    an existing directory a GENIUS domain (negotiate, pareto, tournament),
    anything else a built-in id or a scenario file (``.toml``, ``.json``,
    KTAB ``.csv``). Raises :class:`BadInput` with every located problem
    (``err.diagnostics``) when the file does not validate.
    """
    return _native.load(os.fspath(source))


def from_text(text: str, name: str = "<text>", format: str = "toml") -> Scenario:
    """Loads a scenario from its text: ``format`` is ``toml``, ``json``,
    ``csv`` (KTAB) or ``gmcr``; ``name`` is the file name used in messages."""
    return _native._from_text(text, name, format)


def lenses() -> List[str]:
    """Every lens id the core offers, in menu order."""
    return list(_native.lens_ids())


def info(lens: Optional[str] = None) -> Any:
    """The registry's metadata of one lens (title, description, form
    parameters, sections it needs), or of every lens when ``lens`` is None."""
    every = json.loads(_native.lenses())
    if lens is None:
        return every
    for entry in every:
        if entry["id"] == lens:
            return entry
    raise BadInput(f"lens: unknown lens `{lens}`; expected one of {', '.join(lenses())}")


def schema(lens: str, params: bool = False) -> Dict[str, Any]:
    """The JSON Schema of a lens's result (its ``--json`` contract), or of its
    parameters with ``params=True`` (as ``negotium schema LENS [--params]``)."""
    text = _native.schema(lens, "params" if params else "result")
    if text is None:
        raise BadInput(f"lens: unknown lens `{lens}`; expected one of {', '.join(lenses())}")
    return json.loads(text)


def _sources(scenario: Any) -> List[Any]:
    if scenario is None:
        return []
    if isinstance(scenario, (list, tuple)):
        return [s if isinstance(s, Scenario) else os.fspath(s) for s in scenario]
    if isinstance(scenario, Scenario):
        return [scenario]
    return [os.fspath(scenario)]


class LensResult(dict):
    """A lens's result: a ``dict`` equal to the CLI's ``--json`` output, with
    the lens it came from (``.lens``) and its tidy tables (``.tables()``,
    ``.to_pandas()``)."""

    def __init__(self, lens: str, value: Dict[str, Any]):
        super().__init__(value)
        self.lens = lens

    def __reduce__(self):
        return (LensResult, (self.lens, dict(self)))

    def tables(self) -> Dict[str, Dict[str, Any]]:
        """The result's tidy tables, ``{name: {"columns": [...], "data":
        {column: [values]}}}``: ``table`` for every lens that has one (the
        workbench's CSV), and ``records`` for the tournament (its CSV)."""
        return _tables(self.lens, self)

    def to_pandas(self, table: Optional[str] = None) -> Any:
        """One tidy table as a ``pandas.DataFrame`` (needs pandas): ``table``
        names it (default: ``table``; the tournament also has ``records``)."""
        return to_pandas(self, lens=self.lens, table=table)


def _tables(lens: str, result: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return json.loads(_native.tables(lens, result))


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "to_pandas() needs pandas: pip install pandas "
            "(or install negotium with the extra: pip install './python[pandas]')"
        ) from e
    return pandas


def to_pandas(result: Dict[str, Any], lens: Optional[str] = None, table: Optional[str] = None) -> Any:
    """A result's tidy table as a ``pandas.DataFrame`` (needs pandas).

    ``lens`` is needed for a plain dict (a :class:`LensResult` knows its own);
    ``table`` picks among :meth:`LensResult.tables` (default ``table``)."""
    pd = _pandas()
    lens = lens or getattr(result, "lens", None)
    if lens is None:
        raise BadInput("lens: give the lens a plain result dict came from, e.g. to_pandas(r, lens='forecast')")
    tables = _tables(lens, result)
    name = table or "table"
    if name not in tables:
        raise BadInput(
            f"table: the {lens} lens has no table `{name}`"
            + (f"; it has {', '.join(sorted(tables))}" if tables else "; it has no tidy table")
        )
    t = tables[name]
    return pd.DataFrame({c: t["data"][c] for c in t["columns"]}, columns=t["columns"])


def _param_name(name: str) -> str:
    """``from_`` → ``from``: Python keywords take a trailing underscore."""
    if name.endswith("_") and keyword.iskeyword(name[:-1]):
        return name[:-1]
    return name


def run(lens: str, scenario: Any = None, /, **params: Any) -> LensResult:
    """Runs any lens by id: ``run("forecast", "kosovo-status", model="smp")``.

    ``scenario``: a :class:`Scenario`, a built-in id or a path (default:
    kosovo-status); for the tournament also a list of them. The keyword
    arguments are the lens's parameters (``schema(lens, params=True)``):
    lists may be Python lists or comma-separated strings, as on the CLI; a
    parameter named like a Python keyword takes a trailing underscore
    (``from_``).
    Returns the result dict, equal to the CLI's ``--json`` output."""
    params = {_param_name(k): v for k, v in params.items()}
    text = _native.run(lens, _sources(scenario), params)
    return LensResult(lens, json.loads(text))


def merge_sweeps(parts: Sequence[Dict[str, Any]], scenario: Any = None, /, **params: Any) -> LensResult:
    """The whole sweep from the results of sharded ``sweep`` calls, merged
    in Rust (``negotium_analysis::sweep::merge_results``): bit for bit the
    result of one ``sweep`` call over every draw.

    ``parts``: results of ``negotium.sweep(scenario, first_draw=a,
    block_draws=n, ...)`` (any order; together draws ``0..draws`` exactly
    once, all of the same scenario, seed, models, issues and perturbation).
    ``scenario`` and ``params`` are the whole sweep's: without
    ``first_draw`` and ``block_draws``; ``draws`` defaults to the parts'
    total and ``seed`` to theirs; ``sensitivity`` is computed here.
    Raises :class:`BadInput` when the parts do not make up the sweep."""
    params = {_param_name(k): v for k, v in params.items()}
    parts = [dict(p) for p in parts]
    if "draws" not in params:
        params["draws"] = sum(int(p.get("draws", 0)) for p in parts)
    seeds = {p.get("seed") for p in parts}
    if "seed" not in params and len(seeds) == 1:
        params["seed"] = seeds.pop()
    text = _native._merge_sweeps(_sources(scenario), params, parts)
    return LensResult("sweep", json.loads(text))


from ._signature import lens_function as _lens_function  # noqa: E402

try:
    from ._lenses import *  # noqa: F401,F403  (the lens functions)
    from ._lenses import __all__ as _lens_names
except ModuleNotFoundError as _e:  # only while tools/gen_lenses.py first runs
    if _e.name != f"{__name__}._lenses":
        raise
    _lens_names = []

__all__ += list(_lens_names)

# Lenses the core gained after _lenses.py was generated: made from the
# registry at import time (same signature rules, from the params schema).
for _lens in _native.lens_ids():
    if _lens not in globals():
        globals()[_lens] = _lens_function(_lens, run)
        __all__.append(_lens)
del _lens
