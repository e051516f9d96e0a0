"""``planner-assess``: the site kit's entry point, kept free of heavy imports.

Main thread of the kit process. Two things must happen before ONNX Runtime is loaded,
so the commands (:mod:`planner.cli.kit_commands`) are imported only after them:

- ONNX Runtime's telemetry is switched off. Its Linux wheels (seen with 1.32) keep a
  device id and a small database under ``~/.cache/Microsoft/DeveloperTools`` and a
  ``.ses`` file in the temp folder, written at import; the kit promises a customer's
  server that it writes nothing but the bundle. Profiling children inherit the switch
  through the environment.
- A frozen kit re-runs its own executable for each profiling child;
  ``multiprocessing.freeze_support`` hands such a run over to multiprocessing (it does
  nothing when planner is not frozen).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence

TELEMETRY_SWITCH = "ORT_DISABLE_TELEMETRY"


def main(argv: Sequence[str] | None = None) -> int:
    os.environ[TELEMETRY_SWITCH] = "1"
    multiprocessing.freeze_support()
    from planner.cli.kit_commands import run_kit

    return run_kit(argv)


if __name__ == "__main__":
    sys.exit(main())
