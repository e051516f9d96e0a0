"""Parsing of command-line flags and form fields: ``NAME=VALUE`` options, lists, durations.

Pure functions; any thread. Each bad value raises :class:`InputError` naming the option
and the form it expects, so argparse callers print one line. Every number passes
:mod:`planner.core.validation`: NaN and infinities are refused, and each kind of value has
a stated cap. :func:`number_flag` and :func:`whole_flag` are argparse ``type=`` converters
with the same checks, for flags that take a single number.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from typing import TypeVar

from planner.core.errors import InputError
from planner.core.text import printable
from planner.core.validation import Limits, check_number, check_whole, problem

T = TypeVar("T", int, float)

#: Batch sizes and concurrency levels.
COUNT_LIMITS = Limits(
    low=1, high=65_536, whole=True, why="more than one machine can hold in memory or threads"
)
#: Arrival rates, in inferences per second.
RATE_LIMITS = Limits(
    low=0.001,
    high=1e9,
    why="one request in 1000 s is the slowest arrival a point can time; a billion a second "
    "is beyond any single machine",
)
#: Time budgets and caps, in seconds.
DURATION_LIMITS = Limits(
    low=0, low_open=True, high=7 * 86_400, why="seconds; a week at most, split longer work"
)
#: Dynamic dimensions of a model input.
DIM_LIMITS = Limits(low=1, high=1 << 20, whole=True, why="a larger tensor would not fit in memory")
#: Bounds of integer input ranges (the values a 64-bit integer tensor holds).
INT64_LIMITS = Limits(low=-(2**63), high=2**63 - 1, whole=True, why="64-bit integer inputs")
#: A latency target, in milliseconds.
SLO_MS_LIMITS = Limits(low=0, low_open=True, high=3_600_000, why="milliseconds; an hour at most")
#: A latency percentile.
PERCENTILE_LIMITS = Limits(low=0, low_open=True, high=100, why="a percentile, e.g. 99")
#: Thread counts handed to ONNX Runtime.
THREAD_LIMITS = Limits(low=0, high=1024, whole=True, why="0 lets the runtime choose")
#: Random seeds.
SEED_LIMITS = Limits(low=0, high=2**32 - 1, whole=True, why="seeds are 32-bit")


def parse_dims(items: Sequence[str] | None) -> dict[str, int]:
    """``["seq=256", "batch=4"]`` → ``{"seq": 256, "batch": 4}``."""
    dims: dict[str, int] = {}
    for item in items or ():
        name, value = _split(item, "--dim", "NAME=VALUE, e.g. --dim seq=256")
        try:
            size = int(value)
        except ValueError:
            raise InputError(f"--dim {printable(item)}: the value must be a whole number") from None
        if size < 1:
            raise InputError(f"--dim {printable(item)}: the value must be at least 1")
        dims[name] = check_whole(size, f"--dim {printable(name)}", DIM_LIMITS)
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
            raise InputError(f"--range {printable(item)}: use whole numbers as LOW:HIGH") from None
        if not sep or high <= low:
            raise InputError(
                f"--range {printable(item)}: HIGH must be greater than LOW, as in 0:1000"
            )
        ranges[name] = (
            check_whole(low, f"--range {printable(name)} LOW", INT64_LIMITS),
            check_whole(high, f"--range {printable(name)} HIGH", INT64_LIMITS),
        )
    return ranges


def parse_positive_ints(text: str, option: str, limits: Limits = COUNT_LIMITS) -> tuple[int, ...]:
    """``"1,2,4"`` → ``(1, 2, 4)``."""
    values = _parse_list(text, option, int, "whole numbers")
    if min(values) < 1:
        raise InputError(f"{option} {printable(text)}: every value must be at least 1")
    return tuple(check_whole(v, option, limits) for v in values)


def parse_positive_floats(
    text: str, option: str, limits: Limits = RATE_LIMITS
) -> tuple[float, ...]:
    """``"10,20.5"`` → ``(10.0, 20.5)``."""
    values = _parse_list(text, option, float, "numbers")
    if any(math.isfinite(v) and v <= 0 for v in values):
        raise InputError(f"{option} {printable(text)}: every value must be greater than 0")
    return tuple(check_number(v, option, limits) for v in values)


def _parse_list(text: str, option: str, convert: Callable[[str], T], kind: str) -> tuple[T, ...]:
    try:
        values = tuple(convert(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise InputError(f"{option} {printable(text)}: give {kind} separated by commas") from None
    if not values:
        raise InputError(f"{option} {printable(text)}: give at least one value")
    return values


def parse_duration(text: str, option: str, limits: Limits = DURATION_LIMITS) -> float:
    """``"90"``, ``"90s"``, ``"2m"``, ``"1h"`` → seconds."""
    cleaned = text.strip().lower()
    scale = {"s": 1.0, "m": 60.0, "h": 3600.0}.get(cleaned[-1:])
    number = cleaned[:-1] if scale else cleaned
    try:
        seconds = float(number) * (scale or 1.0)
    except ValueError:
        raise InputError(
            f"{option} {printable(text)}: use seconds or a unit, e.g. 90, 90s, 2m"
        ) from None
    if math.isfinite(seconds) and seconds <= 0:
        raise InputError(f"{option} {printable(text)}: the duration must be positive")
    return check_number(seconds, option, limits)


def number_flag(limits: Limits) -> Callable[[str], float]:
    """An argparse ``type=`` that accepts a finite number within ``limits``."""
    return _flag(limits, float, "a number")


def whole_flag(limits: Limits) -> Callable[[str], int]:
    """An argparse ``type=`` that accepts a whole number within ``limits``."""
    return _flag(limits, int, "a whole number")


def _flag(limits: Limits, convert: Callable[[str], T], kind: str) -> Callable[[str], T]:
    def converted(text: str) -> T:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not {kind}; give {limits.describe()}"
            ) from None
        reason = problem(value, limits)
        if reason is not None:
            raise argparse.ArgumentTypeError(f"{printable(text.strip())} {reason}")
        return value

    return converted


def _split(item: str, option: str, form: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise InputError(f"{option} {printable(item)}: use {form}")
    return name.strip(), value.strip()
