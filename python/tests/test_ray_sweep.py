"""negotium.ray.sweep and negotium.merge_sweeps: the sweep lens cut into
blocks of draws (first_draw, block_draws), merged in Rust, equals one
`negotium.sweep` call bit for bit (the JSON text); `out=DIR` writes the
files `negotium sweep --out DIR` writes (CSV and summary.json byte for
byte, Parquet tables equal)."""

import json
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

import negotium
from negotium import _native
from negotium import ray as nray
from conftest import EMISSION, GMCR_SYRIA, KOSOVO

# A stated perturbation so that every lens of kosovo-status is swept
# (spatial forecasts, votes, equilibria, agreement).
SWEEP = dict(draws=24, seed=7, model="median,compromise", perturb="position=10,salience=0.2,capability=0.2")


def text(result):
    """The JSON text of a result, keys in the order the core gave them."""
    return json.dumps(result)


@pytest.fixture(scope="module")
def whole():
    return negotium.sweep(KOSOVO, **SWEEP)


def test_the_sweep_is_random_so_the_comparison_has_teeth(whole):
    assert whole["draws"] == SWEEP["draws"] and "block" not in whole
    forecasts = [x for i in whole["spatial"]["issues"] for m in i["models"] for x in m["quantiles"].values()]
    assert len(set(forecasts)) > 10
    other = negotium.sweep(KOSOVO, **{**SWEEP, "seed": 8})
    assert text(other) != text(whole)


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_blocks_merge_to_the_single_call(whole, count):
    got = nray.sweep(KOSOVO, blocks_count=count, executor="local", **SWEEP)
    assert got.lens == "sweep"
    assert text(got) == text(whole)


def test_blocks_in_a_thread_pool_with_sensitivity():
    params = dict(SWEEP, sensitivity=True, sobol_n=4, bootstrap=5, issue="status")
    one = negotium.sweep(KOSOVO, **params)
    assert one["sensitivity"]
    with ThreadPoolExecutor(2) as pool:
        got = nray.sweep(KOSOVO, blocks_count=3, executor=pool, **params)
    assert text(got) == text(one)


def test_merge_sweeps_of_uneven_parts_in_any_order(whole):
    cuts = [(0, 1), (1, 9), (9, 20), (20, 24)]
    parts = [negotium.sweep(KOSOVO, first_draw=a, block_draws=b - a, **SWEEP) for a, b in cuts]
    assert [p["block"]["first_draw"] for p in parts] == [a for a, _ in cuts]
    assert [p["draws"] for p in parts] == [b - a for a, b in cuts]
    random.Random(1).shuffle(parts)
    merged = negotium.merge_sweeps(parts, KOSOVO, **SWEEP)
    assert text(merged) == text(whole)
    # draws and seed default to the parts'
    rest = {k: v for k, v in SWEEP.items() if k not in ("draws", "seed")}
    assert text(negotium.merge_sweeps(parts, KOSOVO, **rest)) == text(whole)
    # a loaded Scenario works as well as an id
    assert negotium.merge_sweeps(parts, negotium.load(KOSOVO), **SWEEP) == whole


def test_merge_sweeps_refuses_parts_that_do_not_make_the_sweep():
    a = negotium.sweep(KOSOVO, first_draw=0, block_draws=3, **SWEEP)
    b = negotium.sweep(KOSOVO, first_draw=3, block_draws=3, **{**SWEEP, "draws": 6})
    small = {**SWEEP, "draws": 6}
    assert negotium.merge_sweeps([a, b], KOSOVO, **small) == negotium.sweep(KOSOVO, **small)
    with pytest.raises(negotium.BadInput, match="hold 3 draws; the sweep has 6"):
        negotium.merge_sweeps([a], KOSOVO, **small)
    with pytest.raises(negotium.BadInput, match="exactly once"):
        negotium.merge_sweeps([a, a], KOSOVO, **small)
    foreign = negotium.sweep(KOSOVO, first_draw=3, block_draws=3, **{**small, "seed": 8})
    with pytest.raises(negotium.BadInput, match="same scenario, seed"):
        negotium.merge_sweeps([a, foreign], KOSOVO, **small)
    with pytest.raises(negotium.BadInput, match="carries no block"):
        negotium.merge_sweeps([a, negotium.sweep(KOSOVO, **small)], KOSOVO, **small)
    with pytest.raises(negotium.BadInput, match="not a sweep result") as e:
        negotium.merge_sweeps([{"draws": 1}], KOSOVO, **small)
    assert e.value.param == "parts"


