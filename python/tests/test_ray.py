"""negotium.ray: blocks run as tasks (one after another, in a thread pool,
or as Ray tasks on a local `ray.init(num_cpus=2)`) merge into exactly the
single-process result."""

import json
import math
import statistics
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import negotium
from negotium import _native
from negotium import ray as nray
from conftest import GENIUS_HOLIDAY, KOSOVO

TOURNAMENT = dict(strategies="boulware,conceder,random,micro", steps=40, repetitions=3, seed=4)


def test_blocks_cover_the_range_once():
    for n in [0, 1, 5, 17, 100]:
        for count in [1, 2, 3, 7, 200]:
            bs = nray.blocks(n, count)
            assert [i for a, b in bs for i in range(a, b)] == list(range(n))
            assert len(bs) == min(n, count)
            if bs:
                sizes = [b - a for a, b in bs]
                assert max(sizes) - min(sizes) <= 1 and min(sizes) >= 1
    with pytest.raises(negotium.BadInput):
        nray.blocks(5, 0)


def test_draw_seeds_are_splitmix64():
    # SplitMix64 from state 0 (Vigna's reference, splitmix64.c): its first
    # three outputs are the seeds of draws 0, 1, 2 of base seed 0.
    assert [nray.draw_seed(0, k) for k in range(3)] == [
        0xE220A8397B1DCDAF,
        0x6E789E6AA1B965F4,
        0x06C45D188009454F,
    ]
    assert nray.draw_seed(1, 0) != nray.draw_seed(0, 1)


@pytest.mark.parametrize("count", [1, 3, 10])
def test_tournament_blocks_merge_to_the_whole_run(count):
    whole = negotium.tournament(KOSOVO, **TOURNAMENT)
    got = nray.tournament(KOSOVO, blocks_count=count, executor="local", **TOURNAMENT)
    assert got == whole and got.lens == "tournament"


def test_tournament_over_several_domains_in_a_thread_pool():
    sources = [negotium.load(KOSOVO), GENIUS_HOLIDAY]
    whole = negotium.tournament(sources, **TOURNAMENT)
    with ThreadPoolExecutor(2) as pool:
        got = nray.tournament(sources, blocks_count=5, executor=pool, **TOURNAMENT)
    assert got == whole
    # Kosovo's package has no zone of agreement, so its six issues also run
    # alone: 7 problems from it, 1 from the GENIUS domain.
    assert len(got["problems"]) == 8
    assert got["problems"][-1] != got["problems"][0]


def test_tournament_merge_refuses_missing_or_foreign_blocks():
    srcs, params = [KOSOVO], dict(TOURNAMENT)
    n = _native._tournament_jobs(srcs, params)
    a = json.loads(_native._tournament_block(srcs, params, 0, 10))
    b = json.loads(_native._tournament_block(srcs, params, 10, n))
    assert json.loads(_native._tournament_merge(srcs, params, [b, a])) == negotium.tournament(KOSOVO, **params)
    with pytest.raises(negotium.BadInput, match="records; the tournament has"):
        _native._tournament_merge(srcs, params, [a])
    other = json.loads(_native._tournament_block(srcs, {**params, "seed": 5}, 10, n))
    with pytest.raises(negotium.BadInput, match="same parameters"):
        _native._tournament_merge(srcs, params, [a, other])
    with pytest.raises(negotium.BadInput, match="outside the tournament"):
        _native._tournament_block(srcs, params, 0, n + 1)
    with pytest.raises(negotium.Limit):
        # 11² pairings × 100000 repetitions > the 10 million limit: refused
        # when the blocks are planned, before any negotiation runs.
        many = [f"aspiration:{e / 10}" for e in range(1, 12)]
        nray.tournament(KOSOVO, executor="local", repetitions=100_000, strategies=many)


POWER = dict(method="monte-carlo", samples=2000, index="ss")


