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
from planner.core.plan import Demand
from planner.core.units import SECONDS_PER_DAY, check_currency
from planner.planning.capacity import PERCENTILES
from planner.planning.demand import NEUTRAL
from planner.planning.montecarlo import DEFAULT_MONTE_CARLO
from planner.planning.sensitivity import DEFAULT_SENSITIVITY

# Key -> type: "num" (>= 0), "frac" (0..1], "int" (>= 0), "str", "list" (of strings),
# or a tuple of allowed strings.
_COMMON = {"name": "str", "kind": "str", "currency": "str"}
_MEASURED = {
    "runs": "list",
    "replicas_per_unit": "int",
    "host_w": "num",
    "idle_w": "num",
    "gpus_per_unit": "int",
    "measured_on": "str",
    "scale_by": ("fp16_flops", "fp32_flops", "memory_bandwidth"),
    "redundancy": "int",
    "target_utilization": "frac",
    "pue": "num",
    "country": "str",
}
OPTION_KEYS: dict[str, dict[str, Any]] = {
    "on-prem": _COMMON
    | _MEASURED
    | {
        "hardware": "str",
        "unit_price": "num",
        "unit_power_w": "num",
        "integration_share": "num",
        "depreciation_years": "num",
        "capex": ("cash", "straight-line"),
        "support_pct": "num",
        "staff_fte": "num",
        "staff_cost_per_year": "num",
        "licence_per_gpu_year": "num",
        "licence_fixed_per_year": "num",
        "tariff_per_kwh": "num",
        "facility": ("colocation", "owned"),
        "colocation_per_kw_month": "num",
        "facility_per_month": "num",
    },
    "cloud": _COMMON
    | _MEASURED
    | {
        "provider": "str",
        "instance": "str",
        "region": "str",
        "pricing": ("on-demand", "reserved-1y", "reserved-3y", "spot"),
        "price_per_hour": "num",
        "scaling": ("hourly", "fixed"),
        "egress_kb_per_request": "num",
        "egress_per_gb": "num",
        "egress_free_gb_per_month": "num",
        "licence_per_gpu_hour": "num",
    },
    "api": _COMMON
    | {
        "provider": "str",
        "product": "str",
        "price_per_1k_requests": "num",
        "price_per_1m_input_tokens": "num",
        "price_per_1m_output_tokens": "num",
        "input_tokens_per_request": "num",
        "output_tokens_per_request": "num",
    },
}
_TOP = {"name", "currency", "country", "exchange_rates", "demand", "options", "uncertainty"}
_DEMAND = {
    "average_rate",
    "daily_volume",
    "peak_factor",
    "growth_per_year",
    "horizon_months",
    "latency_percentile",
    "latency_target_ms",
    "hourly_profile",
    "price_per_1k",
}
_UNCERTAINTY = {"seed", "draws", "compare", "monte_carlo", "sensitivity"}


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

    @property
    def required_run_ids(self) -> tuple[str, ...]:
        """Run ids the options reference, in order of first use, without repeats."""
        return tuple(dict.fromkeys(r for o in self.options for r in o.runs))


def _check_keys(
    table: Mapping[str, Any], allowed: set[str] | Mapping[str, Any], where: str
) -> None:
    for key in table:
        if key not in allowed:
            raise ScenarioError(
                f"{where}: unknown key {key!r}; allowed: {', '.join(sorted(allowed))}"
            )


def _value(where: str, key: str, value: Any, kind: Any) -> Any:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(kind, tuple):
        if value not in kind:
            raise ScenarioError(f"{where}: {key} must be one of {', '.join(kind)}")
        return value
    if kind == "str" and isinstance(value, str) and value:
        return value
    if kind == "list" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if kind == "num" and number and value >= 0:
        return float(value)
    if kind == "frac" and number and 0 < value <= 1:
        return float(value)
    wanted = {"str": "a text", "list": "a list of texts", "int": "a whole number >= 0"}
    wanted |= {"num": "a number >= 0", "frac": "a number in (0, 1]"}
    raise ScenarioError(f"{where}: {key} must be {wanted[kind]}, got {value!r}")


