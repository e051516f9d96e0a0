"""Catalogues: CSV text to validated rows and back, and the Catalog container with lookups.

Pure functions; any thread. Parsing validates every row before returning any, so an import
is all or nothing. Lines starting with ``#`` are comments (attribution, notes) and blank
lines are skipped; fields cannot span lines. Errors are one line naming the line number.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from planner.core.csv_safe import csv_text, restore
from planner.core.errors import CatalogError
from planner.core.plan import (
    ApiPriceRow,
    CarbonRow,
    CatalogRow,
    CloudPriceRow,
    CostDefaultRow,
    HardwareRow,
)
from planner.planning import catalog_fields as fields

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
DEFAULT_KEYS = tuple(fields.DEFAULT_LIMITS)


_text = fields.text
_number = fields.number
_count = fields.count
_date = fields.date
_currency = fields.currency
_bool = fields.boolean
_choice = fields.choice
_year = fields.year
_opt_currency = fields.opt_currency
_price = fields.price
_positive = fields.positive
_opt_positive = fields.opt_positive
_opt_nonneg = fields.opt_nonneg
_signed = fields.signed
_opt_text = fields.opt_text
_opt_count = fields.opt_count

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
        + (("gpu_model", _opt_text), ("cpu", _opt_text), ("memory_gb", _opt_positive))
        + (("threads", _opt_count),),
        ("name",),
    ),
    "cloud": (
        CloudPriceRow,
        (("provider", _text), ("instance", _text), ("region", _text), ("gpu", _text))
        + (("gpu_count", _count), ("pricing", _choice(PRICING_MODELS)))
        + (("price_per_hour", _price), ("currency", _currency))
        + _TAIL
        + (("vcpus", _opt_count),),
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


OPTIONAL_COLUMNS = {
    "hardware": frozenset({"gpu_model", "cpu", "memory_gb", "threads"}),
    "cloud": frozenset({"vcpus"}),
}
"""Columns a file may leave out (files written before they existed); they read as empty."""


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each line that is not blank or a comment.

    Lines are split on line feeds only (a CR before one is dropped), so a CR, form feed
    or Unicode line separator inside a cell stays in the cell and is refused there as a
    control character, with its line number; a quoted field may not span lines.
    """
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            [cells] = csv.reader([line], strict=True)
        except csv.Error as exc:
            raise CatalogError(
                f"catalogue line {number} is not valid CSV ({exc}); a quoted field must "
                "close on its own line: fields cannot span lines"
            ) from None
        records.append((number, [restore(c.strip()) for c in cells]))
    return records


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
        _check_row_values(kind, values, where)
        ident = tuple(str(values[k]).lower() for k in key)
        if ident in seen:
            raise CatalogError(f"{where}: duplicate of line {seen[ident]}; keep one row")
        seen[ident] = line
        rows.append(cls(**values))
    return tuple(rows)


def _check_row_values(kind: str, values: Mapping[str, Any], where: str) -> None:
    outside = fields.range_problem(kind, values)
    if outside is not None:
        raise CatalogError(f"{where}: {outside}")
    if kind == "defaults" and not values["low"] <= values["value"] <= values["high"]:
        raise CatalogError(f"{where}: value must lie between low and high; fix the range")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    # repr is the shortest text that reads back as the same float: export -> import is exact.
    return repr(value) if isinstance(value, float) else str(value)


def check_stored_row(kind: str, key: str, values: Mapping[str, Any]) -> CatalogRow:
    """A row read back from the database, held to the rules an import applies.

    A database written before these rules (or edited outside planner) may hold a price of
    infinity or a name with control characters; such a row is refused naming the row and
    how to replace it, instead of reaching a plan or a JSON listing.
    """
    cls, columns, _ = SCHEMAS[kind]
    where = f"stored {kind} catalogue row {key!r}"
    converted: dict[str, Any] = {}
    for col, convert in columns:
        try:
            converted[col] = convert(_cell(values.get(col)))
        except ValueError as exc:
            raise CatalogError(
                f"{where}: {col} {exc}; import a corrected row with `planner catalog import` "
                "or edit it on the Catalogue page"
            ) from None
    _check_row_values(kind, converted, where)
    return cast(CatalogRow, cls(**converted))


def catalog_to_csv(rows: tuple[CatalogRow, ...] | list[CatalogRow], kind: str) -> str:
    """Write rows of one catalogue ``kind`` as CSV text that parse_catalog_csv reads back.

    Text cells go through the neutralising writer, so a name such as ``=HYPERLINK(...)``
    opens in a spreadsheet as text; parsing undoes the mark, so the round trip is exact.
    """
    cls, columns, _ = SCHEMAS[kind]
    for row in rows:
        if not isinstance(row, cls):
            raise CatalogError(f"cannot write a {type(row).__name__} into the {kind} catalogue")
    return csv_text(
        [c for c, _ in columns],
        ([_export_cell(getattr(row, c)) for c, _ in columns] for row in rows),
    )


def _export_cell(value: Any) -> Any:
    """Text and numbers go to the writer as they are (it neutralises text only)."""
    return _cell(value) if isinstance(value, bool) else value


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
