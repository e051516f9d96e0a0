"""Survey the corpus: what ``planner inspect`` and ``planner profile`` do with each model.

A script (not a test) that prints Markdown tables for FINDINGS.md; runs on the main thread
and starts one ``planner profile`` process at a time, so a 2-core machine is never
oversubscribed. For every corpus model it records the declared inputs, the inspection at
default dims, a CLI profile with defaults, and a CLI profile with the options that feed
the model as its package does (``realistic.py``)::

    python tests/realmodels/survey.py [--cache DIR] [--budget 10s] [--only ID] > survey.md
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from realmodels.fetch import CorpusModel, default_cache, ensure_corpus, load_manifest  # noqa: E402
from realmodels.realistic import realistic_options  # noqa: E402

from planner.core.errors import PlannerError  # noqa: E402
from planner.core.formatting import flops as format_flops  # noqa: E402
from planner.core.model import ModelInfo, TensorSpec  # noqa: E402
from planner.models.inspect import inspect_model  # noqa: E402

PROFILE_TIMEOUT_S = 300


@dataclass(frozen=True)
class Outcome:
    """What one ``planner profile`` command did."""

    status: str
    p50_ms: float | None = None
    throughput_ips: float | None = None
    dims: str = ""
    failure: str = ""

    def cell(self) -> str:
        if self.status != "completed":
            return f"**{self.status}**"
        p50 = f"{self.p50_ms:.3g} ms" if self.p50_ms is not None else "p50 —"
        return f"completed; p50 {p50}; {self.throughput_ips:,.0f}/s"


def profile_with_cli(path: Path, db: Path, budget: str, extra: Sequence[str]) -> Outcome:
    """Run ``planner profile --json`` the way a user would and read its verdict."""
    command = [
        sys.executable, "-m", "planner", "--db", str(db), "profile", str(path),
        "--budget", budget, "--json", *extra,
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=PROFILE_TIMEOUT_S, check=False
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        message = next((ln for ln in done.stderr.splitlines() if ln.startswith("planner:")), "")
        kind = "internal error" if "internal error" in message else "refused"
        return Outcome(f"{kind} (exit {done.returncode})", failure=message or done.stderr[-300:])
    run, points = report["run"], report["points"]
    dims = ", ".join(f"{k}={v}" for k, v in run["dims_used"].items()) or "fixed"
    if run["status"] != "completed" or not points:
        return Outcome(run["status"], dims=dims, failure=run["failure_reason"])
    point = points[0]
    return Outcome("completed", point["stats"]["p50"], point["throughput_ips"], dims)


def declared(spec: TensorSpec, stored_dims: Sequence[str]) -> str:
    """An input as ONNX declares it: ints, 'named' dims, ? for anonymous ones."""
    return f"`{spec.name}` {spec.elem_type} [{', '.join(stored_dims)}]"


def onnx_dims(path: Path) -> dict[str, list[str]]:
    """Each graph input's dims exactly as stored: value, quoted dim_param, or ?."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    initialized = {init.name for init in model.graph.initializer}
    shown: dict[str, list[str]] = {}
    for value in model.graph.input:
        if value.name in initialized:
            continue
        shown[value.name] = [
            str(d.dim_value)
            if d.HasField("dim_value")
            else (f"'{d.dim_param}'" if d.HasField("dim_param") else "?")
            for d in value.type.tensor_type.shape.dim
        ]
    return shown


def inspection_cell(info: ModelInfo) -> str:
    flops = "not counted" if info.flops is None else format_flops(info.flops)
    if info.flops is not None and info.flops < 0:
        flops = f"**{info.flops:,} FLOP (negative)**"
    if info.uncounted_ops:
        flops += f" (+ uncounted {', '.join(info.uncounted_ops)})"
    dims = ", ".join(f"{k}={v}" for k, v in info.dims_used.items()) or "none dynamic"
    return f"{flops}; dims {dims}"


def survey_model(model: CorpusModel, path: Path, work: Path, budget: str) -> dict[str, str]:
    info = inspect_model(path)
    stored = onnx_dims(path)
    inputs = "<br>".join(declared(spec, stored[spec.name]) for spec in info.inputs)
    options = realistic_options(model, info, work / model.id)
    try:
        at_real = inspection_cell(inspect_model(path, options.dims)) if options.dims else "—"
    except PlannerError as error:
        at_real = f"refused: {error}"
    default = profile_with_cli(path, work / "survey.db", budget, ())
    real = profile_with_cli(path, work / "survey.db", budget, options.cli_args())
    flags = " ".join(options.cli_args(short=True)) or "(none needed)"
    return {
        "id": model.id,
        "package": f"{model.requirement}",
        "domain": model.domain,
        "size": f"{model.size_bytes / 1e6:.1f} MB",
        "inputs": inputs,
        "real": ", ".join(f"{k} {list(v)}" for k, v in model.shapes.items())
        + "".join(f", {k}={v:g}" for k, v in model.values.items()),
        "inspect": inspection_cell(info),
        "inspect_real": at_real,
        "default": default.cell(),
        "default_dims": default.dims or "—",
        "default_failure": default.failure,
        "flags": flags,
        "flags_result": real.cell(),
        "flags_failure": real.failure,
    }


def markdown(rows: list[dict[str, str]]) -> str:
    facts = ["id", "package", "domain", "size", "inputs", "real"]
    today = ["id", "inspect", "default", "default_dims", "flags", "flags_result", "inspect_real"]
    heads = {
        "id": "model", "package": "package", "domain": "domain", "size": "size",
        "inputs": "inputs as declared", "real": "what the package feeds (batch 1)",
        "inspect": "`planner inspect` today", "default": "`profile --budget 10s` today",
        "default_dims": "dims used", "flags": "flags that feed it like the package",
        "flags_result": "profile with those flags", "inspect_real": "inspect with those dims",
    }  # fmt: skip
    parts = [_table(rows, facts, heads), "", _table(rows, today, heads), "", "Failure texts:"]
    for row in rows:
        for key in ("default_failure", "flags_failure"):
            if row[key]:
                which = "defaults" if key == "default_failure" else "flags"
                parts.append(f"- {row['id']} ({which}): `{row[key]}`")
    return "\n".join(parts)


def _table(rows: list[dict[str, str]], columns: list[str], heads: dict[str, str]) -> str:
    lines = ["| " + " | ".join(heads[c] for c in columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for row in rows:
        lines.append("| " + " | ".join(row[c].replace("|", "\\|") for c in columns) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--budget", default="10s")
    parser.add_argument("--only", action="append", metavar="ID")
    args = parser.parse_args(argv)
    models = [m for m in load_manifest() if not args.only or m.id in args.only]
    paths = ensure_corpus(args.cache or default_cache(), models)
    with tempfile.TemporaryDirectory() as scratch:
        rows = []
        for model in models:
            print(f"surveying {model.id} ...", file=sys.stderr)
            rows.append(survey_model(model, paths[model.id], Path(scratch), args.budget))
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
