"""What the scenario form shows for each option field: label, unit, and the default taken.

GUI thread (no Qt here, but used only by the form). A field left empty is left out of the
scenario, so resolution fills it with ``planning.defaults.field_default``; the hint next
to the field shows that same value with its source and date, marked when unverified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.planning.defaults import DefaultContext, field_default
from planner.planning.field_labels import CURRENCY as _C
from planner.planning.field_labels import LABELS

_REQUIRED: dict[tuple[str, str], str] = {
    ("on-prem", "unit_price"): "from the hardware catalogue; pick hardware or set it",
    ("on-prem", "unit_power_w"): "from the hardware catalogue or the run's measured power; "
    "pick hardware or set it",
    ("cloud", "price_per_hour"): "from the cloud catalogue; pick an instance or set it",
}


@dataclass(frozen=True)
class Hint:
    """The default a left-out field takes, where it comes from, and whether it is verified."""

    text: str
    source: str = ""
    unverified: bool = False


#: A unit longer than this is an explanation: it goes to the field's placeholder, so the
#: label column (and with it the form) stays narrow enough for a 1100-pixel window.
SHORT_UNIT = 16


def label(key: str, currency: str) -> str:
    """'Electricity tariff (USD per kWh)' for a key; a long unit is left to :func:`unit`."""
    name, text = LABELS.get(key, (key, ""))
    text = text.replace(_C, currency)
    return f"{name} ({text})" if text and len(text) <= SHORT_UNIT else name


def unit(key: str, currency: str) -> str:
    """The unit or meaning of a key's value ('copies of the measured set-up')."""
    return LABELS.get(key, (key, ""))[1].replace(_C, currency)


def default_hint(kind: str, key: str, values: Mapping[str, Any], context: DefaultContext) -> Hint:
    """What ``key`` of a ``kind`` option resolves to when the option leaves it out.

    The value comes from :func:`planner.planning.defaults.field_default`, the function
    scenario resolution uses, so the hint is the figure the plan will use.
    """
    found = field_default(kind, key, values, context)
    if found is None:
        fallback = "required" if kind == "api" else "no default: set it"
        return Hint(_REQUIRED.get((kind, key), fallback))
    where = found.provenance
    if where.source is None:
        return Hint(f"default {found.text}")
    note = ", unverified" if found.unverified else ""
    return Hint(
        f"default {found.text} — {where.source} ({where.date}{note})",
        where.source,
        found.unverified,
    )


def parse_field(text: str) -> Any:
    """Form text to a scenario value: '' is None (left out), numbers become int or float,
    true/false become booleans."""
    text = text.strip()
    if not text:
        return None
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def show_field(value: Any) -> str:
    """A scenario value as form text (the inverse of parse_field)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
