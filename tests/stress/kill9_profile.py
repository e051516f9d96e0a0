"""Kill -9 ``planner profile`` mid-sweep, many times; check nothing finished is lost.

Usage: ``python tests/stress/kill9_profile.py [--trials 20] [--model PATH]``.

Each trial starts ``planner profile`` on a concurrency sweep (short point cap), waits
until it has printed a random number of finished points (0 to 3; 0 kills it during the
first point), kills the CLI process with SIGKILL and then checks, through planner's own
storage: the run reads ``interrupted`` (never ``running``), it holds at least every point
the CLI had printed (a point is printed only after it is committed), and the orphaned
worker process exits by itself within a few seconds. ``tests/cli/test_kill_profile.py``
runs a few trials in CI with :func:`trial`.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from planner.models.samples import bundled_sample_paths
from planner.storage.database import open_database
from planner.storage.runs import RunRepository

POINT_LABEL = "concurrency "


@dataclass(frozen=True)
class Trial:
    printed_points: int
    status: str
    stored_points: int
    worker_exited: bool


def trial(db: Path, model: Path, kill_after_points: int, timeout_s: float = 60.0) -> Trial:
    """One kill -9 of the CLI after it printed ``kill_after_points`` points (0: mid-point)."""
    command = [
        sys.executable, "-m", "planner", "--db", str(db), "profile", str(model),
        "--scenario", "concurrency", "--concurrency", "1,2,3,4,5,6",
        "--point-cap", "0.6s", "--budget", "60s", "--intra-op", "1",
    ]  # fmt: skip
    cli = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    printed = _PointCounter(cli)
    deadline = time.monotonic() + timeout_s
    worker: psutil.Process | None = None
    while time.monotonic() < deadline and cli.poll() is None:
        children = psutil.Process(cli.pid).children()
        worker = worker or (children[0] if children else None)
        if worker is not None and printed.count >= kill_after_points and printed.started:
            break
        time.sleep(0.02)
    if kill_after_points == 0:
        time.sleep(random.uniform(0.0, 0.4))
    os.kill(cli.pid, signal.SIGKILL)
    cli.wait()
    count = printed.count
    exited = _exits(worker, 5.0)
    opened = open_database(db)
    try:
        runs = RunRepository(opened.db)
        summary = runs.all()[0]
        return Trial(count, summary.status, summary.point_count, exited)
    finally:
        opened.close()


class _PointCounter:
    """Counts the point lines the CLI prints on stderr (a reader thread)."""

    def __init__(self, cli: subprocess.Popen[bytes]) -> None:
        self.count = 0
        self.started = False
        self._thread = threading.Thread(target=self._read, args=(cli,), daemon=True)
        self._thread.start()

    def _read(self, cli: subprocess.Popen[bytes]) -> None:
        assert cli.stderr is not None
        buffer = b""
        while chunk := cli.stderr.read1(4096):
            buffer += chunk
            *lines, buffer = buffer.replace(b"\r", b"\n").split(b"\n")
            for line in lines:
                text = line.decode(errors="replace").strip()
                self.started = self.started or text.startswith("Profiling ")
                if text.startswith(POINT_LABEL) and " n=" in text:
                    self.count += 1


def _exits(process: psutil.Process | None, within_s: float) -> bool:
    if process is None:
        return True
    try:
        process.wait(within_s)
    except psutil.TimeoutExpired:
        process.kill()
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    model = args.model or next(p for p in bundled_sample_paths() if p.name == "mlp.onnx")
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for k in range(args.trials):
            result = trial(Path(folder) / f"t{k}.db", model, random.randint(0, 3))
            ok = (
                result.status == "interrupted"
                and result.stored_points >= result.printed_points
                and result.worker_exited
            )
            failures += not ok
            print(f"trial {k + 1:>3}: {'ok  ' if ok else 'FAIL'} {result}")
    print(f"{args.trials - failures} of {args.trials} trials kept every finished point")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
