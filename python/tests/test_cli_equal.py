"""Every lens from Python equals the CLI's --json on the same input: the
built-in scenarios, a gmcr-py .gmcr model, a GENIUS domain and a KTAB CSV.
The two sides share no code but the Rust core, so this checks the
marshalling (parameters in, JSON out, numbers exact) end to end."""

import json

import pytest

import negotium
from conftest import (
    EMISSION,
    EU,
    GENIUS_HOLIDAY,
    GMCR_SYRIA,
    GMCR_THREE,
    KOSOVO,
    KTAB_SOE,
)

# (id, CLI arguments without --json, the same call in Python)
CASES = [
    ("forecast-kosovo", ["forecast"], lambda: negotium.forecast()),
    (
        "forecast-emission-eum-rounds",
        ["forecast", EMISSION, "--model", "median,eum", "--rounds", "4"],
        lambda: negotium.forecast(EMISSION, model=["median", "eum"], rounds=4),
    ),
    (
        "forecast-kosovo-joint-seed",
        ["forecast", KOSOVO, "--model", "smp", "--issue", "status,debt", "--joint", "--seed", "7"],
        lambda: negotium.forecast(negotium.load(KOSOVO), model="smp", issue=["status", "debt"], joint=True, seed=7),
    ),
    (
        "forecast-ktab-csv",
        ["forecast", KTAB_SOE, "--model", "median,compromise,nash,eum"],
        lambda: negotium.forecast(KTAB_SOE, model="median,compromise,nash,eum"),
    ),
    ("history-kosovo", ["history", KOSOVO], lambda: negotium.history(KOSOVO)),
    (
        "history-kosovo-filtered",
        ["history", KOSOVO, "--kind", "vote,proposal", "--from", "2007"],
        lambda: negotium.history(KOSOVO, kind=["vote", "proposal"], from_="2007"),
    ),
    ("conflict-kosovo", ["conflict", KOSOVO], lambda: negotium.conflict(KOSOVO)),
    (
        "conflict-gmcr-syria",
        [
            "conflict", GMCR_SYRIA, "--status-quo", "1", "--improvements-only",
            "--explain", "6", "--explain", "!o1 & o2 & o3", "--inverse", "6",
            "--vary", "1..4", "--limited", "4",
        ],
        lambda: negotium.conflict(
            negotium.load(GMCR_SYRIA), status_quo="1", improvements_only=True,
            explain=["6", "!o1 & o2 & o3"], inverse="6", vary=["1..4"], limited=4,
        ),
    ),
    (
        "conflict-gmcr-three-party",
        ["conflict", GMCR_THREE, "--gmcr-py", "--inverse", "1", "--vary", "1..3", "--inverse-gmcr-py"],
        lambda: negotium.conflict(GMCR_THREE, gmcr_py=True, inverse="1", vary="1..3", inverse_gmcr_py=True),
    ),
    ("power-kosovo", ["power", KOSOVO], lambda: negotium.power(KOSOVO)),
    ("power-eu", ["power", EU], lambda: negotium.power(EU)),
    (
        "power-eu-monte-carlo",
        ["power", EU, "--index", "ss,bz", "--method", "monte-carlo", "--samples", "3000", "--seed", "11"],
        lambda: negotium.power(EU, index=["ss", "bz"], method="monte-carlo", samples=3000, seed=11),
    ),
    (
        "power-quick-game",
        ["power", "--quota", "6", "--weights", "4,3,2,1", "--veto", "1"],
        lambda: negotium.power(quota=6, weights="4,3,2,1", veto=[1]),
    ),
    (
        "power-quick-game-two-quotas",
        ["power", "--quota", "3,6", "--weights", "1,1,1,1", "--weights", "4,3,2,1", "--min-complement", "2"],
        lambda: negotium.power(quota=[3, 6], weights=["1,1,1,1", "4,3,2,1"], min_complement=2),
    ),
    (
        "vote-kosovo",
        ["vote", KOSOVO, "--proposal", "65.3"],
        lambda: negotium.vote(KOSOVO, proposal=65.3),
    ),
    (
        "vote-kosovo-status-quo",
        ["vote", KOSOVO, "--proposal", "0.1", "--status-quo", "0.30000000000000004"],
        lambda: negotium.vote(KOSOVO, proposal=0.1, status_quo=0.1 + 0.2),
    ),
    (
        "negotiate-kosovo",
        ["negotiate", KOSOVO],
        lambda: negotium.negotiate(KOSOVO),
    ),
    (
        "negotiate-kosovo-sao-trace",
        ["negotiate", KOSOVO, "--protocol", "sao", "--strategies", "boulware,conceder", "--trace", "--seed", "3", "--steps", "40"],
        lambda: negotium.negotiate(KOSOVO, protocol="sao", strategies=["boulware", "conceder"], trace=True, seed=3, steps=40),
    ),
    (
        "negotiate-genius-single-text",
        ["negotiate", GENIUS_HOLIDAY, "--protocol", "single-text", "--mediator", "hill-climb", "--seed", "5"],
        lambda: negotium.negotiate(negotium.load(GENIUS_HOLIDAY), protocol="single-text", mediator="hill-climb", seed=5),
    ),
    (
        "negotiate-genius-real-points",
        ["negotiate", GENIUS_HOLIDAY, "--real-points", "5", "--strategies", "micro"],
        lambda: negotium.negotiate(GENIUS_HOLIDAY, real_points=5, strategies="micro"),
    ),
    ("pareto-kosovo", ["pareto", KOSOVO], lambda: negotium.pareto(KOSOVO)),
    ("pareto-genius", ["pareto", GENIUS_HOLIDAY], lambda: negotium.pareto(GENIUS_HOLIDAY)),
    ("analyze-kosovo", ["analyze", KOSOVO, "--seed", "2"], lambda: negotium.analyze(KOSOVO, seed=2)),
    ("analyze-emission", ["analyze", EMISSION], lambda: negotium.analyze(EMISSION)),
    ("analyze-eu", ["analyze", EU], lambda: negotium.analyze(negotium.load(EU))),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_equal_to_cli_json(cli, case):
    _, args, call = case
    expected = cli.json(*args)
    got = call()
    assert isinstance(got, dict)
    assert got == expected
    # And the same through JSON text (nothing but JSON types inside).
    assert json.loads(json.dumps(got)) == expected


def test_every_registry_lens_is_covered():
    covered = {c[1][0] for c in CASES} | {"tournament"}
    core = set(negotium.lenses())
    # Lenses added to the core later get their own case when they land.
    assert {"forecast", "history", "conflict", "power", "vote", "negotiate", "pareto", "tournament", "analyze"} <= covered
    assert covered <= core


@pytest.mark.parametrize(
    "sources",
    [[KOSOVO], [KOSOVO, GENIUS_HOLIDAY]],
    ids=["kosovo", "kosovo+genius"],
)
def test_tournament_equal_to_cli_files(cli, tmp_path, sources):
    """`negotium tournament --json` prints the summary and writes the whole
    result to PREFIX.json and the records to PREFIX.csv: Python returns the
    whole result; its summary, JSON and records table match."""
    prefix = str(tmp_path / "t")
    args = ["tournament", *sources, "--strategies", "boulware,conceder,micro", "--steps", "30",
            "--repetitions", "2", "--seed", "9", "--out", prefix]
    printed = cli.json(*args)
    got = negotium.tournament(
        [negotium.load(s) for s in sources] if len(sources) > 1 else sources[0],
        strategies="boulware,conceder,micro", steps=30, repetitions=2, seed=9,
    )
    with open(prefix + ".json") as f:
        assert got == json.load(f)
    assert got["summary"] == printed["summary"]
    pd = pytest.importorskip("pandas")
    records = got.to_pandas("records")
    on_disk = pd.read_csv(prefix + ".csv", keep_default_na=False, na_values=[""])
    assert list(records.columns) == list(on_disk.columns)
    assert len(records) == len(on_disk) == sum(len(r["strategies"]) for r in got["records"])
    for col in records.columns:
        a, b = records[col].tolist(), on_disk[col].tolist()
        if records[col].dtype.kind == "f":
            assert pd.Series(a).equals(pd.Series(b, dtype="float64")), col
        else:
            # (an all-blank column: None here, NaN from read_csv)
            norm = lambda xs: [None if pd.isna(x) else str(x) for x in xs]  # noqa: E731
            assert norm(a) == norm(b), col


@pytest.mark.parametrize("lens", ["forecast", "conflict", "power", "vote", "negotiate", "tournament", "analyze"])
@pytest.mark.parametrize("params", [False, True])
def test_schema_equal_to_cli(cli, lens, params):
    p = cli.run("schema", lens, *(["--params"] if params else []))
    assert p.returncode == 0, p.stderr
    assert negotium.schema(lens, params=params) == json.loads(p.stdout)
