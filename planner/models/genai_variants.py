"""Variants of a generative model folder: the decoder graph remade, the rest copied.

Runs on the caller's thread and blocks. The recipe is applied to the folder's decoder
graph exactly as for any ONNX model (:func:`planner.models.variants.make_variant`, in its
own child process, with graph-level fidelity on synthesized decoder inputs); the variant
folder is the parent's folder with that graph in place of the original, so ONNX Runtime
GenAI loads it as it loads the parent. Token fidelity (teacher-forced greedy agreement
and log-probability gap, :mod:`planner.models.genai_fidelity`) is measured in a second
child process, since importing ``onnxruntime_genai`` can end the process that tries.
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import queue
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from planner.core.variant import VariantOutcome, VariantStatus
from planner.models.genai_fidelity import TokenFidelity, token_fidelity
from planner.models.genai_inspect import inspect_genai_folder
from planner.models.inspect import _external_files, _sha256, input_specs, load_checked
from planner.models.variants import DEFAULT_TIMEOUT_S, make_variant

#: Sizes for the decoder graph's dynamic axes when its fidelity is checked on synthesized
#: inputs: one sequence of 16 new tokens after 16 cached ones.
_NEW, _PAST = 16, 16


def decoder_dims(onnx_path: Path) -> dict[str, int]:
    """Sizes for every dynamic axis of a decoder graph, from the names exporters use."""
    dims: dict[str, int] = {}
    for spec in input_specs(load_checked(onnx_path)):
        for key in spec.dim_keys():
            if key is None or key in dims:
                continue
            name = key.lower()
            if "batch" in name:
                dims[key] = 1
            elif "past" in name:
                dims[key] = _PAST
            elif "total" in name or "all" in name:
                dims[key] = _PAST + _NEW
            else:
                dims[key] = _NEW
    return dims


def make_folder_variant(
    parent: Path, kind: str, out_dir: Path, timeout_s: float = DEFAULT_TIMEOUT_S, **options: Any
) -> VariantOutcome:
    """Make ``kind`` of the GenAI folder ``parent`` as a sibling folder in ``out_dir``."""
    info = inspect_genai_folder(parent)
    graph = Path(info.path) / info.onnx_file
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".variant-", dir=out_dir) as scratch:
        options.setdefault("dims", decoder_dims(graph))
        made = make_variant(graph, kind, scratch, timeout_s=timeout_s, **options)
        made = dataclasses.replace(made, parent_path=info.path)
        if not made.made or made.path is None:
            return made
        tag = Path(made.path).name.removeprefix(f"{graph.stem}.").removesuffix(".onnx")
        target = out_dir / f"{Path(info.path).name}.{tag}"
        _assemble(Path(info.path), info.onnx_file, Path(made.path), target)
    fidelity = _token_fidelity(info.path, str(target), timeout_s)
    if isinstance(fidelity, str):
        shutil.rmtree(target, ignore_errors=True)
        return dataclasses.replace(
            made, status=VariantStatus.FAILED, reason=fidelity, path=None, sha256=None
        )
    measured = made.fidelity
    if measured is not None:
        measured = dataclasses.replace(
            measured,
            token_agreement=fidelity.agreement,
            logprob_gap=fidelity.logprob_gap,
            token_prompts=fidelity.prompts,
        )
    return dataclasses.replace(
        made, path=str(target), sha256=_sha256(target / info.onnx_file), fidelity=measured
    )


def _assemble(parent: Path, graph_name: str, graph: Path, target: Path) -> None:
    """The parent's folder with ``graph`` as its decoder, written whole, then moved in place."""
    staging = target.with_name(f".{target.name}.part")
    shutil.rmtree(staging, ignore_errors=True)
    original = {
        graph_name,
        *(p.name for p in _external_files(load_checked(parent / graph_name), parent / graph_name)),
    }
    shutil.copytree(parent, staging, ignore=lambda _d, names: [n for n in names if n in original])
    for part in graph.parent.iterdir():
        if part.name.startswith(graph.stem):
            shutil.copy2(part, staging / (graph_name if part == graph else part.name))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def _child(results: Any, parent: str, variant: str) -> None:
    try:
        results.put(token_fidelity(parent, variant))
    except Exception as error:  # noqa: BLE001 - reported to the parent as the reason
        results.put(f"the variant folder does not decode: {type(error).__name__}: {error}")


def _token_fidelity(parent: str, variant: str, timeout_s: float) -> TokenFidelity | str:
    """Token fidelity from a child process, or the one-line reason it could not be had."""
    context = mp.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_child, args=(results, parent, variant), daemon=True)
    process.start()
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                found: TokenFidelity | str = results.get(timeout=0.5)
                return found
            except queue.Empty:
                if not process.is_alive():
                    return f"checking the variant's tokens ended its process ({process.exitcode})"
                if time.monotonic() > deadline:
                    return f"checking the variant's tokens took longer than {timeout_s:g} s"
    finally:
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
