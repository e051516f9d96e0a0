"""``planner inspect MODEL.onnx|GENAI_FOLDER [--dim NAME=VALUE ...] [--batch N] [--json]``.

Main thread of the CLI process. Reads the model only; nothing is stored. Dimensions
sized by convention are listed as assumed with their reason; those no convention can size
are listed with the ``--dim`` options that would size them (their FLOPs are not counted).
The text is printed with control and format characters escaped: the file name and the
names of inputs and dimensions come from the model.
"""

from __future__ import annotations

import argparse
import json

from planner.core.parsing import COUNT_LIMITS, parse_dims, whole_flag
from planner.core.text import printable_lines
from planner.models.genai_inspect import describe_model
from planner.services.model_text import format_model_info


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "inspect", help="describe an ONNX model: inputs, parameters, FLOPs, sha256"
    )
    parser.add_argument("model", help="path to an .onnx file, or an ONNX Runtime GenAI folder")
    parser.add_argument(
        "--dim",
        action="append",
        metavar="NAME=VALUE",
        help="value of a dynamic dimension for the FLOP count (repeatable)",
    )
    parser.add_argument(
        "--batch", type=whole_flag(COUNT_LIMITS), default=1, help="batch size (default 1)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=_inspect)


def _inspect(args: argparse.Namespace) -> int:
    info = describe_model(args.model, parse_dims(args.dim), batch=args.batch)
    if args.json:
        print(json.dumps(info.to_dict(), indent=2))
        return 0
    lines = [format_model_info(info)]
    lines += [f"  assumed {key}={reason}" for key, reason in info.dims_assumed.items()]
    if info.unresolved_dims:
        flags = " ".join(f"--dim {key}=N" for key in info.unresolved_dims)
        lines.append(
            f"  no size for {', '.join(info.unresolved_dims)}: FLOPs leave out what depends "
            f"on them; give {flags}"
        )
    print(printable_lines("\n".join(lines)))
    return 0
