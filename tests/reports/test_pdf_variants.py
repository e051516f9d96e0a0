"""The PDF's Model variants section: every attempt, its fidelity and its latency ratio."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf

from planner.core.resources import resources_dir
from planner.reports.pdf_report import write_pdf
from planner.reports.report_data import load_report_data
from planner.services.database import open_prepared
from planner.services.variants import make_variants, profile_family


def test_variants_of_reported_models_are_listed_with_fidelity(tmp_path: Path, qapp) -> None:
    opened = open_prepared(str(tmp_path / "planner.db"))
    try:
        mlp = resources_dir() / "models" / "mlp.onnx"
        make_variants(opened, mlp, ["fp16", "int4-weights"], lambda _line: None, samples=2)
        runs = profile_family(opened, mlp, 1.0, backend="inprocess")
        data = load_report_data(opened, run_refs=tuple(r.id for r in runs))
    finally:
        opened.close()
    assert [v.outcome.kind.value for v in data.variants] == ["fp16", "int4-weights"]
    out = write_pdf(data, tmp_path / "r.pdf", "Ada", "Plant 7")
    reader = pypdf.PdfReader(str(out))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Model variants" in text and "failed: " in text
    cosine = data.variants[0].outcome.fidelity.cosine
    assert f"{cosine:.5f}" in text
    assert re.search(r"fp16 made [\d.]+ KiB \d+% [\d.]+ \S+ \S+ [\d.]+×", text)
