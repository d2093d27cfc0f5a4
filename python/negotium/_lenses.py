"""The lens functions, one per lens of the core's registry, with their
parameters as keyword arguments. GENERATED from the parameter schemas by
``python python/tools/gen_lenses.py`` (a test checks it is current); lenses
added to the core since are made at import time by the same rules."""

# fmt: off
from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from . import LensResult, Source, run

__all__ = ["forecast", "history", "conflict", "power", "vote", "negotiate", "pareto", "tournament", "analyze", "replay", "backtest", "sweep", "advise"]


def forecast(
    scenario: Optional[Source] = None,
    *,
    as_of: Optional[str] = None,
    exchange_random: Optional[float] = None,
    issue: Union[Sequence[str], str] = (),
    joint: bool = False,
    model: Union[Sequence[str], str] = ('median', 'compromise', 'nash', 'eum', 'smp'),
    rounds: Optional[int] = None,
    seed: Optional[int] = 0,
    **more: Any,
) -> LensResult:
    """Spatial forecast: the ``negotium forecast --json`` result as a dict.

    Median voter, compromise, Nash bargaining, expected utility and SMP models, per issue.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        as_of: Read the stances and capabilities in force on this date (`YYYY-MM-DD`; default: the scenario's `as_of`). Default: None.
        exchange_random: The exchange model's random-rate variant: p in [0, 1] scales the random variation of each exchange rate (seeded by `seed`; default: equal gain). Default: None.
        issue: Only these issues (ids; empty: every issue). Default: ().
        joint: Run the SMP over the selected issues as one multi-dimensional space (it then bargains over all of them at once, as KTAB does with several dimensions); the other models are separable and run issue by issue. Default: False.
        model: Models to run, in report order: median, compromise, nash, eum, smp, exchange (empty: the first five; the exchange model runs jointly over the selected issues and lists its exchanges in `exchange`). Default: ('median', 'compromise', 'nash', 'eum', 'smp').
        rounds: Rounds of the expected-utility model, and the upper bound on SMP rounds (default: each model's own; 1 to 10000). Default: None.
        seed: Seed for any random choice (reported in the assumptions). Default: 0.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/forecast.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "forecast",
        scenario,
        as_of=as_of,
        exchange_random=exchange_random,
        issue=issue,
        joint=joint,
        model=model,
        rounds=rounds,
        seed=seed,
        **more,
    )


def history(
    scenario: Optional[Source] = None,
    *,
    from_: Optional[str] = None,
    kind: Union[Sequence[str], str] = (),
    to: Optional[str] = None,
    **more: Any,
) -> LensResult:
    """History: the ``negotium history --json`` result as a dict.

    The dated events of the case as a timeline.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        from_: Only events on or after this date (`YYYY[-MM[-DD]]`). Default: None.
        kind: Only events of these kinds (e.g. `vote,proposal`; empty: every kind). Default: ().
        to: Only events on or before this date (`YYYY[-MM[-DD]]`). Default: None.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/history.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "history",
        scenario,
        from_=from_,
        kind=kind,
        to=to,
        **more,
    )


