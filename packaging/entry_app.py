"""PyInstaller entry of the frozen desktop app: the same ``main`` as the ``planner`` command.

Main thread of the app process. The frozen executable is also what multiprocessing starts
for each profiling child, so ``freeze_support`` runs before anything else is imported: in
a child it runs the worker and exits; in the app it does nothing.
"""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from planner.app import main

    sys.exit(main())
