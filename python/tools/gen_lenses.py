"""Writes python/negotium/_lenses.py (the explicit lens functions) from the
parameter schemas of the installed negotium build: run it after a lens's
parameters change (tests/test_api.py checks the file is current).

    python python/tools/gen_lenses.py
"""

import pathlib

from negotium import _signature

out = pathlib.Path(__file__).resolve().parent.parent / "negotium" / "_lenses.py"
out.write_text(_signature.module(_signature.current_lenses()))
print(f"wrote {out}")
