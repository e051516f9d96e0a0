"""The cost components of a plan option: their keys, their names for people, their colours.

The planning engine keys each option's monthly costs by these short names (and the CSV
report keeps them as column names, for scripts); charts, legends and tables show
:func:`component_label` instead, and draw each component in the same colour in every
option, chart and report (:func:`component_colour`).
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.core.series_colours import SERIES_COLOURS

#: Every component an option can have, in the order charts stack them.
COMPONENTS = (
    "capex",
    "residual",
    "power",
    "facility",
    "support",
    "staff",
    "licences",
    "cloud_compute",
    "commitment",
    "egress",
    "api_fees",
)

_LABELS = {
    "capex": "hardware (capex)",
    "residual": "residual value (credit)",
    "power": "power",
    "facility": "facility (space, cooling)",
    "support": "support contracts",
    "staff": "staff",
    "licences": "licences",
    "cloud_compute": "cloud instances",
    "commitment": "reserved term still owed",
    "egress": "data egress",
    "api_fees": "API fees",
}


def component_label(key: str) -> str:
    """What a reader calls the component ``key`` ("cloud_compute" is "cloud instances")."""
    return _LABELS.get(key, key.replace("_", " "))


def component_colour(key: str) -> str:
    """The component's colour (hex), the same in every chart, option and report."""
    index = COMPONENTS.index(key) if key in COMPONENTS else len(COMPONENTS)
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def ordered_components(keys: Iterable[str]) -> list[str]:
    """The distinct ``keys`` in stacking order (:data:`COMPONENTS`; others after, as met)."""
    distinct = list(dict.fromkeys(keys))
    rank = {key: i for i, key in enumerate(COMPONENTS)}
    return sorted(distinct, key=lambda key: rank.get(key, len(rank) + distinct.index(key)))