def conflict(
    scenario: Optional[Source] = None,
    *,
    all_states: bool = False,
    coalition: Union[Sequence[str], str] = (),
    concepts: Union[Sequence[str], str] = ('nash', 'gmr', 'smr', 'seq', 'sim', 'seq_sim'),
    explain: Union[Sequence[str], str] = (),
    gmcr_py: bool = False,
    improvements_only: bool = False,
    inverse: Optional[str] = None,
    inverse_gmcr_py: bool = False,
    limited: Optional[int] = None,
    max_memory: Optional[str] = None,
    partition: Optional[str] = None,
    states: Optional[str] = None,
    status_quo: Optional[str] = None,
    vary: Union[Sequence[str], str] = (),
    **more: Any,
) -> LensResult:
    """Strategic conflict (GMCR): the ``negotium conflict --json`` result as a dict.

    Stability of every state for each decision maker; equilibria; status-quo analysis.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        all_states: Show every feasible state in the option-form table, not only equilibria (text output only). Default: False.
        coalition: Coalition analysis for these DMs joined by `+` (ids or names, e.g. `USA+EU`), one item per coalition: the coalitional improvements from each equilibrium. Default: ().
        concepts: Stability concepts: nash, gmr, smr, seq, sim, seq_sim (empty: all six). Default: ('nash', 'gmr', 'smr', 'seq', 'sim', 'seq_sim').
        explain: Explain these states (numbers or formulas): why each is or is not stable for every DM. Default: ().
        gmcr_py: gmcr-py's stricter sanctions for 3+ DMs (each opponent moves at most once). Default: False.
        improvements_only: Status-quo analysis by unilateral improvements only. Default: False.
        inverse: Inverse analysis: the desired state (number or formula). Default: None.
        inverse_gmcr_py: Count profiles as GMCR+ (gmcr-py) does (its inverse decides GMR/SEQ/SMR by the last improvement). Default: False.
        limited: Limited-move stability L_1..L_H (two DMs only; H from 1 to 1000). Default: None.
        max_memory: Memory limit for the analysis and its results, e.g. `512MiB`, `2GiB` or a number of bytes (default 4 GiB): a model whose estimate is above it is refused before any work. Default: None.
        partition: gmcr-py's coalition semantics: a partition of all DMs into blocs that act as one DM, e.g. `USA+EU,SRB,KOS,RUS`; stability is recomputed for the blocs. Default: None.
        states: How many states the text lists in each table or list: `all` or a number (default 40); counts are always complete, and the JSON always has every state. Default: None.
        status_quo: Status quo: a state number or a formula over option ids (default: the scenario's `status_quo`). Reports reachable states and legal paths. Default: None.
        vary: Window of tie-group positions to permute, `A..B` (1-based, inclusive) for every DM, or `DM=A..B` for one DM; one item per window. Default: ().
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/conflict.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "conflict",
        scenario,
        all_states=all_states,
        coalition=coalition,
        concepts=concepts,
        explain=explain,
        gmcr_py=gmcr_py,
        improvements_only=improvements_only,
        inverse=inverse,
        inverse_gmcr_py=inverse_gmcr_py,
        limited=limited,
        max_memory=max_memory,
        partition=partition,
        states=states,
        status_quo=status_quo,
        vary=vary,
        **more,
    )


def power(
    scenario: Optional[Source] = None,
    *,
    exact_fractions: bool = False,
    index: Union[Sequence[str], str] = (),
    institution: Optional[str] = None,
    list_limit: Optional[int] = 12,
    method: str = 'auto',
    samples: Optional[int] = 200000,
    seed: Optional[int] = 0,
    min_complement: Optional[int] = None,
    quota: Optional[Sequence[float]] = None,
    veto: Optional[Sequence[int]] = None,
    weights: Optional[Sequence[str]] = None,
    **more: Any,
) -> LensResult:
    """Voting power: the ``negotium power --json`` result as a dict.

    Shapley–Shubik and Banzhaf indices of each institution's members.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        exact_fractions: Print exact fractions (e.g. 421/2145) instead of decimals (text output only). Default: False.
        index: Indices: shapley_shubik (ss), banzhaf (bz), banzhaf_absolute (pbi), holler (pgi), deegan_packel (dp), johnston (j), coleman_prevent (cp), coleman_initiate (ci) (empty: all). Default: ().
        institution: Only this institution (its id; default: every institution). Default: None.
        list_limit: List minimal winning / blocking coalitions when there are at most this many (at most 100000). Default: 12.
        method: auto (exact where feasible, else Monte Carlo, said so), exact, enumerate, monte-carlo. Default: 'auto'.
        samples: Monte Carlo samples (orderings and coalitions each; at most 100000000). Default: 200000.
        seed: Monte Carlo seed. Default: 0.
        min_complement: Quick weighted game without a scenario: A coalition also wins when fewer than this many members are outside it. Default: None.
        quota: Quick weighted game without a scenario: The quota, one per weight list (a coalition wins when it reaches every quota). Default: None.
        veto: Quick weighted game without a scenario: Members (1-based positions) holding a veto. Default: None.
        weights: Quick weighted game without a scenario: The members' weights, comma-separated, one list per quota. Default: None.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/power.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "power",
        scenario,
        exact_fractions=exact_fractions,
        index=index,
        institution=institution,
        list_limit=list_limit,
        method=method,
        samples=samples,
        seed=seed,
        min_complement=min_complement,
        quota=quota,
        veto=veto,
        weights=weights,
        **more,
    )


