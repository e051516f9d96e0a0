"""Making one variant in this process: inputs, recipe, load check, fidelity, publishing.

:func:`run_recipe` runs in the variant child process (see :mod:`planner.models.variants`)
or, in tests, on the caller's thread. Whatever goes wrong with the model, its inputs, the
recipe or the variant becomes a failed :class:`VariantOutcome` with a one-line reason.
The variant is written inside a scratch folder and only moved next to its siblings once
it has loaded, run and stayed finite, so the parent and earlier variants are never
touched by a failed attempt.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort

from planner.core.errors import ModelError
from planner.core.fidelity import Fidelity
from planner.core.model import ModelInfo
from planner.core.variant import (
    VariantKind,
    VariantOutcome,
    VariantRecipe,
    VariantRequest,
    VariantStatus,
)
from planner.models import variant_graph as graph
from planner.models.dims import resolve_input_dims
from planner.models.fidelity import compare_outputs
from planner.models.input_files import dims_from_arrays, load_input_files
from planner.models.inputs import synthesize_inputs
from planner.models.inspect import inspect_model
from planner.models.variant_recipes import RECIPES, RecipeContext

PROVIDER = "CPUExecutionProvider"
MAX_REASON = 400
Feeds = list[dict[str, np.ndarray]]
_VERBS = {VariantKind.FP16: "convert", VariantKind.PRUNE: "prune"}
_NODE = (  # how ONNX Runtime's messages name a node: on load, on kernel lookup, on run
    re.compile(r'In Node, \("(?P<name>[^"]*)", (?P<op>\w+)'),
    re.compile(r"for (?P<op>\w+)\(\d+\) node with name '(?P<name>[^']*)'"),
    re.compile(r"running (?P<op>\w+) node\. Name:'(?P<name>[^']*)'"),
    re.compile(r"Node \((?P<name>[^)]*)\) Op \((?P<op>\w+)\)"),
)


class _Failed(Exception):
    """A stage of making the variant failed; ``str(self)`` is the one-line reason."""


def variant_filename(request: VariantRequest) -> str:
    """``<parent stem>.<kind>.onnx``; pruned variants carry the share: ``mlp.prune50.onnx``."""
    tag = request.kind.value
    if request.kind == VariantKind.PRUNE:
        tag = f"prune{request.share * 100:g}"
    return f"{Path(request.parent_path).stem}.{tag}.onnx"


def run_recipe(request: VariantRequest, scratch: Path) -> VariantOutcome:
    """Make the variant ``request`` asks for, using ``scratch`` (an empty folder on the same
    file system as ``request.out_dir``) for intermediate files."""
    try:
        info = inspect_model(request.parent_path, request.dims or None, request.batch)
    except ModelError as error:
        return failed_outcome(request, f"the parent model cannot be used: {error}")
    maker = _Maker(request, info, scratch)
    try:
        return maker.make()
    except _Failed as failure:
        return maker.failed(str(failure))


def failed_outcome(
    request: VariantRequest, reason: str, info: ModelInfo | None = None
) -> VariantOutcome:
    """A failed outcome that knows only the request (and the parent, when inspected)."""
    return VariantOutcome(
        status=VariantStatus.FAILED,
        reason=reason,
        parent_path=info.path if info else request.parent_path,
        parent_sha256=info.sha256 if info else None,
        parent_size_bytes=info.size_bytes if info else None,
        recipe=bare_recipe(request),
    )


def bare_recipe(request: VariantRequest) -> VariantRecipe:
    """The recipe as far as it is known before the recipe ran: its kind and the runtime."""
    return VariantRecipe(kind=request.kind, onnxruntime_version=ort.__version__)


def describe_error(error: BaseException, hide: str = "") -> str:
    """One line for an exception: ONNX Runtime's code prefix and ``hide`` (a scratch path)
    removed, the node named first when the message names one, at most MAX_REASON long."""
    text = " ".join(str(error).replace(hide, "").split())
    text = re.sub(r"^\[ONNXRuntimeError\] : \d+ : ", "", text) or type(error).__name__
    for pattern in _NODE:
        match = pattern.search(text)
        if match:
            text = f"node '{match['name']}' ({match['op']}): {text}"
            break
    else:
        text = f"{type(error).__name__}: {text}"
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


class _Maker:
    """The stages of one attempt; what they learn stays on the instance for the outcome."""

    def __init__(self, request: VariantRequest, info: ModelInfo, scratch: Path) -> None:
        self.request, self.info, self.scratch = request, info, scratch
        self.target = scratch / "out" / variant_filename(request)
        self.recipe = bare_recipe(request)
        self.fidelity: Fidelity | None = None
        self.size_bytes: int | None = None
        self.recipe_seconds: float | None = None
        self.check_seconds = 0.0

    def make(self) -> VariantOutcome:
        started = time.perf_counter()
        check, label, calibration, calibration_label = self._feeds()
        names, parent_outputs = self._run("the parent model", self.info.path, check)
        self.check_seconds = time.perf_counter() - started
        self.recipe = self._apply(calibration, calibration_label, check is calibration)
        self._require_changes()
        self.size_bytes = sum(f.stat().st_size for f in graph.model_files(self.target))
        started = time.perf_counter()
        _, outputs = self._run("the variant", str(self.target), check, variant=True)
        try:
            self.fidelity = compare_outputs(
                names, parent_outputs, outputs, inputs_label=label, provider=PROVIDER
            )
        except ValueError as error:
            raise _Failed(f"the variant's outputs cannot be compared: {error}") from error
        self.check_seconds += time.perf_counter() - started
        self._require_finite()
        return self._publish()

    def failed(self, reason: str) -> VariantOutcome:
        return self._outcome(VariantStatus.FAILED, reason=reason, size_bytes=self.size_bytes)

    def _outcome(self, status: VariantStatus, **fields: Any) -> VariantOutcome:
        """An outcome with what this attempt learned; ``fields`` add the rest."""
        return VariantOutcome(
            status=status,
            parent_path=self.info.path,
            parent_sha256=self.info.sha256,
            parent_size_bytes=self.info.size_bytes,
            recipe=self.recipe,
            fidelity=self.fidelity,
            recipe_seconds=self.recipe_seconds,
            check_seconds=self.check_seconds,
            **fields,
        )

    def _feeds(self) -> tuple[Feeds, str, Feeds, str]:
        """Check feeds and their label, then calibration feeds and theirs: the same list
        for user inputs; when synthesized, the next ``samples`` seeds (so fidelity is
        measured on inputs the calibration never saw), and none for recipes that do not
        calibrate."""
        r, path = self.request, self.info.path
        try:
            if r.inputs:
                batch = _files_batch(self.info, r.inputs, r.batch)
                feeds = [synthesize_inputs(path, batch, r.dims, None, r.inputs, r.seed)]
                label = "user inputs " + ", ".join(r.inputs)
                return feeds, label, feeds, label
            calibrates = r.kind == VariantKind.INT8_STATIC
            seeds = range(r.seed, r.seed + (2 if calibrates else 1) * r.samples)
            feeds = [synthesize_inputs(path, r.batch, r.dims, seed=seed) for seed in seeds]
        except ModelError as error:
            raise _Failed(f"the inputs cannot be used: {error}") from error
        return (
            feeds[: r.samples],
            f"synthesized (seed {r.seed}, {r.samples} samples)",
            feeds[r.samples :],
            f"synthesized inputs (seed {r.seed + r.samples}, {r.samples} samples)",
        )

    def _run(
        self, what: str, path: str, feeds: Feeds, variant: bool = False
    ) -> tuple[list[str], list[list[np.ndarray]]]:
        options = ort.SessionOptions()
        options.log_severity_level = 3
        try:
            session = ort.InferenceSession(path, options, providers=[PROVIDER])
        except Exception as error:  # noqa: BLE001 - ONNX Runtime raises its own types
            reason = f"{what} does not load in onnxruntime: {self._error(error, variant)}"
            raise _Failed(reason) from error
        try:
            outputs = [list(session.run(None, feed)) for feed in feeds]
        except Exception as error:  # noqa: BLE001
            raise _Failed(f"{what} fails when run: {self._error(error, variant)}") from error
        return [o.name for o in session.get_outputs()], outputs

    def _apply(self, calibration: Feeds, label: str, same: bool) -> VariantRecipe:
        self.target.parent.mkdir(parents=True)
        (self.scratch / "work").mkdir()
        context = RecipeContext(
            parent=Path(self.info.path),
            target=self.target,
            scratch=self.scratch / "work",
            request=self.request,
            calibration=tuple(calibration),
            calibration_label=label,
            calibrated_on_check_inputs=same,
            external=graph.needs_external_data(self.info.size_bytes),
        )
        started = time.perf_counter()
        try:
            return RECIPES[self.request.kind](context)
        except Exception as error:  # noqa: BLE001 - quantizers raise anything, even asserts
            reason = f"the {self.request.kind} recipe failed: {self._recipe_error(error)}"
            raise _Failed(reason) from error
        finally:
            self.recipe_seconds = time.perf_counter() - started

    def _require_changes(self) -> None:
        if sum(self.recipe.changed_ops.values()):
            return
        verb = _VERBS.get(self.request.kind, "quantize")
        weighted = "" if self.request.kind == VariantKind.FP16 else " with a constant float weight"
        present = graph.op_counts(onnx.load(self.info.path, load_external_data=False))
        raise _Failed(
            f"nothing to {verb}: no node of type "
            f"{', '.join(self.recipe.target_op_types) or '(none present)'}{weighted} changed; "
            "the model has " + ", ".join(f"{op} x{n}" for op, n in sorted(present.items()))
        )

    def _require_finite(self) -> None:
        assert self.fidelity is not None
        if self.fidelity.finite:
            return
        where = ", ".join(
            f"'{o.name}'" for o in self.fidelity.outputs if o.nan_count or o.inf_count
        )
        hint = ""
        if self.request.kind == VariantKind.FP16:
            hint = (
                "; float16 overflows above 65504: keep the op types where values grow in "
                "float32 with planner variants --fp16-block-ops OP[,OP] (or the FP16 block "
                "list of Make variants… in the app)"
            )
        raise _Failed(
            f"the variant yields {self.fidelity.nan_count} NaN and {self.fidelity.inf_count} "
            f"infinite values where the parent is finite (output {where}){hint}"
        )

    def _publish(self) -> VariantOutcome:
        try:
            facts = inspect_model(self.target)
        except ModelError as error:
            raise _Failed(f"the variant cannot be inspected: {error}") from error
        out_dir = Path(self.request.out_dir)
        for file in sorted(self.target.parent.iterdir()):
            os.replace(file, out_dir / file.name)
        final = out_dir / self.target.name
        pruned = self.request.kind == VariantKind.PRUNE
        return self._outcome(
            VariantStatus.MADE,
            reason=None,
            path=str(final.resolve()),
            sha256=facts.sha256,
            size_bytes=facts.size_bytes,
            compressed_size_bytes=graph.compressed_size(final) if pruned else None,
            parent_compressed_size_bytes=(
                graph.compressed_size(Path(self.info.path)) if pruned else None
            ),
        )

    def _error(self, error: BaseException, variant: bool) -> str:
        text = describe_error(error, hide=str(self.scratch))
        opset, request = self.info.opset, self.request
        per_channel_qdq = request.kind == VariantKind.INT8_STATIC and request.per_channel
        if variant and per_channel_qdq and opset < 13:
            text += (
                f" (per-channel QDQ needs opset 13 or later and this model is opset {opset}: "
                "re-export it at opset 13 or later, or set per_channel to false)"
            )
        return text

    def _recipe_error(self, error: BaseException) -> str:
        text = describe_error(error, hide=str(self.scratch))
        bad = graph.nonfinite_weights(onnx.load(self.info.path))
        if bad:
            text += f"; weights holding NaN or infinity, which cannot be scaled: {', '.join(bad)}"
        return text


def _files_batch(info: ModelInfo, inputs: Sequence[str], default: int) -> int:
    """The batch size the user's input files imply (their size on a batch axis)."""
    sizes = dims_from_arrays(load_input_files(inputs, info.inputs), info.inputs)
    batch_keys = resolve_input_dims(info.inputs, 1, {}).batch_keys
    return next((sizes[key] for key in batch_keys if key in sizes), default)
