"""Parsing of the repeatable ``NAME=VALUE`` options shared by model commands.

Pure functions; each bad value raises :class:`InputError` naming the option and the form
it expects, so argparse callers print one line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from planner.core.errors import InputError

T = TypeVar("T", int, float)


def parse_dims(items: Sequence[str] | None) -> dict[str, int]:
    """``["seq=256", "batch=4"]`` → ``{"seq": 256, "batch": 4}``."""
    dims: dict[str, int] = {}
    for item in items or ():
        name, value = _split(item, "--dim", "NAME=VALUE, e.g. --dim seq=256")
        try:
            size = int(value)
        except ValueError:
            raise InputError(f"--dim {item}: the value must be a whole number") from None
        if size < 1:
            raise InputError(f"--dim {item}: the value must be at least 1")
        dims[name] = size
    return dims


def parse_ranges(items: Sequence[str] | None) -> dict[str, tuple[int, int]]:
    """``["input_ids=0:30522"]`` → ``{"input_ids": (0, 30522)}`` (low inclusive, high not)."""
    ranges: dict[str, tuple[int, int]] = {}
    for item in items or ():
        name, value = _split(item, "--range", "NAME=LOW:HIGH, e.g. --range input_ids=0:30522")
        low_text, sep, high_text = value.partition(":")
        try:
            low, high = int(low_text), int(high_text)
        except ValueError:
            raise InputError(f"--range {item}: use whole numbers as LOW:HIGH") from None
        if not sep or high <= low:
            raise InputError(f"--range {item}: HIGH must be greater than LOW, as in 0:1000")
        ranges[name] = (low, high)
    return ranges


def parse_positive_ints(text: str, option: str) -> tuple[int, ...]:
    """``"1,2,4"`` → ``(1, 2, 4)``."""
    values = _parse_list(text, option, int, "whole numbers")
    if min(values) < 1:
        raise InputError(f"{option} {text}: every value must be at least 1")
    return values


def parse_positive_floats(text: str, option: str) -> tuple[float, ...]:
    """``"10,20.5"`` → ``(10.0, 20.5)``."""
    values = _parse_list(text, option, float, "numbers")
    if min(values) <= 0:
        raise InputError(f"{option} {text}: every value must be greater than 0")
    return values


def _parse_list(text: str, option: str, convert: Callable[[str], T], kind: str) -> tuple[T, ...]:
    try:
        values = tuple(convert(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise InputError(f"{option} {text}: give {kind} separated by commas") from None
    if not values:
        raise InputError(f"{option} {text}: give at least one value")
    return values


def parse_duration(text: str, option: str) -> float:
    """``"90"``, ``"90s"``, ``"2m"``, ``"1h"`` → seconds."""
    cleaned = text.strip().lower()
    scale = {"s": 1.0, "m": 60.0, "h": 3600.0}.get(cleaned[-1:])
    number = cleaned[:-1] if scale else cleaned
    try:
        seconds = float(number) * (scale or 1.0)
    except ValueError:
        raise InputError(f"{option} {text}: use seconds or a unit, e.g. 90, 90s, 2m") from None
    if seconds <= 0:
        raise InputError(f"{option} {text}: the duration must be positive")
    return seconds


def _split(item: str, option: str, form: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise InputError(f"{option} {item}: use {form}")
    return name.strip(), value.strip()
