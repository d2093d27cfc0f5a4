"""Runs decide-exchange-model's Equal Gain model (pip package, used as a
library) on one decide input file and prints a JSON trace in the layout of
negotium's `exchange_decide` example, so that bench/exchange_vs_decide.sh can
compare the two. Part of negotium's bench tooling; decide is not vendored.

Usage: python exchange_decide_driver.py FILE ROUNDS RUNS
Prints JSON {rounds: [...], final: {...}, seconds_per_run: s} on stdout.
Positions are on decide's normalised 0-100 scales.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model import equalgain
from decide.model.observers.observer import Observable, Observer
from decide.model.utils import ModelLoop


class Capture(Observer):
    def __init__(self, observable):
        super().__init__(observable)
        self.rounds = []
        self.current = []

    def before_loop(self, iteration, repetition=None):
        self.current = []

    def execute_exchange(self, ex):
        def side(s):
            return {
                "actor": str(s.actor.actor_id),
                "gives": str(s.supply.issue.name),
                "takes": str(s.demand.issue.name),
                "from": float(s.supply.position),
                "to": float(s.y),
            }

        self.current.append({"gain": float(ex.gain), "sides": [side(ex.i), side(ex.j)]})

    def end_loop(self, iteration, repetition):
        m = self.model_ref
        self.rounds.append(
            {
                "exchanges": self.current,
                "voting_outcome": {str(i.name): float(v) for i, v in m.nbs.items()},
            }
        )


def run_once(path, rounds, capture):
    data = InputDataFile.open(Path(path))
    model = ModelFactory(data)(model_klass=equalgain.EqualGainModel, randomized_value=None)
    handler = Observable(model_ref=model, output_directory=Path("."))
    cap = Capture(handler) if capture else None
    loop = ModelLoop(model, handler, 0)
    for _ in range(rounds):
        loop.loop()
    final = {
        str(issue.name): {str(a.actor_id): float(ai.position) for a, ai in ais.items()}
        for issue, ais in model.actor_issues.items()
    }
    return cap, final, model.tie_count


def main():
    path, rounds, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    random.seed(0)
    # decide breaks exact ties between the two best gains at random; with
    # ALLOW_RANDOM off it takes the first after its stable sort, which is
    # negotium's documented rule, so the two can be compared exchange by
    # exchange.
    equalgain.EqualGainModel.ALLOW_RANDOM = os.environ.get("DECIDE_RANDOM_TIES") == "1"
    equalgain.EqualGainModel.VERBOSE = False
    cap, final, ties = run_once(path, rounds, True)
    t0 = time.perf_counter()
    for _ in range(runs):
        run_once(path, rounds, False)
    dt = (time.perf_counter() - t0) / max(runs, 1)
    json.dump(
        {"rounds": cap.rounds, "final": final, "ties": ties, "seconds_per_run": dt},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
