"""The package's own API: Scenario objects, errors (kinds, exit codes,
located messages equal to the CLI's), the GIL released during runs,
pickling, tables, and the generated lens functions."""

import inspect
import pathlib
import pickle
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import negotium
from negotium import _signature
from conftest import GENIUS_HOLIDAY, GMCR_SYRIA, INVALID, KOSOVO, KTAB_SOE, REPO


def test_scenario_attributes_and_repr():
    s = negotium.load(KOSOVO)
    assert s.kind == "scenario"
    assert s.id == "kosovo-status"
    assert s.title == "Kosovo final status talks"
    assert s.as_of == "2007-03-26"
    assert s.source == "kosovo-status.toml (built-in)"
    assert [a["id"] for a in s.actors][:3] == ["SRB", "KOS", "USA"]
    assert "status" in [i["id"] for i in s.issues]
    assert set(s.sections) >= {"stances", "conflict", "institutions", "bargaining", "history", "outcome"}
    assert repr(s) == "<negotium.Scenario kosovo-status (scenario): 18 actor(s), 6 issue(s), as of 2007-03-26>"
    data = s.to_dict()
    assert data["scenario"]["id"] == "kosovo-status"
    assert len(data["actor"]) == 18
    assert s.text.startswith("#") or "[scenario]" in s.text


def test_other_sources_load():
    g = negotium.load(GMCR_SYRIA)
    assert g.kind == "gmcr" and g.id == "syria_iraq" and g.sections == ["conflict"]
    assert len(g.actors) >= 2 and all("name" in a for a in g.actors)
    d = negotium.load(pathlib.Path(GENIUS_HOLIDAY))
    assert d.kind == "genius" and d.id == "holiday" and len(d.actors) == 2
    k = negotium.load(KTAB_SOE)
    assert k.kind == "scenario" and k.sections == ["stances"]
    with pytest.raises(ValueError):
        g.to_dict()


def test_same_result_for_every_way_of_naming_the_source():
    by_id = negotium.forecast(KOSOVO, model="median")
    assert negotium.forecast(negotium.load(KOSOVO), model="median") == by_id
    assert negotium.forecast(model="median") == by_id  # the default scenario
    assert negotium.run("forecast", KOSOVO, model=["median"]) == by_id
    path = REPO / "scenarios" / "kosovo-status.toml"
    from_file = negotium.forecast(path, model="median")
    assert from_file["issues"] == by_id["issues"]
    text = negotium.from_text(path.read_text(), "k.toml")
    assert negotium.forecast(text, model="median")["issues"] == by_id["issues"]


def test_unknown_scenario_is_bad_input_with_the_cli_text(cli):
    with pytest.raises(negotium.BadInput) as e:
        negotium.load("no-such-scenario")
    p = cli.run("forecast", "no-such-scenario")
    assert p.returncode == 2 == e.value.exit_code
    assert p.stderr.strip() == f"error: {e.value}"
    assert "unknown scenario `no-such-scenario`" in str(e.value)
    assert e.value.param is None and e.value.diagnostics == []


def test_located_scenario_error(cli):
    path = str(INVALID / "unknown-actor.toml")
    with pytest.raises(negotium.BadInput) as e:
        negotium.forecast(path)
    p = cli.run("forecast", path)
    assert p.returncode == 2
    assert p.stderr.strip() == f"error: {e.value}"
    assert "unknown-actor.toml:30:9: stance[1].actor: unknown actor `C`" in str(e.value)
    # validate reports every problem; the unknown actor is one of them
    d = next(d for d in e.value.diagnostics if d["path"] == "stance[1].actor")
    assert (d["line"], d["column"]) == (30, 9)
    assert d["file"] == path and "unknown actor `C`" in d["message"]


def test_bad_parameters_name_the_keyword(cli):
    with pytest.raises(negotium.BadInput) as e:
        negotium.forecast(KOSOVO, rounds=0)
    assert e.value.param == "rounds" and str(e.value).startswith("rounds: ")
    p = cli.run("forecast", KOSOVO, "--rounds", "0")
    assert p.returncode == 2 and p.stderr.strip() == f"error: --{e.value}"

    with pytest.raises(negotium.BadInput, match="unknown field `bogus`"):
        negotium.forecast(KOSOVO, bogus=1)
    with pytest.raises(negotium.BadInput, match="^seed: "):
        negotium.forecast(KOSOVO, seed=-1)
    with pytest.raises(negotium.BadInput, match="expected a finite number"):
        negotium.vote(KOSOVO, proposal=float("nan"))
    with pytest.raises(negotium.BadInput, match="cannot pass a value of type object"):
        negotium.forecast(KOSOVO, model=object())
    with pytest.raises(TypeError):
        negotium.vote(KOSOVO)  # proposal is required
    with pytest.raises(negotium.BadInput, match="unknown lens `nope`"):
        negotium.run("nope", KOSOVO)


def test_limits_raise_limit(cli):
    with pytest.raises(negotium.Limit) as e:
        negotium.power(KOSOVO, samples=10**9)
    assert e.value.exit_code == 3 and e.value.param == "samples"
    assert isinstance(e.value, negotium.NegotiumError)
    p = cli.run("power", KOSOVO, "--samples", str(10**9))
    assert p.returncode == 3 and p.stderr.strip() == f"error: --{e.value}"