def vote(
    scenario: Optional[Source] = None,
    *,
    as_of: Optional[str] = None,
    institution: Optional[str] = None,
    issue: str = 'status',
    proposal: float,
    status_quo: Optional[float] = None,
    **more: Any,
) -> LensResult:
    """Vote on a proposal: the ``negotium vote --json`` result as a dict.

    Whether a proposal passes an institution: ballots from stances, vetoes, pivotal members.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        as_of: Ballots from the stances in force on this date (`YYYY-MM-DD`; default: the scenario's `as_of`). Default: None.
        institution: The institution voting (its id; default: the first with a weighted rule). Default: None.
        issue: The issue the proposal concerns. Default: 'status'.
        proposal: The proposal: a point of the issue's scale.
        status_quo: Status quo to compare against (default: the issue's `status_quo`). Default: None.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/vote.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "vote",
        scenario,
        as_of=as_of,
        institution=institution,
        issue=issue,
        proposal=proposal,
        status_quo=status_quo,
        **more,
    )


def negotiate(
    scenario: Optional[Source] = None,
    *,
    mediator: str = 'nash',
    protocol: Any = None,
    real_points: Optional[int] = 11,
    seed: Optional[int] = 0,
    steps: Optional[int] = None,
    strategies: Union[Sequence[str], str] = (),
    trace: bool = False,
    **more: Any,
) -> LensResult:
    """Negotiation protocols: the ``negotium negotiate --json`` result as a dict.

    Run bargaining protocols between the parties.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        mediator: Mediator of the single-text protocol: random, hill-climb or nash. Default: 'nash'.
        protocol: Protocol: `sao` or `single-text` (default: sao; the text output without a protocol or strategies compares protocols × strategy pairs). Default: None.
        real_points: Points into which GENIUS `real` issues are discretised. Default: 11.
        seed: Seed of every random choice (also of the search of non-linear utilities on spaces too large to enumerate). Default: 0.
        steps: Step budget (default: the scenario's `steps`, else 100; at most 1000000). Default: None.
        strategies: Strategies, one per party in party order (or one for all): boulware, linear, conceder, hardheaded, aspiration:E, tft, micro, random (empty: boulware for all). Default: ().
        trace: Record (and report) every offer. Default: False.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/negotiate.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "negotiate",
        scenario,
        mediator=mediator,
        protocol=protocol,
        real_points=real_points,
        seed=seed,
        steps=steps,
        strategies=strategies,
        trace=trace,
        **more,
    )


def pareto(
    scenario: Optional[Source] = None,
    *,
    limit: Optional[int] = 40,
    real_points: Optional[int] = 11,
    seed: Optional[int] = 0,
    **more: Any,
) -> LensResult:
    """Pareto frontier: the ``negotium pareto --json`` result as a dict.

    Pareto frontier and bargaining solutions of the domain.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        limit: Show at most this many frontier points (text output only; the JSON has them all). Default: 40.
        real_points: Points into which GENIUS `real` issues are discretised. Default: 11.
        seed: Seed of the search of non-linear utilities on spaces too large to enumerate (reported in the frontier's quality label). Default: 0.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/pareto.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "pareto",
        scenario,
        limit=limit,
        real_points=real_points,
        seed=seed,
        **more,
    )


def tournament(
    scenario: Optional[Source] = None,
    *,
    by_issue: bool = False,
    mediator: str = 'nash',
    no_self_play: bool = False,
    protocol: Any = 'sao',
    real_points: Optional[int] = 11,
    repetitions: Optional[int] = 1,
    seed: Optional[int] = 0,
    steps: Optional[int] = 100,
    strategies: Union[Sequence[str], str] = (),
    **more: Any,
) -> LensResult:
    """Strategy tournament: the ``negotium tournament --json`` result as a dict.

    Every strategy pairing over roles and repetitions, summarised per strategy.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status); or a list of them (several problems).
        by_issue: Also run every issue of each problem on its own (needs per-issue reservations; done anyway when the whole package has no zone of agreement). Default: False.
        mediator: Mediator of the single-text protocol: random, hill-climb or nash. Default: 'nash'.
        no_self_play: Do not pair a strategy with itself. Default: False.
        protocol: Protocol: `sao` or `single-text`. Default: 'sao'.
        real_points: Points into which GENIUS `real` issues are discretised. Default: 11.
        repetitions: Repetitions of every pairing (1 to 100000). Default: 1.
        seed: Base seed; each negotiation's seed is derived from it and its index. Default: 0.
        steps: Steps of each negotiation (1 to 1000000). Default: 100.
        strategies: Strategies to compare (empty: every built-in). Default: ().
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/tournament.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "tournament",
        scenario,
        by_issue=by_issue,
        mediator=mediator,
        no_self_play=no_self_play,
        protocol=protocol,
        real_points=real_points,
        repetitions=repetitions,
        seed=seed,
        steps=steps,
        strategies=strategies,
        **more,
    )


