"""``python -m planner``: the same entry as the ``planner`` command."""

from __future__ import annotations

import sys

from planner.app import main

sys.exit(main())
