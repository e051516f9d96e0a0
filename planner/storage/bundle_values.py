"""Row-level checks of an untrusted bundle: types, text, identifiers, ranges, JSON content.

Pure functions over plain row dicts, called by the bundle validator on the importing
thread. Each failed check raises :class:`BundleInvalid` with a one-line reason that
names the table, the row and the value, so a user learns exactly why a bundle is refused.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from datetime import datetime
from typing import Any

import numpy as np

from planner.core.machine import Inventory
from planner.core.model import ModelInfo
from planner.core.run import RUN_STATUSES, SCENARIOS, PointResult, RunConfig, RunResult
from planner.core.text import invisible_char
from planner.core.variant import VariantKind, VariantOutcome, VariantStatus
from planner.storage import bundle_numbers as numbers
from planner.storage.bundle_schema import Table

MAX_LATENCY_MS = 1e7
MAX_RATE = 1e9
MAX_ENERGY_J = 1e6
MAX_POWER_W = 1e6
MAX_COUNT = 1_000_000
MAX_TELEMETRY_VALUE = 1e15
MULTILINE_COLUMNS = frozenset({"notes", "failure_reason", "value"})
TIME_COLUMNS = frozenset(
    {"first_seen", "last_seen", "collected_at", "added_at", "started_at", "finished_at"}
)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f]")
_RUN_EXTRA_KEYS = (
    "model_sha256",
    "model_name",
    "model_path",
    "session_create_ms",
    "first_inference_ms",
    "versions",
    "dims_used",
)


class BundleInvalid(Exception):
    """A bundle breaks a rule; ``str()`` is the one-line reason."""


def typed_row(table: Table, values: tuple[Any, ...]) -> dict[str, Any]:
    """The row as a dict, after checking each value's type and text."""
    row: dict[str, Any] = {}
    for column, value in zip(table.columns, values, strict=True):
        where = f"{table.name}.{column.name}"
        if value is None:
            if not column.nullable:
                raise BundleInvalid(f"{where} is empty in a row")
        elif column.sql_type == "TEXT":
            check_text(where, value, column.max_chars, column.name in MULTILINE_COLUMNS)
            if column.name in TIME_COLUMNS:
                check_time(where, value)
        elif column.sql_type == "INTEGER" and not isinstance(value, int):
            raise BundleInvalid(f"{where} holds {type(value).__name__}, not a whole number")
        elif column.sql_type == "REAL" and not isinstance(value, float | int):
            raise BundleInvalid(f"{where} holds {type(value).__name__}, not a number")
        elif column.sql_type == "BLOB" and not isinstance(value, bytes):
            raise BundleInvalid(f"{where} holds {type(value).__name__}, not binary data")
        row[column.name] = value
    return row


def check_text(where: str, value: Any, max_chars: int, multiline: bool = False) -> None:
    if not isinstance(value, str):
        raise BundleInvalid(f"{where} holds {type(value).__name__}, not text")
    if len(value) > max_chars:
        raise BundleInvalid(f"{where} holds {len(value)} characters (at most {max_chars})")
    if (_CONTROL if multiline else _CONTROL_OR_BREAK).search(value):
        raise BundleInvalid(f"{where} holds control characters")
    hidden = invisible_char(value)
    if hidden is not None:
        raise BundleInvalid(f"{where} holds the invisible character U+{ord(hidden):04X}")


def check_time(where: str, value: str) -> None:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise BundleInvalid(f"{where} {value[:40]!r} is not an ISO date and time") from None


def check_uuid(where: str, value: str) -> None:
    try:
        ok = str(uuid.UUID(value)) == value
    except ValueError:
        ok = False
    if not ok:
        raise BundleInvalid(f"{where} {value[:40]!r} is not a lower-case UUID")


def check_hex64(where: str, value: str) -> None:
    if not _HEX64.match(value):
        raise BundleInvalid(f"{where} {value[:40]!r} is not a sha256 hex digest")