def test_wrong_source_kind_for_the_lens():
    with pytest.raises(negotium.BadInput, match="gmcr-py conflict model; the forecast lens needs a scenario"):
        negotium.forecast(GMCR_SYRIA)
    with pytest.raises(negotium.BadInput, match="GENIUS domain directory; the conflict lens needs a scenario"):
        negotium.conflict(GENIUS_HOLIDAY)
    with pytest.raises(negotium.BadInput, match="either a scenario or quota/weights"):
        negotium.power(KOSOVO, quota=3, weights="2,1,1")
    with pytest.raises(negotium.BadInput, match="takes one source"):
        negotium.forecast([KOSOVO, KOSOVO])


def _busy_job():
    # A few hundred milliseconds in the Rust core.
    return negotium.power("eu-council-2025", method="monte-carlo", samples=400_000, index="ss,bz", seed=1)


def test_gil_is_released_during_a_run():
    """While a run is inside the Rust core, this thread keeps executing
    Python: with the GIL held it could not run at all until the call returned."""
    started, done = threading.Event(), threading.Event()
    out = {}

    def work():
        started.set()
        out["r"] = _busy_job()
        done.set()

    t = threading.Thread(target=work)
    t.start()
    started.wait()
    spins = 0
    while not done.is_set():
        spins += 1
    t.join()
    assert out["r"]["institutions"]
    assert spins > 10_000, f"the main thread ran only {spins} loop iterations during the run"


def test_two_runs_in_parallel_threads_give_the_sequential_results():
    calls = [lambda: negotium.forecast(KOSOVO, model="smp", seed=1), _busy_job]
    sequential = [c() for c in calls]
    with ThreadPoolExecutor(max_workers=2) as pool:
        parallel = [f.result(timeout=300) for f in [pool.submit(c) for c in calls]]
    assert parallel == sequential


def test_pickling_scenarios_and_results():
    for src in [KOSOVO, GMCR_SYRIA, GENIUS_HOLIDAY, KTAB_SOE]:
        s = negotium.load(src)
        t = pickle.loads(pickle.dumps(s))
        assert (t.kind, t.id, t.source, t.actors, t.issues) == (s.kind, s.id, s.source, s.actors, s.issues)
    s = negotium.load(KOSOVO)
    t = pickle.loads(pickle.dumps(s))
    assert negotium.analyze(t) == negotium.analyze(s)  # same source name, too
    r = negotium.pareto(s)
    r2 = pickle.loads(pickle.dumps(r))
    assert r2 == r and r2.lens == "pareto"


def test_tables_and_pandas():
    pd = pytest.importorskip("pandas")
    f = negotium.forecast(KOSOVO, model=["median", "smp"])
    df = f.to_pandas()
    assert list(df.columns[:3]) == ["issue", "model", "forecast"]
    assert len(df) == 2 * len(f["issues"])
    assert df["forecast"].dtype.kind == "f" and df["rounds"].dtype.kind == "i"
    first = f["issues"][0]["models"][0]
    assert df.loc[0, "forecast"] == first["forecast"] and df.loc[0, "model"] == first["model"]

    p = negotium.power("eu-council-2025", index="ss")
    dp = negotium.to_pandas(dict(p), lens="power")
    assert list(dp.columns) == ["institution", "member", "index", "value"]
    ss = p["institutions"][0]["indices"]["shapley_shubik"]
    assert dict(zip(dp["member"], dp["value"])) == ss
    assert isinstance(dp, pd.DataFrame)

    with pytest.raises(negotium.BadInput, match="no table `records`"):
        f.to_pandas("records")
    with pytest.raises(negotium.BadInput, match="give the lens"):
        negotium.to_pandas(dict(f))


def test_generated_lens_functions_are_current():
    """_lenses.py is generated from the parameter schemas; regenerate with
    `python python/tools/gen_lenses.py` when a lens's parameters change."""
    import negotium._lenses as generated

    path = pathlib.Path(generated.__file__)
    names = list(generated.__all__)
    assert path.read_text() == _signature.module(names), "run python python/tools/gen_lenses.py"


def test_every_registry_lens_has_a_function_with_its_parameters():
    for lens in negotium.lenses():
        f = getattr(negotium, lens)
        sig = inspect.signature(f)
        names = [p for p in sig.parameters if p not in ("scenario", "more")]
        schema = negotium.schema(lens, params=True)["properties"]
        expected = [_signature.py_name(n) for n in schema]
        if lens == "power":
            expected += ["quota", "weights", "veto", "min_complement"]
        assert sorted(names) == sorted(expected), lens
        assert f.__doc__ and lens in f.__doc__


def test_dynamic_function_for_a_lens_newer_than_the_generated_file():
    f = _signature.lens_function("pareto", negotium.run)
    assert f(KOSOVO) == negotium.pareto(KOSOVO)
    assert "limit" in inspect.signature(f).parameters


def test_info_and_lenses():
    assert negotium.lenses()[0] == "forecast"
    assert negotium.info("vote")["title"] == "Vote on a proposal"
    assert len(negotium.info()) == len(negotium.lenses())
    with pytest.raises(negotium.BadInput):
        negotium.schema("nope")


def test_exception_classes_follow_the_exit_codes():
    """BadInput (2), Limit (3) and Failed (1) share one base class, so one
    `except negotium.NegotiumError` catches every run error."""
    for cls in (negotium.BadInput, negotium.Limit, negotium.Failed):
        assert issubclass(cls, negotium.NegotiumError) and issubclass(cls, Exception)
    assert len({negotium.BadInput, negotium.Limit, negotium.Failed}) == 3
    with pytest.raises(negotium.NegotiumError) as e:
        negotium.power(KOSOVO, samples=10**9)
    assert type(e.value) is negotium.Limit