def analyze(
    scenario: Optional[Source] = None,
    *,
    as_of: Optional[str] = None,
    detail: bool = False,
    draws: Optional[int] = 0,
    model: Union[Sequence[str], str] = (),
    seed: Optional[int] = 0,
    **more: Any,
) -> LensResult:
    """Every lens: the ``negotium analyze --json`` result as a dict.

    Every lens the scenario supports, with its defaults.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        as_of: Read the stances and capabilities in force on this date (`YYYY-MM-DD`; default: the scenario's `as_of`); events and proposals are split at it into what was known and what followed. Default: None.
        detail: Every lens's full tables (round-by-round trajectories, the option form, every coalition and event) after the verdict (text output only). Default: False.
        draws: Monte Carlo draws of a small uncertainty sweep of the spatial forecasts over the scenario's declared ranges, seeded with `seed` (0: none, the default; at most 100,000). Default: 0.
        model: Forecast models (as `forecast --model`; empty: the default five). Default: ().
        seed: Seed for any random choice. Default: 0.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/analyze.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "analyze",
        scenario,
        as_of=as_of,
        detail=detail,
        draws=draws,
        model=model,
        seed=seed,
        **more,
    )


def replay(
    scenario: Optional[Source] = None,
    *,
    from_: Optional[str] = None,
    issue: Union[Sequence[str], str] = (),
    model: Union[Sequence[str], str] = (),
    seed: Optional[int] = 0,
    to: Optional[str] = None,
    **more: Any,
) -> LensResult:
    """Replay: the ``negotium replay --json`` result as a dict.

    The forecasts at every date a stance or capability changes, with the events that followed.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        from_: Only dates on or after this one (`YYYY-MM-DD`; default: the first). Default: None.
        issue: Only these issues (ids; empty: every issue). Stance changes on other issues are left out; capability changes concern every issue. Default: ().
        model: Models, as `forecast --model` (empty: the default five; `exchange` runs jointly over the selected issues). Default: ().
        seed: Seed for any random choice (the same at every date). Default: 0.
        to: Only dates on or before this one (`YYYY-MM-DD`; default: the last). Default: None.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/replay.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "replay",
        scenario,
        from_=from_,
        issue=issue,
        model=model,
        seed=seed,
        to=to,
        **more,
    )


