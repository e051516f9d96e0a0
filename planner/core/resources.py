"""Where the data that ships with planner lives: catalogues, sample models, scenarios.

Pure path logic; any thread. Installed, ``resources/`` is the package ``planner.resources``
(see ``[tool.setuptools.package-dir]``); in a source checkout it is the folder beside the
package; in a frozen build it is unpacked beside the bundled code. Every layer asks here,
so there is one answer.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import planner


def resources_dir() -> Path:
    """The ``resources`` folder of this planner (it may lack files a caller needs)."""
    spec = importlib.util.find_spec("planner.resources")
    if spec is not None and spec.submodule_search_locations:
        packaged = Path(next(iter(spec.submodule_search_locations)))
        if packaged.is_dir():
            return packaged
    return Path(planner.__file__).resolve().parent.parent / "resources"
