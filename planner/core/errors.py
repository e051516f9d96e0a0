"""Error types whose message is shown to the user as one line.

Every layer raises a subclass of :class:`PlannerError` for conditions a user can fix
(bad file, bad option, foreign database). The CLI and GUI print ``str(error)`` and
never a traceback, so each message names the problem and what to do about it.
"""

from __future__ import annotations


class PlannerError(Exception):
    """Base class: a problem the user can act on, described in one line."""


class InputError(PlannerError):
    """A file, option or value given by the user is not acceptable."""


class ModelError(InputError):
    """An ONNX model cannot be read, inspected or fed."""


class StorageError(PlannerError):
    """The database cannot be opened, migrated or written."""


class ProfilingError(PlannerError):
    """A profiling run could not be set up or failed."""


class CatalogError(InputError):
    """A catalogue file or row is invalid."""


class ScenarioError(InputError):
    """A planning scenario is invalid."""


class HardwareError(PlannerError):
    """A hardware probe failed in a way the caller must handle."""
