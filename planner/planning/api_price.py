"""The price of one request to a managed API, from the option's prices or the API catalogue.

Pure functions; any thread. A price per 1k requests wins; token prices are multiplied by
the tokens per request the option states (parsing refuses a token price without them);
otherwise the catalogue's rows for the provider and product are used, each with its
provenance. Catalogue token prices without the option's tokens per request are refused:
they would make the API free by mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.core.errors import ScenarioError
from planner.core.formatting import given
from planner.core.plan import Provenance, row_provenance
from planner.planning.catalog import Catalog
from planner.planning.field_labels import labelled

_TOKEN_PRICES = (
    ("price_per_1m_input_tokens", "input_tokens_per_request"),
    ("price_per_1m_output_tokens", "output_tokens_per_request"),
)


@dataclass(frozen=True)
class RequestPrice:
    price: float  # per request, in the scenario currency
    provenance: dict[str, Provenance] = field(default_factory=dict)


def api_price_per_request(
    values: Mapping[str, Any], catalog: Catalog, money: Callable[[float, str | None], float]
) -> RequestPrice:
    """Price per request; ``money(amount, currency)`` converts into the scenario currency."""
    currency = values.get("currency")
    if "price_per_1k_requests" in values:
        price = money(values["price_per_1k_requests"], currency) / 1000.0
        return RequestPrice(price, {"price": _user("price_per_1k_requests", values)})
    given = [(p, n) for p, n in _TOKEN_PRICES if p in values]
    if given:
        price = sum(money(values[p], currency) * values[n] / 1e6 for p, n in given)
        return RequestPrice(price, {p: _user(p, values) for p, _ in given})
    return _catalogue_price(values, catalog, money)


def _user(key: str, values: Mapping[str, Any]) -> Provenance:
    return labelled(key, Provenance("user", f"{key} = {given(values[key])} from the scenario file"))


def _catalogue_price(
    values: Mapping[str, Any], catalog: Catalog, money: Callable[[float, str | None], float]
) -> RequestPrice:
    rows = catalog.api_rows(values.get("provider", ""), values.get("product", ""))
    if not rows:
        raise ScenarioError("set provider and product from the API catalogue, or a price")
    scale = {
        "1k_requests": 1 / 1000,
        "1m_input_tokens": values.get("input_tokens_per_request", 0.0) / 1e6,
        "1m_output_tokens": values.get("output_tokens_per_request", 0.0) / 1e6,
    }
    units = ["1k_requests"] if "1k_requests" in rows else list(rows)
    missing = [u for u in units if scale[u] == 0]
    if missing:
        side = missing[0].removeprefix("1m_").removesuffix("_tokens")
        raise ScenarioError(
            f"the catalogue prices {side} tokens; set {side}_tokens_per_request > 0"
        )
    price = 0.0
    provenance: dict[str, Provenance] = {}
    for unit in units:
        r = rows[unit]
        price += money(r.price, r.currency) * scale[unit]
        provenance[unit] = row_provenance(r, f"{r.provider} {r.product} per {unit}")
    return RequestPrice(price, provenance)