def _naive_sweep(lens, scenario, draws, seed, **params):
    """The sweep written out: one run per draw, in order."""
    return [
        json.loads(json.dumps(negotium.run(lens, scenario, **params, seed=nray.draw_seed(seed, k))))
        for k in range(draws)
    ]


def test_seed_sweep_equals_a_plain_loop_and_summarises_it():
    draws = 7
    got = nray.seed_sweep("eu-council-2025", lens="power", draws=draws, seed=3, keep_results=True,
                     blocks_count=3, executor="local", **POWER)
    naive = _naive_sweep("power", "eu-council-2025", draws, 3, **POWER)
    assert got["results"] == naive
    assert got["seeds"] == [nray.draw_seed(3, k) for k in range(draws)]
    # One key number checked by hand: Germany (DEU)'s Shapley-Shubik estimate.
    inst = naive[0]["institutions"][0]["institution"]
    name = f"{inst}.shapley_shubik.DEU"
    values = [r["institutions"][0]["indices"]["shapley_shubik"]["DEU"] for r in naive]
    assert got["key_numbers"][name] == values
    assert len(set(values)) > 1  # the draws differ: the seed reaches the estimate
    s = got["summary"][name]
    assert s["n"] == draws
    assert math.isclose(s["mean"], statistics.fmean(values), rel_tol=1e-12)
    assert math.isclose(s["sd"], statistics.stdev(values), rel_tol=1e-9)
    assert (s["min"], s["max"]) == (min(values), max(values))
    assert s["p50"] == statistics.median(values)
    # type-7 quantiles: statistics' "inclusive" method is the same definition
    q = statistics.quantiles(values, n=20, method="inclusive")
    assert math.isclose(s["p05"], q[0], rel_tol=1e-12) and math.isclose(s["p95"], q[-1], rel_tol=1e-12)


def test_seed_sweep_does_not_depend_on_the_split():
    one = nray.seed_sweep(KOSOVO, lens="negotiate", draws=6, seed=1, blocks_count=1, executor="local",
                     strategies="random,conceder", steps=30)
    with ThreadPoolExecutor(2) as pool:
        many = nray.seed_sweep(KOSOVO, lens="negotiate", draws=6, seed=1, blocks_count=4, executor=pool,
                          strategies="random,conceder", steps=30)
    assert one == many
    assert one["summary"]


def test_seed_sweep_errors():
    with pytest.raises(negotium.BadInput, match="takes no seed"):
        nray.seed_sweep(KOSOVO, lens="vote", draws=2, executor="local", proposal=50)
    with pytest.raises(negotium.BadInput, match="draws"):
        nray.seed_sweep(KOSOVO, draws=0, executor="local")
    with pytest.raises(negotium.BadInput, match="exactly once"):
        nray.merge_seed_sweep("power", 0, 3, [[{"draw": 0, "seed": 1, "key_numbers": {}}]])
    with pytest.raises(negotium.BadInput, match="samples"):
        nray.seed_sweep("eu-council-2025", lens="power", draws=2, executor="local", method="monte-carlo", samples=0)


def test_without_ray_only_the_ray_executor_needs_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails
    small = dict(strategies="boulware,conceder", steps=20)
    with pytest.raises(ImportError, match="needs Ray"):
        nray.tournament(KOSOVO, **small)
    assert nray.tournament(KOSOVO, executor="local", **small) == negotium.tournament(KOSOVO, **small)


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, configure_logging=False)
    yield ray
    ray.shutdown()


def test_ray_tournament_and_sweep_equal_the_single_process_runs(local_ray):
    whole = negotium.tournament([KOSOVO, GENIUS_HOLIDAY], **TOURNAMENT)
    got = nray.tournament([negotium.load(KOSOVO), GENIUS_HOLIDAY], blocks_count=4, **TOURNAMENT)
    assert got == whole
    local = nray.seed_sweep("eu-council-2025", lens="power", draws=4, seed=9, executor="local", **POWER)
    remote = nray.seed_sweep("eu-council-2025", lens="power", draws=4, seed=9, **POWER)
    assert remote == local
