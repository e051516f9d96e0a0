"""Reading MLPerf LoadGen's summary log, shared by the two LoadGen benchmarks."""

from __future__ import annotations

import re
from pathlib import Path


def summary_value(outdir: str, label: str) -> float:
    """The number LoadGen's ``mlperf_log_summary.txt`` gives for ``label``."""
    text = (Path(outdir) / "mlperf_log_summary.txt").read_text()
    match = re.search(rf"^{re.escape(label)}\s*:\s*([0-9.e+]+)", text, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{label!r} not in LoadGen's summary:\n{text}")
    return float(match.group(1))
