"""docs/python.md is a notebook: its ```python blocks run here in order, in
one namespace, from the repository's root (blocks whose first line is
`# needs: ray` only where Ray is installed). Their asserts are the checks."""

import os
import pathlib
import re

import pytest

from conftest import REPO

DOC = REPO / "docs" / "python.md"


def blocks():
    text = DOC.read_text()
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_the_doc_has_examples():
    assert len(blocks()) >= 5


def test_python_md_runs_as_a_notebook(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("NEGOTIUM_DOC_TMP", str(tmp_path))
    ns = {"__name__": "__doc__"}
    try:
        import ray  # noqa: F401
        have_ray = True
    except ImportError:
        have_ray = False
    ran = 0
    try:
        for i, code in enumerate(blocks()):
            if code.startswith("# needs: ray") and not have_ray:
                continue
            exec(compile(code, f"{DOC.name}[block {i + 1}]", "exec"), ns)
            ran += 1
    finally:
        if have_ray:
            import ray

            if ray.is_initialized():
                ray.shutdown()
    assert ran >= 5
