"""The PDF's Model variants section: the CLI's comparison, priced by the plan's scenario,
its headline, and a recipe table naming what each recipe changed and the inputs used."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
from builders import priced_scenario

from planner.cli.variants_cmd import format_comparison
from planner.core.resources import resources_dir
from planner.reports.pdf_report import write_pdf
from planner.reports.pdf_variants import variants_section
from planner.services.database import open_prepared
from planner.services.plans import plan_from_text
from planner.services.reports import load_report
from planner.services.variant_comparison import compare
from planner.services.variants import make_variants, profile_family


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_pdf_shows_the_cli_comparison_priced_with_the_plan(tmp_path: Path, qapp) -> None:
    opened = open_prepared(str(tmp_path / "planner.db"))
    try:
        mlp = resources_dir() / "models" / "mlp.onnx"
        kinds = ["fp16", "int8-static", "int4-weights"]
        make_variants(opened, mlp, kinds, lambda _line: None, samples=2)
        runs = profile_family(opened, mlp, 3.0, backend="inprocess")
        scenario = priced_scenario("variants report", runs[0].id)
        plan_from_text(opened, scenario, None)
        data = load_report(opened, run_refs=tuple(r.id for r in runs))
        cli = format_comparison(compare(opened, mlp, scenario))
    finally:
        opened.close()
    (family,) = data.variant_families
    assert family.header[-1] == "per 1k (USD)" and family.headline == cli.splitlines()[0]
    assert "p99 ms" in family.header and "mJ/inf" in family.header
    html = variants_section(data)
    assert "see each recipe's inputs label in the appendix" not in html
    out = write_pdf(data, tmp_path / "r.pdf", "Ada", "Plant 7")
    text = _words(" ".join(page.extract_text() for page in pypdf.PdfReader(str(out)).pages))
    assert _words(family.headline or "") in text
    assert _words(" ".join(family.header)) in text
    for row in family.rows[1:]:  # the parent's row wraps its long model name
        assert _words(" ".join(row[1:])) in text
    assert "Cost per 1k inferences from scenario 'variants report', option 'rented'" in text
    assert "How each variant was made and checked" in text
    assert "int8-static, per channel" in text and "MinMax over synthesized inputs" in text
    fp16 = data.variants[0].outcome.recipe
    assert "32, symmetric" in text and f"{len(fp16.fp16_block_list)} op types, listed" in text
    assert "FP16 block list of fp16 of mlp (op types kept in float32):" in text
