"""The ONNX Runtime execution providers this installation can actually run models with.

Called on any thread (ONNX Runtime's provider list is static per process).
"""

from __future__ import annotations

import onnxruntime

#: Providers that ONNX Runtime lists but that cannot run a local model session.
_NOT_LOCAL_PROVIDERS = frozenset({"AzureExecutionProvider"})


def usable_providers() -> tuple[str, ...]:
    """Available providers in ONNX Runtime's priority order, minus remote-only ones."""
    return tuple(
        name for name in onnxruntime.get_available_providers() if name not in _NOT_LOCAL_PROVIDERS
    )
