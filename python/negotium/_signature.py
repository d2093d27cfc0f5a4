"""Python signatures and docstrings of the lens functions, read from each
lens's parameter JSON Schema (the Rust registry's): one keyword argument
per field, its default and its description. Used to generate
``_lenses.py`` (``python tools/gen_lenses.py``) and, at import time, the
functions of lenses added to the core since."""

from __future__ import annotations

import inspect
import json
import keyword
from typing import Any, Callable, Dict, List, Tuple

from . import _native

#: A parameter: (name, annotation source, default or REQUIRED, description).
REQUIRED = inspect.Parameter.empty

#: Keyword arguments beyond a lens's params: power's quick weighted game.
_EXTRA = {"power": "game"}


def _annotation(prop: Dict[str, Any]) -> str:
    kinds = prop.get("type")
    if isinstance(kinds, str):
        kinds = [kinds]
    if "anyOf" in prop:
        subs = prop["anyOf"]
        if any(s.get("type") == "array" for s in subs) and any(s.get("type") == "string" for s in subs):
            return "Union[Sequence[str], str]"
        if all("const" in s or "enum" in s for s in subs):
            return "str"
        return "Any"
    if "oneOf" in prop or "enum" in prop or "$ref" in prop:
        return "Any" if "$ref" in prop else "str"
    if not kinds:
        return "Any"
    nullable = "null" in kinds
    core = [k for k in kinds if k != "null"]
    if "integer" in core:
        base = "int"  # whole numbers (also accepted as digit strings)
    elif core == ["number"]:
        base = "float"
    elif core == ["boolean"]:
        base = "bool"
    elif core == ["string"]:
        base = "str"
    elif core == ["array"]:
        item = prop.get("items", {}).get("type")
        base = {"string": "Sequence[str]", "number": "Sequence[float]", "integer": "Sequence[int]"}.get(
            item, "Sequence[Any]"
        )
    else:
        base = "Any"
    return f"Optional[{base}]" if nullable else base


def _frozen(v: Any) -> Any:
    """A default as an immutable Python value (lists become tuples)."""
    if isinstance(v, list):
        return tuple(_frozen(x) for x in v)
    return v


def py_name(name: str) -> str:
    """A parameter's Python name: a keyword gets a trailing underscore
    (history's ``from`` is ``from_``); :func:`negotium.run` maps it back."""
    return f"{name}_" if keyword.iskeyword(name) else name


def params(lens: str) -> List[Tuple[str, str, Any, str]]:
    """The lens's keyword arguments: (Python name, annotation, default,
    description)."""
    text = _native.schema(lens, "params")
    if text is None:
        raise ValueError(f"unknown lens `{lens}`")
    schemas = [json.loads(text)]
    if _EXTRA.get(lens) == "game":
        schemas.append(json.loads(_native.quick_game_schema()))
    out = []
    for i, sch in enumerate(schemas):
        required = set(sch.get("required", []))
        for name, prop in sch.get("properties", {}).items():
            doc = " ".join(prop.get("description", "").split())
            ann = _annotation(prop)
            if i > 0:  # the quick game: nothing given unless asked for
                default: Any = None
                ann = ann if ann.startswith("Optional[") else f"Optional[{ann}]"
                doc = f"Quick weighted game without a scenario: {doc}"
            elif name in required:
                default = REQUIRED
            else:
                default = _frozen(prop.get("default"))
                if default is None and not ann.startswith("Optional[") and ann != "Any":
                    ann = f"Optional[{ann}]"
            out.append((py_name(name), ann, default, doc))
    return out


def docstring(lens: str) -> str:
    meta = {m["id"]: m for m in json.loads(_native.lenses())}.get(lens, {})
    title = meta.get("title", lens)
    lines = [f"{title}: the ``negotium {lens} --json`` result as a dict."]
    if meta.get("description"):
        lines += ["", meta["description"]]
    src = "a built-in id, a path, or a loaded Scenario (default: kosovo-status)"
    if lens == "tournament":
        src += "; or a list of them (several problems)"
    lines += ["", "Args:", f"    scenario: {src}."]
    for name, _ann, default, doc in params(lens):
        d = "" if default is REQUIRED else f" Default: {default!r}."
        lines.append(f"    {name}: {doc}{d}")
    lines += [
        "    **more: further parameters of the lens (checked by the core).",
        "",
        "Returns:",
        f"    LensResult (a dict) following docs/schema/{lens}.json.",
        "",
        "Raises:",
        "    BadInput: a bad source or parameter (the CLI's exit code 2).",
        "    Limit: a job above a size or model limit (exit code 3).",
        "    Failed: a failure on valid input (exit code 1).",
    ]
    return "\n".join(lines)


def signature(lens: str) -> inspect.Signature:
    ps = [inspect.Parameter("scenario", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None)]
    for name, _ann, default, _doc in params(lens):
        ps.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default))
    ps.append(inspect.Parameter("more", inspect.Parameter.VAR_KEYWORD))
    return inspect.Signature(ps)


def lens_function(lens: str, run: Callable[..., Any]) -> Callable[..., Any]:
    """A function for ``lens`` made at run time (for lenses newer than _lenses.py)."""

    def f(scenario: Any = None, /, **params: Any) -> Any:
        return run(lens, scenario, **params)

    f.__name__ = f.__qualname__ = lens
    f.__doc__ = docstring(lens)
    f.__signature__ = signature(lens)  # type: ignore[attr-defined]
    f.__module__ = "negotium"
    return f


def render(lens: str) -> str:
    """The source of ``lens``'s explicit function in _lenses.py."""
    args = ["scenario: Optional[Source] = None", "*"]
    call = []
    for name, ann, default, _doc in params(lens):
        if default is REQUIRED:
            args.append(f"{name}: {ann}")
        else:
            args.append(f"{name}: {ann} = {default!r}")
        call.append(f"{name}={name}")
    args.append("**more: Any")
    call.append("**more")
    doc = docstring(lens).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    doc = "\n".join(("    " + line) if line else "" for line in doc.split("\n")).lstrip()
    body = ",\n        ".join(call)
    sig = ",\n    ".join(args)
    return (
        f"def {lens}(\n    {sig},\n) -> LensResult:\n"
        f'    """{doc}\n    """\n'
        f'    return run(\n        "{lens}",\n        scenario,\n        {body},\n    )\n'
    )


HEADER = '''"""The lens functions, one per lens of the core's registry, with their
parameters as keyword arguments. GENERATED from the parameter schemas by
``python python/tools/gen_lenses.py`` (a test checks it is current); lenses
added to the core since are made at import time by the same rules."""

# fmt: off
from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from . import LensResult, Source, run

'''


def module(lenses: List[str]) -> str:
    names = ", ".join(f'"{x}"' for x in lenses)
    parts = [HEADER, f"__all__ = [{names}]\n"]
    for lens in lenses:
        parts.append("\n\n" + render(lens))
    return "".join(parts)


def current_lenses() -> List[str]:
    return list(_native.lens_ids())