def check_range(where: str, value: float | None, low: float, high: float) -> None:
    """``value`` is None or a finite number in [low, high]."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BundleInvalid(f"{where} is not a number")
    if not math.isfinite(value) or not low <= value <= high:
        raise BundleInvalid(f"{where} = {value!r} is outside {low:g} to {high:g}")


def parse_json(where: str, text: str) -> Any:
    """Strict JSON: NaN, infinity (also as ``1e400``), 64-bit overflow, deep nesting refused."""
    try:
        return json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=numbers.finite_float,
            parse_int=numbers.bounded_int,
        )
    except (ValueError, RecursionError) as exc:
        raise BundleInvalid(f"{where} is not valid JSON ({str(exc)[:80]})") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def check_inventory(row: dict[str, Any], machine_ids: set[str]) -> None:
    check_uuid("inventories.id", row["id"])
    if row["machine_id"] not in machine_ids:
        raise BundleInvalid(f"inventory {row['id']} refers to a machine the bundle lacks")
    check_hex64("inventories.content_hash", row["content_hash"])
    data = parse_json("inventories.inventory_json", row["inventory_json"])
    _build("inventories.inventory_json", Inventory.from_dict, data)


def check_model(row: dict[str, Any]) -> None:
    check_uuid("models.id", row["id"])
    check_hex64("models.sha256", row["sha256"])
    check_range("models.size_bytes", row["size_bytes"], 0, 1e13)
    info = _build("models.info_json", ModelInfo.from_dict, parse_json("models", row["info_json"]))
    if info.sha256 != row["sha256"]:
        raise BundleInvalid(f"model {row['id']}: info_json names another sha256")


def check_run(row: dict[str, Any], machine_ids: set[str], model_ids: set[str]) -> None:
    check_uuid("runs.id", row["id"])
    if row["machine_id"] is not None and row["machine_id"] not in machine_ids:
        raise BundleInvalid(f"run {row['id']} refers to a machine the bundle lacks")
    if row["model_id"] not in model_ids:
        raise BundleInvalid(f"run {row['id']} refers to a model the bundle lacks")
    if row["scenario"] not in SCENARIOS or row["status"] not in RUN_STATUSES:
        raise BundleInvalid(f"run {row['id']} has scenario or status outside the known ones")
    summary = parse_json("runs.summary_json", row["summary_json"])
    if not isinstance(summary, dict):
        raise BundleInvalid(f"run {row['id']}: summary_json is not an object")
    data: dict[str, Any] = {key: None for key in _RUN_EXTRA_KEYS}
    data |= {"versions": {}, "dims_used": {}}
    data |= summary
    data |= {
        "id": row["id"],
        "config": parse_json("runs.config_json", row["config_json"]),
        "status": row["status"],
        "failure_reason": row["failure_reason"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"] or "",
        "points": [],
    }
    _numbers(numbers.check_config, f"run {row['id']} config", data["config"])
    _numbers(numbers.check_dims, f"run {row['id']} dims_used", data["dims_used"])
    for key in ("session_create_ms", "first_inference_ms"):
        check_range(f"run {row['id']} {key}", data[key], 0, MAX_LATENCY_MS)
    check_range(f"run {row['id']} max_rate_within_slo", data.get("max_rate_within_slo"), 0, 1e9)
    _build("runs.config_json", lambda d: RunConfig.from_dict(d["config"]), data)
    _build("runs.summary_json", RunResult.from_dict, data)


def check_point(row: dict[str, Any], run_ids: set[str]) -> None:
    where = f"point {row['id'][:48]}"
    if row["run_id"] not in run_ids:
        raise BundleInvalid(f"{where} refers to a run the bundle lacks")
    if row["id"] != f"{row['run_id']}:{row['seq']}":
        raise BundleInvalid(f"{where}: its id is not <run id>:<seq>")
    if row["scenario"] not in SCENARIOS or row["stable"] not in (0, 1):
        raise BundleInvalid(f"{where} has an unknown scenario or stability flag")
    check_range(f"{where} seq", row["seq"], 0, MAX_COUNT)
    for key in ("batch", "concurrency"):
        check_range(f"{where} {key}", row[key], 1, MAX_COUNT)
    check_range(f"{where} target_rate", row["target_rate"], 0, MAX_RATE)
    check_range(f"{where} throughput_ips", row["throughput_ips"], 0, MAX_RATE)
    for key in ("p50_ms", "p90_ms", "p99_ms"):
        check_range(f"{where} {key}", row[key], 0, MAX_LATENCY_MS)
    check_range(f"{where} joules_per_inference", row["joules_per_inference"], 0, MAX_ENERGY_J)
    check_range(f"{where} avg_power_w", row["avg_power_w"], 0, MAX_POWER_W)
    data = parse_json(f"{where} point_json", row["point_json"])
    if not isinstance(data, dict) or not isinstance(data.get("stats"), dict):
        raise BundleInvalid(f"{where}: point_json lacks its statistics")
    _numbers(numbers.check_point_counts, f"{where} point_json", data)
    for key, value in data["stats"].items():
        if key not in ("count", "unavailable"):
            check_range(f"{where} stats.{key}", value, 0, MAX_LATENCY_MS)
    check_range(f"{where} throughput", data.get("throughput_ips"), 0, MAX_RATE)
    energy: dict[str, Any] = data["energy"] if isinstance(data.get("energy"), dict) else {}
    for key in ("energy_j", "joules_per_inference", "avg_power_w", "inferences_per_joule"):
        check_range(f"{where} energy.{key}", energy.get(key), 0, MAX_ENERGY_J * MAX_RATE)
    _build(f"{where} point_json", lambda d: PointResult.from_dict(d, np.zeros(0)), data)


def check_samples(row: dict[str, Any], point_ids: set[str]) -> None:
    where = f"samples of point {row['point_id'][:48]}"
    if row["point_id"] not in point_ids:
        raise BundleInvalid(f"{where} refer to a point the bundle lacks")
    if row["encoding"] != "float32-le" or len(row["data"]) != 4 * row["count"]:
        raise BundleInvalid(f"{where}: encoding or count does not match the data")
    values = np.frombuffer(row["data"], dtype="<f4")
    if values.size and not (np.isfinite(values).all() and values.min() >= 0):
        raise BundleInvalid(f"{where} hold negative, NaN or infinite latencies")
    if values.size and values.max() > MAX_LATENCY_MS:
        raise BundleInvalid(f"{where} hold latencies above {MAX_LATENCY_MS:g} ms")


def check_telemetry(row: dict[str, Any], point_ids: set[str]) -> None:
    where = f"telemetry {row['id'][:60]}"
    if row["point_id"] not in point_ids or not row["id"].startswith(row["point_id"] + ":"):
        raise BundleInvalid(f"{where} refers to a point the bundle lacks")
    count = row["count"]
    if len(row["t_data"]) != 8 * count or len(row["v_data"]) != 8 * count:
        raise BundleInvalid(f"{where}: count does not match the data")
    t = np.frombuffer(row["t_data"], dtype="<f8")
    values = np.frombuffer(row["v_data"], dtype="<f8")
    if count and not np.isfinite(t).all():
        raise BundleInvalid(f"{where} has times that are not finite")
    if count and np.nanmax(np.abs(np.nan_to_num(values, nan=0.0))) > MAX_TELEMETRY_VALUE:
        raise BundleInvalid(f"{where} has absurd values")


def _numbers(check: Any, where: str, data: Any) -> None:
    try:
        check(where, data)
    except ValueError as exc:
        raise BundleInvalid(str(exc)[:200]) from None


def _build(where: str, build: Any, data: Any) -> Any:
    try:
        return build(data)
    except Exception as exc:  # noqa: BLE001 - any failure means the content is malformed
        raise BundleInvalid(f"{where} does not describe valid content ({exc!s:.80})") from None


def check_variant(row: dict[str, Any], model_ids: set[str]) -> None:
    """A variant attempt: its models in the bundle, known kind and status, a sound outcome."""
    where = f"variant {row['id'][:40]}"
    check_uuid("variants.id", row["id"])
    if row["parent_model_id"] not in model_ids:
        raise BundleInvalid(f"{where} refers to a parent model the bundle lacks")
    if row["model_id"] is not None and row["model_id"] not in model_ids:
        raise BundleInvalid(f"{where} refers to a variant model the bundle lacks")
    if row["kind"] not in {k.value for k in VariantKind}:
        raise BundleInvalid(f"{where} has an unknown kind")
    if row["status"] not in {s.value for s in VariantStatus}:
        raise BundleInvalid(f"{where} has an unknown status")
    check_time(f"{where} created_at", row["created_at"])
    for key in ("cosine", "top1_agreement"):
        check_range(f"{where} {key}", row[key], -1.0, 1.0)
    check_range(f"{where} max_abs_error", row["max_abs_error"], 0, 1e38)
    data = parse_json(f"{where} outcome_json", row["outcome_json"])
    outcome = _build(f"{where} outcome_json", VariantOutcome.from_dict, data)
    if outcome.kind.value != row["kind"] or outcome.status.value != row["status"]:
        raise BundleInvalid(f"{where}: outcome_json disagrees with its kind or status")
