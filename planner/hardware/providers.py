"""The ONNX Runtime execution providers this installation can actually run models with.

Called on any thread (ONNX Runtime's provider list is static per process). ONNX Runtime
lists a provider as *available* when it was built with it, even when the provider's
shared library cannot load (``onnxruntime-gpu`` on a machine without the CUDA libraries):
a session then runs silently on CPU. :func:`provider_load_error` loads the provider's
library the way ONNX Runtime would and returns the loader's message (for CUDA, the
missing library), so a run can refuse instead of measuring the wrong device.
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

import onnxruntime

CPU = "CPUExecutionProvider"
#: Providers that ONNX Runtime lists but that cannot run a local model session.
_NOT_LOCAL_PROVIDERS = frozenset({"AzureExecutionProvider"})
#: Providers shipped as a separate shared library, by the suffix of its file name.
_PROVIDER_LIBRARIES = {
    "CUDAExecutionProvider": "cuda",
    "TensorrtExecutionProvider": "tensorrt",
    "NvTensorRTRTXExecutionProvider": "nv_tensorrt_rtx",
    "OpenVINOExecutionProvider": "openvino",
    "ROCMExecutionProvider": "rocm",
    "MIGraphXExecutionProvider": "migraphx",
    "DnnlExecutionProvider": "dnnl",
    "CANNExecutionProvider": "cann",
}


def usable_providers() -> tuple[str, ...]:
    """Available providers in ONNX Runtime's priority order, minus remote-only ones."""
    return tuple(
        name for name in onnxruntime.get_available_providers() if name not in _NOT_LOCAL_PROVIDERS
    )


def provider_load_error(provider: str, capi_dir: Path | None = None) -> str | None:
    """Why ``provider``'s shared library cannot load here, or None when it loads (or is built in).

    Linux only (other systems return None and rely on the session's own provider list).
    """
    suffix = _PROVIDER_LIBRARIES.get(provider)
    if suffix is None or not sys.platform.startswith("linux"):
        return None
    folder = capi_dir or Path(onnxruntime.__file__).parent / "capi"
    library = folder / f"libonnxruntime_providers_{suffix}.so"
    if not library.is_file():
        return f"{library.name} is not installed in {folder}"
    try:
        ctypes.CDLL(str(folder / "libonnxruntime_providers_shared.so"), mode=ctypes.RTLD_GLOBAL)
        ctypes.CDLL(str(library))
    except OSError as exc:
        return str(exc).strip() or f"{library.name} failed to load"
    return None


def accelerator_providers() -> tuple[str, ...]:
    """Usable non-CPU providers whose libraries load here, in ONNX Runtime's order."""
    return tuple(p for p in usable_providers() if p != CPU and provider_load_error(p) is None)