def backtest(
    scenario: Optional[Source] = None,
    *,
    capability: Optional[str] = None,
    draws: Optional[int] = 200,
    model: Union[Sequence[str], str] = (),
    perturb: str = 'position=10,salience=0.2,capability=0.2',
    seed: Optional[int] = 0,
    **more: Any,
) -> LensResult:
    """Backtest: the ``negotium backtest --json`` result as a dict.

    Each model's error against the recorded outcome; Brier score and calibration of label probabilities.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        capability: Capabilities: `equal`, `shapley-shubik` (DEU data: the Council's qualified-majority voting power at adoption) or a capability file (default: equal for DEU data, the scenarios' own for scenario files). Default: None.
        draws: Draws of the label-probability sweep per issue (0: no Brier score or calibration; 0 to 100000). Default: 200.
        model: Models, as `forecast --model` (empty: the default five; `exchange` runs once per DEU proposal or scenario over its scored issues). Default: ().
        perturb: The stated perturbation of the sweep (`position=10,salience=0.2,capability=0.2`; position in points of a 0–100 scale). Default: 'position=10,salience=0.2,capability=0.2'.
        seed: Seed of the sweep (issue i uses seed + i) and of random models. Default: 0.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/backtest.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "backtest",
        scenario,
        capability=capability,
        draws=draws,
        model=model,
        perturb=perturb,
        seed=seed,
        **more,
    )


def sweep(
    scenario: Optional[Source] = None,
    *,
    as_of: Optional[str] = None,
    block_draws: Optional[int] = None,
    bootstrap: Optional[int] = 200,
    draws: Optional[int] = 1000,
    first_draw: Optional[int] = 0,
    issue: Union[Sequence[str], str] = (),
    model: Union[Sequence[str], str] = ('median', 'compromise', 'nash', 'eum', 'smp'),
    perturb: Optional[str] = None,
    seed: Optional[int] = 0,
    sensitivity: bool = False,
    sobol_max_n: Optional[int] = 4096,
    sobol_n: Optional[int] = 32,
    sobol_width: Optional[float] = None,
    tornado: bool = False,
    **more: Any,
) -> LensResult:
    """Uncertainty sweep: the ``negotium sweep --json`` result as a dict.

    Monte Carlo over the declared uncertainty through every lens: forecast quantiles and label probabilities, equilibrium, pass and agreement frequencies; Sobol indices and tornado.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        as_of: Read the stances and capabilities in force on this date (`YYYY-MM-DD`; default: the scenario's `as_of`). Default: None.
        block_draws: Sharding: compute only draws [first_draw, first_draw + block_draws) of the seeded sequence; the result then carries the draws (`block`), to be merged with the other blocks ([`merge`]). Default: None.
        bootstrap: Bootstrap replicates of the Sobol intervals (0 to 10000). Default: 200.
        draws: Monte Carlo draws of the whole sweep (1 to 1,000,000). Default: 1000.
        first_draw: Sharding: the first draw of this call's block (default 0). Default: 0.
        issue: Only these issues (ids; empty: every issue): the spatial forecasts, the proposals voted on and the bargaining issues reported. Default: ().
        model: Spatial models: median, compromise, nash, eum, smp (empty: all five). Default: ('median', 'compromise', 'nash', 'eum', 'smp').
        perturb: A stated blanket perturbation replacing the declared spatial ranges, e.g. `position=10,salience=0.2,capability=0.2` (± 10 scale points, ± 20 %), optionally `,distribution=triangular`. Default: None.
        seed: Seed of every draw (draw k uses streams keyed by (seed, k)). Default: 0.
        sensitivity: Sobol indices (with bootstrap intervals) and a tornado table of the spatial forecasts, and Sobol indices of the conflict equilibria (the 10 most variable), the proposals' passing and the bargaining agreement over their uncertain inputs. Default: False.
        sobol_max_n: The most rows `sobol_width` may grow the design to (2 to 65536; default 4096). Default: 4096.
        sobol_n: Base rows of the Sobol design (2 to 65536; default 32). Default: 32.
        sobol_width: Grow the Sobol design until every total-index interval (every uncertain input, every spatial forecast and yes/no outcome) is at most this wide, 0 < w ≤ 1: `sobol_n` rows first, then doubled (each size a fresh design) until the widest interval is narrow enough or `sobol_max_n` rows are reached. Unset: one design of `sobol_n` rows. Default: None.
        tornado: Only the tornado table of the spatial forecasts (each uncertain input at its low and high end, the others at their point values: two runs per input), without the Sobol indices; `sensitivity` includes it. Default: False.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/sweep.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "sweep",
        scenario,
        as_of=as_of,
        block_draws=block_draws,
        bootstrap=bootstrap,
        draws=draws,
        first_draw=first_draw,
        issue=issue,
        model=model,
        perturb=perturb,
        seed=seed,
        sensitivity=sensitivity,
        sobol_max_n=sobol_max_n,
        sobol_n=sobol_n,
        sobol_width=sobol_width,
        tornado=tornado,
        **more,
    )


def advise(
    scenario: Optional[Source] = None,
    *,
    actor: str,
    as_of: Optional[str] = None,
    concept: str = 'seq',
    grid: Optional[int] = 21,
    issue: Union[Sequence[str], str] = (),
    model: Union[Sequence[str], str] = (),
    whole_scale: bool = False,
    **more: Any,
) -> LensResult:
    """Strategic advice: the ``negotium advise --json`` result as a dict.

    For one actor: the own position and salience that move each model's forecast nearest its ideal, at what cost, and the actors most worth persuading.

    Args:
        scenario: a built-in id, a path, or a loaded Scenario (default: kosovo-status).
        actor: The actor advised (its id).
        as_of: Read the stances and capabilities in force on this date (`YYYY-MM-DD`; default: the scenario's `as_of`). Default: None.
        concept: The GMCR stability concept that defines an equilibrium in the conflict advice: nash, gmr, smr, seq, sim or seq_sim (default seq). Default: 'seq'.
        grid: Grid points per axis of the search (2 to 101; default 21). Default: 21.
        issue: Only these issues (ids; empty: every issue the actor has a stance on). Default: ().
        model: Spatial models: median, compromise, nash, eum, smp (empty: all five). Default: ().
        whole_scale: Search the whole scale (and salience 0–1) even where the actor's stance declares a position_range or salience_range. Default: False.
        **more: further parameters of the lens (checked by the core).

    Returns:
        LensResult (a dict) following docs/schema/advise.json.

    Raises:
        BadInput: a bad source or parameter (the CLI's exit code 2).
        Limit: a job above a size or model limit (exit code 3).
        Failed: a failure on valid input (exit code 1).
    """
    return run(
        "advise",
        scenario,
        actor=actor,
        as_of=as_of,
        concept=concept,
        grid=grid,
        issue=issue,
        model=model,
        whole_scale=whole_scale,
        **more,
    )
