"""PyInstaller entry of the frozen site kit: the same ``main`` as the ``planner-assess`` command.

Main thread of the kit process. ``planner.cli.kit_main.main`` switches ONNX Runtime's
telemetry off and hands profiling children to multiprocessing before anything heavy loads.
"""

from __future__ import annotations

import sys

from planner.cli.kit_main import main

if __name__ == "__main__":
    sys.exit(main())
