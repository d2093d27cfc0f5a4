"""Shared fixtures: the repository's paths and the `negotium` binary built
from the same checkout (NEGOTIUM_BIN, else target/debug or target/release),
run with --json on the same inputs as the Python calls."""

import json
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
KOSOVO = "kosovo-status"
EMISSION = "emission-standards"
EU = "eu-council-2025"
GMCR_SYRIA = str(REPO / "crates/negotium-conflict/fixtures/syria_iraq.gmcr")
GMCR_THREE = str(REPO / "crates/negotium-conflict/fixtures/three_party_or.gmcr")
GENIUS_HOLIDAY = str(REPO / "crates/negotium-scenario/tests/fixtures/genius/holiday")
KTAB_SOE = str(REPO / "crates/negotium-spatial/tests/fixtures/ktab/SOE-Policy.csv")
INVALID = REPO / "crates/negotium-scenario/tests/invalid"


def _binary() -> pathlib.Path:
    env = os.environ.get("NEGOTIUM_BIN")
    if env:
        return pathlib.Path(env)
    found = [REPO / "target" / p / "negotium" for p in ("debug", "release")]
    found = [p for p in found if p.exists()]
    if not found:
        pytest.exit("no negotium binary: run `cargo build -p negotium` (or set NEGOTIUM_BIN)", 2)
    # The newest build, so that it matches the extension built alongside.
    return max(found, key=lambda p: p.stat().st_mtime)


class Cli:
    def __init__(self, path: pathlib.Path):
        self.path = path

    def run(self, *args: str, cwd=None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.path), *args], capture_output=True, text=True, cwd=cwd, timeout=600
        )

    def json(self, *args: str, cwd=None):
        p = self.run(*args, "--json", cwd=cwd)
        assert p.returncode == 0, f"negotium {' '.join(args)} failed ({p.returncode}): {p.stderr}"
        return json.loads(p.stdout)


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli(_binary())
