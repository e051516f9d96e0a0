"""What both PyInstaller specs share: data files, package metadata and modules left out.

Runs inside PyInstaller while it reads a spec (build machine only; never frozen). The
specs import it from beside themselves.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent

# Build, test and notebook tooling that some dependency imports optionally; never used at
# run time, and each would drag in megabytes.
NEVER_AT_RUN_TIME = [
    "tkinter",
    "_tkinter",
    "pip",
    "setuptools",
    "pkg_resources",
    "distutils",
    "wheel",
    "pytest",
    "_pytest",
    "hypothesis",
    "IPython",
    "jedi",
    "matplotlib",
    "pandas",
    "scipy",
    "torch",
    "lib2to3",
    "unittest",
    "numpy.tests",
    "onnx.backend.test",
]

# The variant recipes: quantization, FP16 conversion and the symbolic shape inference
# (sympy) of onnxruntime's pre-processing. The desktop app makes variants; the site kit
# only measures, so only the kit leaves these out.
VARIANT_TOOLING = [
    "onnxruntime.quantization",
    "onnxruntime.transformers",
    "onnxruntime.tools",
    "sympy",
]

# onnxruntime.transformers puts its own folder on sys.path and imports its siblings as
# top-level modules (``from fusion_utils import ...``); a frozen app must carry those
# names, found through this folder, as well.
ORT_TRANSFORMERS = str(Path(importlib.util.find_spec("onnxruntime.transformers").origin).parent)
ORT_TRANSFORMERS_TOP_LEVEL = ["fusion_utils", "onnx_model", "float16", "shape_infer_helper"]

# Everything Qt: the site kit must run on servers with no display libraries at all.
QT = ["PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "planner.gui", "planner.app"]

# planner reads these versions from package metadata into every inventory.
VERSIONED_DISTRIBUTIONS = ("onnx", "onnxruntime", "onnxruntime-gpu", "numpy", "planner")


def onnxruntime_library() -> list[tuple[str, str]]:
    """ONNX Runtime's shared library, kept at onnxruntime/capi: nothing links to it, so
    PyInstaller's analysis misses it, but onnxruntime-genai loads it from that folder by
    path (generative models fail with "Could not find the onnxruntime shared library")."""
    spec = importlib.util.find_spec("onnxruntime")
    assert spec is not None and spec.submodule_search_locations
    capi = Path(spec.submodule_search_locations[0]) / "capi"
    found = sorted(capi.glob("libonnxruntime.so*"))
    if not found:
        raise SystemExit(f"no libonnxruntime.so* in {capi}: is onnxruntime installed whole?")
    return [(str(path), "onnxruntime/capi") for path in found]


def planner_datas() -> list[tuple[str, str]]:
    """resources/ (catalogues, scenarios, sample models) and the metadata planner reads."""
    datas = collect_data_files("planner.resources", excludes=["**/__pycache__/*"])
    for name in VERSIONED_DISTRIBUTIONS:
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        datas += copy_metadata(name)
    return datas