def test_sweep_errors_name_the_parameter():
    with pytest.raises(negotium.BadInput, match="leave it out"):
        nray.sweep(KOSOVO, executor="local", first_draw=2, **SWEEP)
    with pytest.raises(negotium.BadInput) as e:
        nray.sweep(KOSOVO, executor="local", draws=0)
    assert e.value.param == "draws"
    with pytest.raises(negotium.BadInput, match="whole number"):
        nray.sweep(KOSOVO, executor="local", draws="10")
    with pytest.raises(negotium.BadInput) as e:
        nray.sweep(KOSOVO, executor="local", draws=4, model="nope")
    assert e.value.param == "model"
    with pytest.raises(negotium.Limit) as e:
        nray.sweep(KOSOVO, executor="local", draws=10**7)
    assert e.value.exit_code == 3
    # The registry's own refusal of a source that is not a scenario.
    with pytest.raises(negotium.BadInput) as e:
        nray.sweep(GMCR_SYRIA, executor="local", draws=2)
    with pytest.raises(negotium.BadInput) as same:
        negotium.sweep(GMCR_SYRIA, draws=2)
    assert str(e.value) == str(same.value)
    with pytest.raises(negotium.BadInput, match="not a sweep block"):
        _native._sweep_merge([KOSOVO], {"draws": 2}, ["{}"])


def files_equal(cli_dir, py_dir):
    """The CLI's files that ray.sweep writes too are equal: summary.json
    and the CSVs byte for byte, the Parquet files as tables."""
    import pyarrow.parquet as pq

    written = sorted(p.name for p in py_dir.iterdir())
    cli_files = sorted(p.name for p in cli_dir.iterdir() if not p.name.endswith(".svg"))
    assert written == cli_files
    for name in written:
        if name.endswith(".parquet"):
            a, b = pq.read_table(cli_dir / name), pq.read_table(py_dir / name)
            assert a.schema.equals(b.schema) and a.equals(b), name
            assert a.num_rows > 0
        else:
            assert (cli_dir / name).read_bytes() == (py_dir / name).read_bytes(), name
    return written


def cli_sweep(cli, out, params):
    args = ["sweep", KOSOVO, "--out", str(out)]
    for k, v in params.items():
        args += [f"--{k.replace('_', '-')}", str(v)]
    p = cli.run(*args)
    assert p.returncode == 0, p.stderr


def test_out_writes_what_the_cli_writes(cli, tmp_path, whole):
    pytest.importorskip("pyarrow")
    cli_sweep(cli, tmp_path / "cli", SWEEP)
    got = nray.sweep(KOSOVO, blocks_count=3, executor="local", out=tmp_path / "py", **SWEEP)
    assert text(got) == text(whole)
    written = files_equal(tmp_path / "cli", tmp_path / "py")
    stems = {n.split(".")[0] for n in written} - {"summary"}
    # Kosovo declares discrete choices (ballots, GMCR alternatives): their
    # table too, written alike by both paths.
    assert stems == {"forecasts", "inputs", "choices", "votes", "equilibria", "agreement"}
    assert json.loads((tmp_path / "py" / "summary.json").read_text()) == whole


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, configure_logging=False)
    yield ray
    ray.shutdown()


@pytest.mark.parametrize("count", [2, 3])
def test_ray_sweep_equals_the_single_call(local_ray, whole, count):
    got = nray.sweep(negotium.load(KOSOVO), blocks_count=count, **SWEEP)
    assert text(got) == text(whole)


def test_ray_sweep_out_and_errors(local_ray, cli, tmp_path, whole):
    cli_sweep(cli, tmp_path / "cli", SWEEP)
    got = nray.sweep(KOSOVO, blocks_count=3, out=tmp_path / "py", **SWEEP)
    assert text(got) == text(whole)
    files_equal(tmp_path / "cli", tmp_path / "py")
    # A task's error comes back as itself, not wrapped by Ray.
    with pytest.raises(negotium.BadInput) as e:
        nray.sweep(KOSOVO, draws=4, blocks_count=2, issue="nope")
    assert e.value.param == "issue" and e.value.exit_code == 2


def test_ray_sweep_of_kosovo_declared_ranges_and_another_scenario(local_ray):
    # kosovo-status's declared ranges (no stated perturbation), all five models.
    params = dict(draws=6, seed=2, issue="status,debt")
    assert text(nray.sweep(KOSOVO, blocks_count=4, **params)) == text(negotium.sweep(KOSOVO, **params))
    # emission-standards declares no uncertainty: a stated perturbation.
    params = dict(draws=10, seed=3, perturb="position=5,salience=0.1")
    got = nray.sweep(EMISSION, blocks_count=3, **params)
    assert text(got) == text(negotium.sweep(EMISSION, **params))
    assert got["scenario"] == EMISSION