def _need(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ScenarioError(f"{where}: {key} is missing; add it")
    return table[key]


def _demand(t: Mapping[str, Any]) -> Demand:
    w = "[demand]"
    _check_keys(t, _DEMAND, w)
    if ("average_rate" in t) == ("daily_volume" in t):
        raise ScenarioError(f"{w}: give exactly one of average_rate (req/s) or daily_volume")
    if "average_rate" in t:
        rate = _value(w, "average_rate", t["average_rate"], "num")
    else:
        rate = _value(w, "daily_volume", t["daily_volume"], "num") / SECONDS_PER_DAY
    peak = _value(w, "peak_factor", t.get("peak_factor", 1.0), "num")
    growth = t.get("growth_per_year", 0.0)
    if not isinstance(growth, int | float) or isinstance(growth, bool) or growth <= -1:
        raise ScenarioError(f"{w}: growth_per_year must be a number > -1 (0.3 = +30% a year)")
    months = _value(w, "horizon_months", _need(t, "horizon_months", w), "int")
    pct = _value(w, "latency_percentile", t.get("latency_percentile", "p99"), tuple(PERCENTILES))
    target = _value(w, "latency_target_ms", _need(t, "latency_target_ms", w), "num")
    profile = t.get("hourly_profile")
    if profile is not None and not (
        isinstance(profile, list)
        and len(profile) == 24
        and all(isinstance(v, int | float) and v >= 0 for v in profile)
        and sum(profile) > 0
    ):
        raise ScenarioError(f"{w}: hourly_profile must be 24 numbers >= 0 (relative load per hour)")
    price = t.get("price_per_1k")
    if price is not None:
        price = _value(w, "price_per_1k", price, "num")
    if rate <= 0 or months < 1 or target <= 0 or peak < 1:
        raise ScenarioError(
            f"{w}: rate, horizon_months, latency_target_ms > 0 and peak_factor >= 1"
        )
    return Demand(
        rate,
        peak,
        float(growth),
        months,
        pct,
        target,
        None if profile is None else tuple(float(v) for v in profile),
        price,
    )


def _option(t: Any, index: int) -> OptionSpec:
    where = f"[[options]] #{index + 1}"
    if not isinstance(t, dict):
        raise ScenarioError(f"{where}: must be a table")
    kind = _need(t, "kind", where)
    if kind not in OPTION_KEYS:
        raise ScenarioError(f"{where}: kind must be one of {', '.join(OPTION_KEYS)}")
    name = _value(where, "name", _need(t, "name", where), "str")
    where = f"option {name!r}"
    allowed = OPTION_KEYS[kind]
    _check_keys(t, allowed, where)
    values = {k: _value(where, k, v, allowed[k]) for k, v in t.items()}
    if "currency" in values:
        _currency(values["currency"], where)
    runs = values.get("runs", ())
    if kind != "api" and not runs:
        raise ScenarioError(f'{where}: runs is missing; list measured run ids, runs = ["<id>"]')
    if ("measured_on" in values) != ("scale_by" in values):
        raise ScenarioError(f"{where}: an estimate needs both measured_on and scale_by")
    return OptionSpec(kind, name, values, runs)


def _currency(code: Any, where: str) -> str:
    try:
        return check_currency(code if isinstance(code, str) else repr(code))
    except InputError as exc:
        raise ScenarioError(f"{where}: {exc}") from None


def _ranges(t: Any, defaults: Mapping[str, tuple[float, float]], where: str) -> dict[str, Any]:
    if not isinstance(t, dict):
        raise ScenarioError(f"{where}: must be a table of name = [low, high]")
    _check_keys(t, NEUTRAL, where)
    out = dict(defaults)
    for key, pair in t.items():
        ok = isinstance(pair, list) and len(pair) == 2
        ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
        if not ok or not pair[0] <= NEUTRAL[key] <= pair[1]:
            raise ScenarioError(
                f"{where}: {key} must be [low, high] around {NEUTRAL[key]:g}, got {pair!r}"
            )
        out[key] = (float(pair[0]), float(pair[1]))
    return out


def parse_scenario(text: str) -> ScenarioSpec:
    """Parse and validate scenario TOML; raises ScenarioError with a one-line message."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"scenario is not valid TOML: {exc}") from None
    _check_keys(doc, _TOP, "scenario")
    currency = _currency(doc.get("currency", "USD"), "scenario")
    rates = doc.get("exchange_rates", {})
    if not isinstance(rates, dict):
        raise ScenarioError("[exchange_rates] must be a table of CODE = rate")
    for code, rate in rates.items():
        _currency(code, "[exchange_rates]")
        _value("[exchange_rates]", code, rate, "num")
    options = doc.get("options")
    if not isinstance(options, list) or not options:
        raise ScenarioError("scenario has no [[options]]; add at least one option")
    specs = tuple(_option(t, i) for i, t in enumerate(options))
    if len({s.name for s in specs}) != len(specs):
        raise ScenarioError("option names repeat; give every [[options]] a distinct name")
    u = doc.get("uncertainty", {})
    _check_keys(u, _UNCERTAINTY, "[uncertainty]")
    compare = u.get("compare")
    names = {s.name for s in specs}
    if compare is not None and not (
        isinstance(compare, list) and len(compare) == 2 and set(compare) <= names
    ):
        raise ScenarioError('[uncertainty]: compare must name two options, ["a", "b"]')
    draws = _value("[uncertainty]", "draws", u.get("draws", 10_000), "int")
    return ScenarioSpec(
        name=_value("scenario", "name", doc.get("name", "scenario"), "str"),
        currency=currency,
        country=doc.get("country"),
        exchange_rates={k: float(v) for k, v in rates.items()},
        demand=_demand(_need(doc, "demand", "scenario")),
        options=specs,
        seed=_value("[uncertainty]", "seed", u.get("seed", 0), "int"),
        draws=max(draws, 1),
        compare=None if compare is None else (compare[0], compare[1]),
        monte_carlo=_ranges(
            u.get("monte_carlo", {}), DEFAULT_MONTE_CARLO, "[uncertainty.monte_carlo]"
        ),
        sensitivity=_ranges(
            u.get("sensitivity", {}), DEFAULT_SENSITIVITY, "[uncertainty.sensitivity]"
        ),
    )
