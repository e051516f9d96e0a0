"""The hostile-input campaign at full size: run every trial and print the table.

A script, not a test (pytest collects only ``test_*.py``): it runs every token of
``cases`` on every field, the environment trials of ``cases_env`` with several damage
seeds, repeated two-writer trials and ``kill -9`` of imports at spread-out moments, each
in its own temporary folder, and prints trials, clean refusals, acceptances, internal
errors, hangs, odd endings and data lost per category. Exit status 1 when any trial
ended outside what it allows.

    QT_QPA_PLATFORM=offscreen python tests/hardening/campaign.py [--kills 40] [--seeds 3]
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardening import cases, cases_db, cases_env, tools  # noqa: E402
from hardening.cases import Trial  # noqa: E402
from hardening.tools import ACCEPTED, HUNG, INTERNAL, LOST, ODD, REFUSED  # noqa: E402

from planner.models.builders import build_mlp, save_model  # noqa: E402

COLUMNS = (REFUSED, ACCEPTED, INTERNAL, HUNG, ODD, LOST)


def trials(seeds: int, read_only: bool) -> list[Trial]:
    every = [
        *cases.catalogue_number_trials(),
        *cases.catalogue_text_trials(),
        *cases.bundle_number_trials(),
        *cases.flag_trials(),
        *cases_env.path_trials(),
        *cases_db.damaged_database_trials(range(seeds)),
        *cases_env.text_trials(),
    ]
    return every + (cases_db.read_only_trials() if read_only else [])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40, help="kill -9 trials (default 40)")
    parser.add_argument("--writers", type=int, default=5, help="two-writer trials (default 5)")
    parser.add_argument("--seeds", type=int, default=3, help="damage seeds (default 3)")
    parser.add_argument("--bundle-runs", type=int, default=1000, help="runs in the kill bundle")
    parser.add_argument(
        "--children",
        action="store_true",
        help="run the flag trials' planner in child processes with a time limit (for a "
        "planner that may accept a hostile value and then run on)",
    )
    parser.add_argument(
        "--child-timeout", type=float, default=60.0, help="seconds before a child counts as hung"
    )
    args = parser.parse_args()
    tools.CHILD_TIMEOUT_S = args.child_timeout
    folder = Path(tempfile.mkdtemp(prefix="planner-campaign-"))
    kit = tools.make_kit(folder / "kit", save_model(build_mlp(), folder / "mlp.onnx"))
    tally: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failures: list[str] = []
    started = time.monotonic()
    for index, trial in enumerate(trials(args.seeds, tools.can_make_read_only(folder))):
        work = folder / f"t{index}"
        work.mkdir()
        tools.IN_CHILDREN = args.children and trial.category == "command-line flags"
        verdict = trial.run(kit, work)
        tally[trial.category][verdict] += 1
        if verdict not in trial.allowed:
            failures.append(f"{trial.category}: {trial.name}: {verdict}")
    for index in range(args.writers):
        work = folder / f"w{index}"
        work.mkdir()
        verdict = cases_env.two_writers_trial(kit, work)
        tally["two writers"][verdict] += 1
        if verdict != ACCEPTED:
            failures.append(f"two writers #{index}: {verdict}")
    _kills(args, folder, tally, failures)
    _print_table(tally, time.monotonic() - started)
    for line in failures:
        print(f"FAILED {line}")
    return 1 if failures else 0


def _kills(
    args: argparse.Namespace,
    folder: Path,
    tally: dict[str, collections.Counter[str]],
    failures: list[str],
) -> None:
    if not args.kills:
        return
    bundle = tools.make_big_bundle(folder, runs=args.bundle_runs)
    probe = folder / "probe"
    probe.mkdir()
    started = time.monotonic()
    tools.run_child(["--db", str(probe / "p.db"), "import", str(bundle)], timeout_s=600)
    full = time.monotonic() - started
    moments = random.Random(0)
    landed: list[str] = []
    for index in range(args.kills):
        work = folder / f"k{index}"
        work.mkdir()
        delay = moments.uniform(0.2, full)
        verdict = cases_env.kill_import_trial(bundle, args.bundle_runs, work, delay, landed)
        tally["kill -9 during import"][verdict] += 1
        if verdict != ACCEPTED:
            failures.append(f"kill -9 after {delay:.2f} s: {verdict}")
    for where, count in collections.Counter(landed).most_common():
        print(f"kill -9 landed {where}: {count}")


def _print_table(tally: dict[str, collections.Counter[str]], seconds: float) -> None:
    header = ["category", "trials", "clean refusals", "accepted", "internal errors"]
    header += ["hangs", "odd", "data lost"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    totals: collections.Counter[str] = collections.Counter()
    for category, counts in tally.items():
        totals.update(counts)
        cells = [category, str(sum(counts.values())), *(str(counts[c]) for c in COLUMNS)]
        print("| " + " | ".join(cells) + " |")
    cells = ["all", str(sum(totals.values())), *(str(totals[c]) for c in COLUMNS)]
    print("| " + " | ".join(f"**{c}**" for c in cells) + " |")
    print(f"\n{sum(totals.values())} trials in {seconds:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
