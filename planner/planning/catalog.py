"""Catalogues: CSV text to validated rows and back, and the Catalog container with lookups.

Pure functions; any thread. Parsing validates every row before returning any, so an import
is all or nothing. Lines starting with ``#`` are comments (attribution, notes) and blank
lines are skipped; fields cannot span lines. Errors are one line naming the line number.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from planner.core.errors import CatalogError, InputError
from planner.core.plan import (
    ApiPriceRow,
    CarbonRow,
    CatalogRow,
    CloudPriceRow,
    CostDefaultRow,
    HardwareRow,
)
from planner.core.units import check_currency

CATALOG_FILES = {
    "hardware": "catalog/hardware.csv",
    "cloud": "catalog/cloud_instances.csv",
    "api": "catalog/managed_api.csv",
    "defaults": "catalog/cost_defaults.csv",
    "carbon": "carbon/intensity.csv",
}
"""Catalogue kind -> path of the shipped file under ``resources/``."""
_R = TypeVar("_R", HardwareRow, CloudPriceRow, ApiPriceRow, CostDefaultRow, CarbonRow)

PRICING_MODELS = ("on-demand", "reserved-1y", "reserved-3y", "spot")
API_UNITS = ("1k_requests", "1m_input_tokens", "1m_output_tokens")
HARDWARE_KINDS = ("gpu", "server", "cpu", "accelerator")
DEFAULT_KEYS = (
    "pue",
    "tariff_per_kwh",
    "colocation_per_kw_month",
    "support_pct_per_year",
    "integration_share",
    "staff_fte",
    "staff_fte_cloud",
    "staff_fte_api",
    "staff_cost_per_year",
    "depreciation_years",
    "target_utilization",
    "redundancy",
    "licence_per_gpu_year",
    "licence_per_gpu_hour",
    "egress_per_gb",
    "egress_free_gb_per_month",
    "reserved-1y_discount",
    "reserved-3y_discount",
    "spot_discount",
    "discount_rate",
)


def _text(v: str) -> str:
    if not v:
        raise ValueError("is empty; fill it in")
    return v


def _number(v: str, *, minimum: float = 0.0, optional: bool = False) -> float | None:
    if v == "" and optional:
        return None
    if v == "":
        raise ValueError("is missing; give a number")
    try:
        x = float(v)
    except ValueError:
        raise ValueError(f"{v!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"{v!r} is not finite; give a number")
    if not x >= minimum:
        raise ValueError(f"{v!r} is below {minimum:g}; give a value >= {minimum:g}")
    return x


def _count(v: str) -> int:
    if not v.isdigit():
        raise ValueError(f"{v!r} is not a whole number >= 0")
    return int(v)


def _date(v: str) -> str:
    if v == "unknown":
        return v
    try:
        datetime.date.fromisoformat(v)
    except ValueError:
        raise ValueError(f"{v!r} is not a date; use YYYY-MM-DD or 'unknown'") from None
    if len(v) != 10:
        raise ValueError(f"{v!r} is not a date; use YYYY-MM-DD or 'unknown'")
    return v


def _currency(v: str) -> str:
    try:
        return check_currency(v)
    except InputError as exc:
        raise ValueError(str(exc)) from None


def _bool(v: str) -> bool:
    if v.lower() in ("yes", "true", "1"):
        return True
    if v.lower() in ("no", "false", "0"):
        return False
    raise ValueError(f"{v!r} is not yes or no")


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def check(v: str) -> str:
        if v not in options:
            raise ValueError(f"{v!r} is not one of {', '.join(options)}")
        return v

    return check


def _year(v: str) -> int:
    if not (v.isdigit() and 1990 <= int(v) <= 2100):
        raise ValueError(f"{v!r} is not a year")
    return int(v)


def _opt_currency(v: str) -> str | None:
    return _currency(v) if v else None


def _opt_text(v: str) -> str:
    return v


_price = _number
_positive = functools.partial(_number, minimum=1e-12)
_opt_positive = functools.partial(_number, minimum=1e-12, optional=True)
_opt_nonneg = functools.partial(_number, optional=True)
_signed = functools.partial(_number, minimum=-math.inf)

_Columns = tuple[tuple[str, Callable[[str], Any]], ...]
_TAIL: _Columns = (("source", _text), ("date", _date), ("verified", _bool))
SCHEMAS: dict[str, tuple[type, _Columns, tuple[str, ...]]] = {
    "hardware": (
        HardwareRow,
        (("name", _text), ("kind", _choice(HARDWARE_KINDS)), ("price", _price))
        + (("currency", _currency), ("power_w", _positive), ("idle_w", _opt_nonneg))
        + (("gpu_count", _count), ("fp16_tflops", _opt_positive))
        + (("fp32_tflops", _opt_positive), ("memory_bw_gbs", _opt_positive))
        + _TAIL
        + (("gpu_model", _opt_text), ("cpu", _opt_text), ("memory_gb", _opt_positive)),
        ("name",),
    ),
    "cloud": (
        CloudPriceRow,
        (("provider", _text), ("instance", _text), ("region", _text), ("gpu", _text))
        + (("gpu_count", _count), ("pricing", _choice(PRICING_MODELS)))
        + (("price_per_hour", _price), ("currency", _currency))
        + _TAIL,
        ("provider", "instance", "region", "pricing"),
    ),
    "api": (
        ApiPriceRow,
        (("provider", _text), ("product", _text), ("unit", _choice(API_UNITS)))
        + (("price", _price), ("currency", _currency))
        + _TAIL,
        ("provider", "product", "unit"),
    ),
    "defaults": (
        CostDefaultRow,
        (("key", _choice(DEFAULT_KEYS)), ("value", _signed), ("low", _signed))
        + (("high", _signed), ("unit", _text), ("currency", _opt_currency))
        + _TAIL,
        ("key",),
    ),
    "carbon": (
        CarbonRow,
        (("code", _text), ("country", _text), ("g_co2_per_kwh", _number), ("year", _year))
        + (("source", _text), ("verified", _bool)),
        ("code",),
    ),
}


OPTIONAL_COLUMNS = {"hardware": frozenset({"gpu_model", "cpu", "memory_gb"})}
"""Columns a file may leave out (files written before they existed); they read as empty."""


def _records(text: str) -> list[tuple[int, list[str]]]:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)]
    kept = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.reader([line for _, line in kept], strict=True)
    try:
        return [(n, [c.strip() for c in cells]) for (n, _), cells in zip(kept, reader, strict=True)]
    except csv.Error as exc:
        raise CatalogError(f"catalogue is not valid CSV ({exc}); check quoting") from None


def parse_catalog_csv(kind: str, text: str) -> tuple[CatalogRow, ...]:
    """Validate a whole catalogue file of ``kind`` and return its rows, or raise CatalogError."""
    if kind not in SCHEMAS:
        raise CatalogError(f"unknown catalogue kind {kind!r}; use one of {', '.join(SCHEMAS)}")
    cls, columns, key = SCHEMAS[kind]
    records = _records(text)
    if not records:
        raise CatalogError(f"{kind} catalogue is empty; it needs a header line and rows")
    header_line, header = records[0]
    names = [c for c, _ in columns]
    where = f"{kind} catalogue line {header_line}"
    for col in header:
        if col not in names:
            raise CatalogError(f"{where}: unknown column {col!r}; columns are {', '.join(names)}")
    optional = OPTIONAL_COLUMNS.get(kind, frozenset())
    missing = [c for c in names if c not in header and c not in optional]
    if missing or len(set(header)) != len(header):
        raise CatalogError(f"{where}: missing or repeated columns; columns are {', '.join(names)}")
    rows: list[CatalogRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, cells in records[1:]:
        where = f"{kind} catalogue line {line}"
        if len(cells) != len(header):
            raise CatalogError(f"{where}: {len(cells)} fields, expected {len(header)}")
        raw = dict.fromkeys(optional, "") | dict(zip(header, cells, strict=True))
        values: dict[str, Any] = {}
        for col, convert in columns:
            try:
                values[col] = convert(raw[col])
            except ValueError as exc:
                raise CatalogError(f"{where}: {col} {exc}") from None
        if kind == "defaults" and not values["low"] <= values["value"] <= values["high"]:
            raise CatalogError(f"{where}: value must lie between low and high; fix the range")
        ident = tuple(str(values[k]).lower() for k in key)
        if ident in seen:
            raise CatalogError(f"{where}: duplicate of line {seen[ident]}; keep one row")
        seen[ident] = line
        rows.append(cls(**values))
    return tuple(rows)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    # repr is the shortest text that reads back as the same float: export -> import is exact.
    return repr(value) if isinstance(value, float) else str(value)


def catalog_to_csv(rows: tuple[CatalogRow, ...] | list[CatalogRow], kind: str) -> str:
    """Write rows of one catalogue ``kind`` as CSV text that parse_catalog_csv reads back."""
    cls, columns, _ = SCHEMAS[kind]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c for c, _ in columns])
    for row in rows:
        if not isinstance(row, cls):
            raise CatalogError(f"cannot write a {type(row).__name__} into the {kind} catalogue")
        writer.writerow([_cell(getattr(row, c)) for c, _ in columns])
    return out.getvalue()


@dataclass(frozen=True)
class Catalog:
    """All catalogue rows, with case-insensitive lookups returning None when absent."""

    hardware: tuple[HardwareRow, ...] = ()
    cloud: tuple[CloudPriceRow, ...] = ()
    api: tuple[ApiPriceRow, ...] = ()
    defaults: tuple[CostDefaultRow, ...] = ()
    carbon: tuple[CarbonRow, ...] = ()

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> Catalog:
        """Build from CSV texts keyed by kind (see CATALOG_FILES); missing kinds stay empty."""
        return cls.from_rows({kind: parse_catalog_csv(kind, text) for kind, text in texts.items()})

    @classmethod
    def from_rows(cls, rows: Mapping[str, Sequence[CatalogRow]]) -> Catalog:
        """Build from rows keyed by kind; each kind keeps only rows of its own type."""

        def of(kind: str, row_type: type[_R]) -> tuple[_R, ...]:
            return tuple(r for r in rows.get(kind, ()) if isinstance(r, row_type))

        return cls(
            hardware=of("hardware", HardwareRow),
            cloud=of("cloud", CloudPriceRow),
            api=of("api", ApiPriceRow),
            defaults=of("defaults", CostDefaultRow),
            carbon=of("carbon", CarbonRow),
        )

    def hardware_row(self, name: str) -> HardwareRow | None:
        return next((r for r in self.hardware if r.name.lower() == name.lower()), None)

    def cloud_row(
        self, instance: str, pricing: str, provider: str | None, region: str | None
    ) -> CloudPriceRow | None:
        for r in self.cloud:
            if (
                r.instance.lower() == instance.lower()
                and r.pricing == pricing
                and (provider is None or r.provider.lower() == provider.lower())
                and (region is None or r.region.lower() == region.lower())
            ):
                return r
        return None

    def api_rows(self, provider: str, product: str) -> dict[str, ApiPriceRow]:
        return {
            r.unit: r
            for r in self.api
            if r.provider.lower() == provider.lower() and r.product.lower() == product.lower()
        }

    def default(self, key: str) -> CostDefaultRow | None:
        return next((r for r in self.defaults if r.key == key), None)

    def carbon_row(self, code: str) -> CarbonRow | None:
        return next((r for r in self.carbon if r.code.lower() == code.lower()), None)
