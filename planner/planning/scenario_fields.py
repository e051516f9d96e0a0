"""Every key a scenario file may hold, with what it accepts: the one table of scenario ranges.

Pure data and one checking function; any thread. Each numeric key has a
:class:`~planner.core.validation.Limits` with a ``why`` that explains its bounds, so a
refusal names the key, the value and the range (``check_number`` words it). Text keys
are names (``check_name``: no control or invisible characters), choices are tuples of
the allowed words, ``BOOL`` is a TOML boolean and ``LIST`` a list of names (run ids).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.core.errors import InputError, ScenarioError
from planner.core.plan import VIEWS
from planner.core.text import check_name
from planner.core.validation import Limits, check_number, check_whole

TEXT = "str"
LIST = "list"
BOOL = "bool"

MONEY = Limits(0.0, 1e12, why="money in the option's currency, at most 1e12")
WATTS = Limits(0.0, 1e6, why="watts per unit, at most 1 MW")
FTE = Limits(0.0, 1000.0, why="full-time equivalents")
#: Below 1% a fleet is sized at over 100 times the load it serves: no one plans that, and
#: values such as 1e-300 gave fleets of astronomical size instead of an error.
TARGET_UTILIZATION = Limits(0.01, 1.0, why="share of capacity at the SLO, 1% at least")
MAX_RATE = 1e7
MAX_HORIZON_MONTHS = 1200
MAX_DRAWS = 100_000
MAX_DRAW_MONTHS = 2_400_000
MAX_OPTIONS = 20
MAX_PEAK_RATE = 1e9

_MEASURED: dict[str, Any] = {
    "runs": LIST,
    "replicas_per_unit": Limits(1, 1024, whole=True, why="copies of the measured set-up"),
    "host_w": Limits(0.0, 1e5, why="watts per unit beyond the measured device"),
    "idle_w": WATTS,
    "gpus_per_unit": Limits(0, 1024, whole=True, why="GPUs in one unit"),
    "measured_on": TEXT,
    "scale_by": ("fp16_flops", "fp32_flops", "memory_bandwidth"),
    "representative": BOOL,
    "redundancy": Limits(0, 1000, whole=True, why="spare units, N+k"),
    "target_utilization": TARGET_UTILIZATION,
    "pue": Limits(1.0, 5.0, why="PUE is at least 1; the industry average is 1.58"),
    "country": TEXT,
}
_STAFF: dict[str, Any] = {"staff_fte": FTE, "staff_cost_per_year": MONEY}
_COMMON: dict[str, Any] = {"name": TEXT, "kind": TEXT, "currency": TEXT}

OPTION_KEYS: dict[str, dict[str, Any]] = {
    "on-prem": _COMMON
    | _MEASURED
    | {
        "hardware": TEXT,
        "unit_price": MONEY,
        "unit_power_w": Limits(0.0, 1e6, low_open=True, why="provisioned watts per unit"),
        "integration_share": Limits(0.0, 10.0, why="share of the hardware price"),
        "depreciation_years": Limits(0.25, 30.0, why="service life in years"),
        "capex": ("cash", "straight-line"),
        "residual_share": Limits(0.0, 1.0, why="share of the book value recovered at the end"),
        "support_pct": Limits(0.0, 2.0, why="share of the hardware price per year"),
        **_STAFF,
        "licence_per_gpu_year": MONEY,
        "licence_fixed_per_year": MONEY,
        "tariff_per_kwh": MONEY,
        "facility": ("colocation", "owned"),
        "colocation_per_kw_month": MONEY,
        "facility_per_month": MONEY,
    },
    "cloud": _COMMON
    | _MEASURED
    | {
        "provider": TEXT,
        "instance": TEXT,
        "region": TEXT,
        "pricing": ("on-demand", "reserved-1y", "reserved-3y", "spot"),
        "price_per_hour": MONEY,
        "scaling": ("hourly", "fixed"),
        **_STAFF,
        "egress_kb_per_request": Limits(0.0, 1e9, why="kilobytes sent per request"),
        "egress_per_gb": MONEY,
        "egress_free_gb_per_month": Limits(0.0, 1e12, why="gigabytes a month"),
        "licence_per_gpu_hour": MONEY,
    },
    "api": _COMMON
    | {
        "provider": TEXT,
        "product": TEXT,
        "price_per_1k_requests": MONEY,
        "price_per_1m_input_tokens": MONEY,
        "price_per_1m_output_tokens": MONEY,
        "input_tokens_per_request": Limits(0.0, 1e7, why="tokens per request"),
        "output_tokens_per_request": Limits(0.0, 1e7, why="tokens per request"),
        **_STAFF,
    },
}
"""Option kind -> key -> what it accepts (the scenario form builds its fields from this)."""

TOP_KEYS: dict[str, Any] = {
    "name": TEXT,
    "currency": TEXT,
    "country": TEXT,
    "exchange_rates": "table",
    "demand": "table",
    "options": "tables",
    "uncertainty": "table",
    "view": VIEWS,
    "discount_rate": Limits(0.0, 1.0, why="a yearly cost of capital from 0% to 100%"),
}
EXCHANGE_RATE = Limits(1e-6, 1e6, why="units of the scenario currency one unit buys")
DEMAND_KEYS: dict[str, Any] = {
    "average_rate": Limits(0.0, MAX_RATE, low_open=True, why="requests a second"),
    "daily_volume": Limits(0.0, MAX_RATE * 86_400, low_open=True, why="requests a day"),
    "tokens_per_day": Limits(
        1.0, MAX_RATE * 86_400 * 2e7, why="prompt + output tokens a day, at least one"
    ),
    "peak_factor": Limits(1.0, 1000.0, why="peak over average"),
    "growth_per_year": Limits(-1.0, 10.0, low_open=True, why="yearly growth, 0.3 = +30%"),
    "horizon_months": Limits(1, MAX_HORIZON_MONTHS, whole=True, why="months, 100 years at most"),
    "latency_percentile": ("p50", "p90", "p95", "p99", "p99.9"),
    "latency_target_ms": Limits(0.0, 3.6e6, low_open=True, why="milliseconds, one hour at most"),
    "hourly_profile": "profile",
    "price_per_1k": Limits(0.0, 1e12, why="money in the scenario currency, at most 1e12"),
    "input_tokens_per_request": Limits(1.0, 1e7, why="prompt tokens a request sends"),
    "output_tokens_per_request": Limits(1.0, 1e7, why="tokens a request generates"),
    "ttft_target_ms": Limits(0.0, 3.6e6, low_open=True, why="time to first token, ms"),
    "tpot_target_ms": Limits(0.0, 3.6e6, low_open=True, why="time per output token, ms"),
    "price_per_1m_tokens": Limits(0.0, 1e12, why="money charged per 1M output tokens"),
}
PROFILE_WEIGHT = Limits(0.0, 1e6, why="relative load of one hour")
UNCERTAINTY_KEYS: dict[str, Any] = {
    "seed": Limits(0, 2**32 - 1, whole=True, why="a 32-bit seed"),
    "draws": Limits(1, MAX_DRAWS, whole=True, why="Monte Carlo time and memory"),
    "compare": "pair",
    "monte_carlo": "ranges",
    "sensitivity": "ranges",
}
#: Perturbation factors: additive ones around 0, multipliers around 1.
ADDITIVE_FACTOR = Limits(-0.99, 10.0, why="a yearly change added to the base value")
MULTIPLIER_FACTOR = Limits(0.01, 100.0, why="a multiplier of the base value")
DISCOUNT_FACTOR = Limits(-0.5, 0.5, why="points added to the discount rate")


def check_value(where: str, key: str, value: Any, spec: Any) -> Any:
    """``value`` of ``key`` converted and checked against ``spec``; ScenarioError otherwise."""
    try:
        return _checked(key, value, spec)
    except InputError as exc:
        raise ScenarioError(f"{where}: {exc}") from None


def _checked(key: str, value: Any, spec: Any) -> Any:
    if isinstance(spec, Limits):
        if spec.whole:
            return check_whole(value, key, spec)
        return check_number(value, key, spec)
    if isinstance(spec, tuple):
        if value not in spec:
            raise InputError(f"{key} must be one of {', '.join(spec)}, got {value!r}")
        return value
    if spec == BOOL:
        if not isinstance(value, bool):
            raise InputError(f"{key} must be true or false, got {value!r}")
        return value
    if spec == LIST:
        if not isinstance(value, list) or not value:
            raise InputError(f'{key} must be a list of run ids, e.g. ["latest"]; got {value!r}')
        return tuple(check_name(v, f"{key} entry") for v in value)
    return check_name(value, key)


def need(table: Mapping[str, Any], key: str, where: str) -> Any:
    """``table[key]``, or ScenarioError saying it is missing."""
    if key not in table:
        raise ScenarioError(f"{where}: {key} is missing; add it")
    return table[key]


def check_keys(table: Mapping[str, Any], allowed: Mapping[str, Any], where: str) -> None:
    """ScenarioError naming the first key of ``table`` that ``allowed`` does not list."""
    for key in table:
        if key not in allowed:
            raise ScenarioError(
                f"{where}: unknown key {key!r}; allowed: {', '.join(sorted(allowed))}"
            )
