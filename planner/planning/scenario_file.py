"""Scenario files: TOML text to a validated ScenarioSpec (no catalogue, no database).

Pure functions; any thread. The format is documented in resources/scenarios/example.toml.
Parsing checks structure, key names, types and ranges and lists the measured run ids the
options need (``spec.required_run_ids``); ``resolve.resolve_scenario`` then adds catalogue
figures and measured points. Errors are ScenarioError with one line naming key and fix.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.core.errors import InputError, ScenarioError
from planner.core.plan import Demand, TokenDemand
from planner.core.units import check_currency
from planner.planning.demand import ADDITIVE, NEUTRAL
from planner.planning.demand_caps import check_peak_ranges
from planner.planning.montecarlo import DEFAULT_MONTE_CARLO
from planner.planning.scenario_demand import parse_demand
from planner.planning.scenario_fields import (
    ADDITIVE_FACTOR,
    DISCOUNT_FACTOR,
    EXCHANGE_RATE,
    MAX_DRAW_MONTHS,
    MAX_OPTIONS,
    MULTIPLIER_FACTOR,
    OPTION_KEYS,
    TOP_KEYS,
    UNCERTAINTY_KEYS,
    check_keys,
    check_value,
    need,
)
from planner.planning.sensitivity import DEFAULT_SENSITIVITY

__all__ = ["OPTION_KEYS", "OptionSpec", "ScenarioSpec", "parse_scenario"]


@dataclass(frozen=True)
class OptionSpec:
    kind: str
    name: str
    values: Mapping[str, Any]
    runs: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioSpec:
    name: str
    currency: str
    country: str | None
    exchange_rates: Mapping[str, float]
    demand: Demand
    options: tuple[OptionSpec, ...]
    seed: int
    draws: int
    compare: tuple[str, str] | None
    monte_carlo: Mapping[str, tuple[float, float]]
    sensitivity: Mapping[str, tuple[float, float]]
    view: str | None = None  # None: the default view (planning.defaults)
    discount_rate: float | None = None  # None: the catalogue's discount rate

    @property
    def required_run_ids(self) -> tuple[str, ...]:
        """Run ids the options reference, in order of first use, without repeats."""
        return tuple(dict.fromkeys(r for o in self.options for r in o.runs))


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where} must be a table")
    return value


def _option(t: Any, index: int, tokens: TokenDemand | None) -> OptionSpec:
    where = f"[[options]] #{index + 1}"
    if not isinstance(t, dict):
        raise ScenarioError(f"{where}: must be a table")
    kind = need(t, "kind", where)
    if kind not in OPTION_KEYS:
        raise ScenarioError(f"{where}: kind must be one of {', '.join(OPTION_KEYS)}")
    name = check_value(where, "name", need(t, "name", where), OPTION_KEYS[kind]["name"])
    where = f"option {name!r}"
    allowed = OPTION_KEYS[kind]
    check_keys(t, allowed, where)
    values = {k: check_value(where, k, v, allowed[k]) for k, v in t.items()}
    values["name"] = name
    if kind == "api" and tokens is not None:
        # A token-priced API serves the demand's requests unless the option says otherwise.
        values.setdefault("input_tokens_per_request", tokens.input_tokens)
        values.setdefault("output_tokens_per_request", tokens.output_tokens)
    if "currency" in values:
        _currency(values["currency"], where)
    runs = values.get("runs", ())
    if kind != "api" and not runs:
        raise ScenarioError(f'{where}: runs is missing; list measured run ids, runs = ["<id>"]')
    if ("measured_on" in values) != ("scale_by" in values):
        raise ScenarioError(f"{where}: an estimate needs both measured_on and scale_by")
    if values.get("representative") and "scale_by" in values:
        raise ScenarioError(
            f"{where}: choose one of representative = true or measured_on + scale_by"
        )
    _check_tokens(values, where)
    return OptionSpec(kind, name, values, runs)


def _check_tokens(values: Mapping[str, Any], where: str) -> None:
    """A token price needs the tokens per request it is multiplied by."""
    for side in ("input", "output"):
        count = values.get(f"{side}_tokens_per_request", 0.0)
        if f"price_per_1m_{side}_tokens" in values and count <= 0:
            raise ScenarioError(
                f"{where}: price_per_1m_{side}_tokens needs {side}_tokens_per_request > 0"
            )


def _currency(code: Any, where: str) -> str:
    try:
        return check_currency(code if isinstance(code, str) else repr(code))
    except InputError as exc:
        raise ScenarioError(f"{where}: {exc}") from None


#: Range keys of earlier scenario files and the keys that replaced them; the old key sets
#: each of them (``staff`` was one multiplier on every option's staff cost).
RENAMED_RANGES = {"staff": ("staff_onprem", "staff_rented")}


def _ranges(
    t: Any,
    defaults: Mapping[str, tuple[float, float]],
    where: str,
    demand: Demand,
    *,
    together: bool,
) -> dict[str, Any]:
    """The ranges of one [uncertainty] table over ``defaults``, each checked and within the
    demand cap as its analysis combines them (``together``: Monte Carlo)."""
    table = _table(t, where)
    check_keys({k: v for k, v in table.items() if k not in RENAMED_RANGES}, NEUTRAL, where)
    out = dict(defaults)
    for key, pair in table.items():
        if not (isinstance(pair, list) and len(pair) == 2):
            raise ScenarioError(f"{where}: {key} must be [low, high], got {pair!r}")
        targets = RENAMED_RANGES.get(key, (key,))
        both = [k for k in targets if k in table and k != key]
        if both:
            raise ScenarioError(
                f"{where}: {key} sets {' and '.join(targets)}; give those keys, not {key} "
                f"with {both[0]}"
            )
        limits = (
            DISCOUNT_FACTOR
            if key == "discount_rate"
            else ADDITIVE_FACTOR
            if key in ADDITIVE
            else MULTIPLIER_FACTOR
        )
        low, high = (check_value(where, f"{key} bound", v, limits) for v in pair)
        if not low <= NEUTRAL[targets[0]] <= high:
            raise ScenarioError(
                f"{where}: {key} must be [low, high] around {NEUTRAL[targets[0]]:g}, got {pair!r}"
            )
        out.update(dict.fromkeys(targets, (low, high)))
    check_peak_ranges(demand, out, table, where, together=together)
    return out


def _exchange_rates(value: Any) -> dict[str, float]:
    rates = _table(value, "[exchange_rates]")
    for code in rates:
        _currency(code, "[exchange_rates]")
    return {k: check_value("[exchange_rates]", k, v, EXCHANGE_RATE) for k, v in rates.items()}


def _options(doc: Mapping[str, Any], tokens: TokenDemand | None) -> tuple[OptionSpec, ...]:
    options = doc.get("options")
    if not isinstance(options, list) or not options:
        raise ScenarioError("scenario has no [[options]]; add at least one option")
    if len(options) > MAX_OPTIONS:
        raise ScenarioError(f"scenario has {len(options)} options; keep it to {MAX_OPTIONS}")
    specs = tuple(_option(t, i, tokens) for i, t in enumerate(options))
    if len({s.name for s in specs}) != len(specs):
        raise ScenarioError("option names repeat; give every [[options]] a distinct name")
    return specs


def parse_scenario(text: str) -> ScenarioSpec:
    """Parse and validate scenario TOML; raises ScenarioError with a one-line message."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"scenario is not valid TOML: {exc}") from None
    check_keys(doc, TOP_KEYS, "scenario")

    def top(key: str, default: Any = None) -> Any:
        value = doc.get(key, default)
        return None if value is None else check_value("scenario", key, value, TOP_KEYS[key])

    currency = _currency(doc.get("currency", "USD"), "scenario")
    demand = parse_demand(_table(need(doc, "demand", "scenario"), "[demand]"))
    specs = _options(doc, demand.tokens)
    u = _table(doc.get("uncertainty", {}), "[uncertainty]")
    check_keys(u, UNCERTAINTY_KEYS, "[uncertainty]")
    compare = u.get("compare")
    names = {s.name for s in specs}
    if compare is not None and not (
        isinstance(compare, list) and len(compare) == 2 and set(compare) <= names
    ):
        raise ScenarioError('[uncertainty]: compare must name two options, ["a", "b"]')
    draws = check_value("[uncertainty]", "draws", u.get("draws", 10_000), UNCERTAINTY_KEYS["draws"])
    if draws * demand.horizon_months > MAX_DRAW_MONTHS:
        raise ScenarioError(
            f"[uncertainty]: draws x horizon_months = {draws * demand.horizon_months:,} exceeds "
            f"{MAX_DRAW_MONTHS:,} (Monte Carlo memory); lower draws or the horizon"
        )
    return ScenarioSpec(
        name=top("name", "scenario"),
        currency=currency,
        country=top("country"),
        exchange_rates=_exchange_rates(doc.get("exchange_rates", {})),
        demand=demand,
        options=specs,
        seed=check_value("[uncertainty]", "seed", u.get("seed", 0), UNCERTAINTY_KEYS["seed"]),
        draws=draws,
        compare=None if compare is None else (compare[0], compare[1]),
        monte_carlo=_ranges(
            u.get("monte_carlo", {}),
            DEFAULT_MONTE_CARLO,
            "[uncertainty.monte_carlo]",
            demand,
            together=True,
        ),
        sensitivity=_ranges(
            u.get("sensitivity", {}),
            DEFAULT_SENSITIVITY,
            "[uncertainty.sensitivity]",
            demand,
            together=False,
        ),
        view=top("view"),
        discount_rate=top("discount_rate"),
    )
