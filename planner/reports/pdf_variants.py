"""The report's "Model variants" section: each family compared, and how each variant was made.

Pure string building (no Qt); any thread. Each family's comparison is the
:class:`~planner.core.variant_table.FamilyTable` that ``planner variants`` prints and the
app lists (built by ``planner.services.reports``): its headline when there is one, the
same columns, how to read them and the notes on single members. A recipe table follows,
one row per attempt, saying what the recipe changed and which inputs calibrated and
checked it, so every fidelity figure names the inputs it was measured on.
"""

from __future__ import annotations

from pathlib import Path

from planner.core.formatting import MISSING
from planner.core.text import html_text as escape
from planner.core.variant import VariantKind, VariantRecipe
from planner.core.variant_table import FamilyTable
from planner.reports.pdf_sections import section, table
from planner.reports.report_data import ReportData
from planner.storage.variants import StoredVariant

RECIPE_HEADER = (
    "variant",
    "kind",
    "changed nodes",
    "FP16 block list",
    "calibration",
    "checked on",
    "INT4 blocks",
    "max abs error",
)


def variants_section(data: ReportData) -> str:
    if not data.variants:
        return ""
    body = "".join(_family(family) for family in data.variant_families)
    rows = [_recipe_row(stored) for stored in data.variants]
    body += "<h2>How each variant was made and checked</h2>" + table(RECIPE_HEADER, rows)
    body += (
        "<p class='source'>Fidelity compares the variant's outputs with its parent's on the "
        "inputs named under checked on; changed nodes counts the nodes the recipe quantized, "
        "computed in float16 or pruned.</p>"
    )
    body += "".join(
        f"<p class='source'>FP16 block list of {escape(_name(v))} (op types kept in float32): "
        f"{escape(', '.join(v.outcome.recipe.fp16_block_list))}.</p>"
        for v in data.variants
        if v.outcome.recipe.fp16_block_list
    )
    return section("Model variants", body, new_page=False)


def _family(family: FamilyTable) -> str:
    lead = f"<p><b>{escape(family.headline)}</b></p>" if family.headline else ""
    notes = "".join(f"<p class='source'>{escape(line)}</p>" for line in family.reading)
    notes += "".join(f"<p class='caption'>{escape(line)}</p>" for line in family.notes)
    return f"<h2>{escape(family.parent)} and its variants</h2>{lead}" + (
        table(family.header, family.rows) + notes
    )


def _recipe_row(stored: StoredVariant) -> list[str]:
    outcome = stored.outcome
    recipe = outcome.recipe
    fidelity = outcome.fidelity
    block_list = recipe.fp16_block_list
    return [
        _name(stored) + ("" if outcome.made else " (failed)"),
        _kind(recipe),
        ", ".join(f"{op} ×{n}" for op, n in sorted(recipe.changed_ops.items())) or MISSING,
        f"{len(block_list)} op types, listed below" if block_list else MISSING,
        _calibration(recipe),
        MISSING if fidelity is None else fidelity.inputs_label,
        _blocks(recipe),
        MISSING
        if fidelity is None or fidelity.max_abs_error is None
        else format(fidelity.max_abs_error, ".3g"),
    ]


def _name(stored: StoredVariant) -> str:
    return f"{stored.outcome.kind.value} of {Path(stored.outcome.parent_path).stem}"


def _kind(recipe: VariantRecipe) -> str:
    if recipe.kind == VariantKind.PRUNE and recipe.prune_share is not None:
        return f"prune {recipe.prune_share:.0%} of weights"
    if recipe.per_channel is None:
        return recipe.kind.value
    return f"{recipe.kind.value}, {'per channel' if recipe.per_channel else 'per tensor'}"


def _calibration(recipe: VariantRecipe) -> str:
    if recipe.calibration is None:
        return MISSING
    if recipe.calibration_samples is None:
        return recipe.calibration
    return f"{recipe.calibration} ({recipe.calibration_samples} feeds)"


def _blocks(recipe: VariantRecipe) -> str:
    if recipe.block_size is None:
        return MISSING
    if recipe.symmetric is None:
        return str(recipe.block_size)
    return f"{recipe.block_size}, {'symmetric' if recipe.symmetric else 'asymmetric'}"
