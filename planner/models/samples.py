"""The sample models bundled with planner: how they are generated and where they are found.

``python -m planner.models.samples [--out DIR]`` rebuilds them (byte-identical every
time) into ``resources/models/``; the files are checked in and shipped as package data
of ``planner.resources``. :func:`bundled_sample_paths` finds them at run time, installed
or from a source checkout. Runs on the caller's thread; no state.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import onnx

from planner.core.errors import ModelError
from planner.core.resources import resources_dir
from planner.models.builders import build_cnn, build_mlp, build_transformer_block, save_model


@dataclass(frozen=True)
class SampleModel:
    """One bundled sample: its file name, a one-line description and its builder."""

    filename: str
    description: str
    build: Callable[[], onnx.ModelProto]


SAMPLES: tuple[SampleModel, ...] = (
    SampleModel(
        "mlp.onnx",
        "MLP 128-256-256-10 (Gemm+Relu), input x [batch, 128]; microseconds per inference",
        build_mlp,
    ),
    SampleModel(
        "cnn.onnx",
        "small CNN on 3x128x128 images (conv, depthwise, pooling); a few ms per inference",
        build_cnn,
    ),
    SampleModel(
        "transformer_block.onnx",
        "one transformer encoder block (vocab 1000, d_model 64, 4 heads), input_ids [batch, seq]",
        build_transformer_block,
    ),
)


def samples_dir() -> Path:
    """The folder the bundled samples live in (which may not exist yet)."""
    return resources_dir() / "models"


def bundled_sample_paths() -> tuple[Path, ...]:
    """Paths of every bundled sample, in :data:`SAMPLES` order; ModelError if one is missing."""
    folder = samples_dir()
    paths = tuple(folder / sample.filename for sample in SAMPLES)
    for path in paths:
        if not path.is_file():
            raise ModelError(
                f"bundled sample model {path.name} is missing from {folder}; reinstall planner "
                "or run python -m planner.models.samples"
            )
    return paths


def write_samples(out_dir: Path) -> tuple[Path, ...]:
    """Build every sample into ``out_dir`` and return the written paths."""
    return tuple(save_model(sample.build(), out_dir / sample.filename) for sample in SAMPLES)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m planner.models.samples", description="Write the bundled sample models."
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: resources/models)"
    )
    args = parser.parse_args(argv)
    for path in write_samples(args.out or samples_dir()):
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
