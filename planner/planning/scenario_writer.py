"""Scenario dicts (the TOML structure of a scenario file) to TOML text.

Pure functions; any thread. The standard library reads TOML (``tomllib``) but does not
write it, and the GUI edits a scenario as a dict, so this module writes the subset of
TOML a scenario uses: scalars, lists of scalars, tables and arrays of tables. The text
reads back to an equal dict with ``tomllib`` and so through ``parse_scenario``. ``None``
values are left out (TOML has no null: a left-out key takes its default).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from typing import Any

from planner.core.errors import ScenarioError

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b"}
_ESCAPES["\f"] = "\\f"


def to_toml(doc: Mapping[str, Any]) -> str:
    """TOML text for a scenario dict: top-level keys first, then tables in dict order."""
    lines: list[str] = []
    _write_table(doc, (), lines)
    return "\n".join(lines).strip("\n") + "\n"


def _is_table_array(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(isinstance(item, Mapping) for item in value)
    )


def _write_table(table: Mapping[str, Any], path: tuple[str, ...], lines: list[str]) -> None:
    for key, value in table.items():
        if value is None or isinstance(value, Mapping) or _is_table_array(value):
            continue
        lines.append(f"{_key(key)} = {_value(value, key)}")
    for key, value in table.items():
        inner = (*path, key)
        if isinstance(value, Mapping):
            lines.extend(["", f"[{_dotted(inner)}]"])
            _write_table(value, inner, lines)
        elif _is_table_array(value):
            for item in value:
                lines.extend(["", f"[[{_dotted(inner)}]]"])
                _write_table(item, inner, lines)


def _dotted(path: Sequence[str]) -> str:
    return ".".join(_key(part) for part in path)


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise ScenarioError(f"scenario keys must be texts, got {key!r}")
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _float(number: float) -> str:
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    text = repr(float(number))
    return text if any(c in text for c in ".eEn") else text + ".0"


def _value(value: Any, key: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return _float(float(value))
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Mapping):
        items = ", ".join(f"{_key(k)} = {_value(v, k)}" for k, v in value.items() if v is not None)
        return "{" + items + "}" if items else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item, key) for item in value) + "]"
    raise ScenarioError(f"{key}: cannot write a {type(value).__name__} value to a scenario")
