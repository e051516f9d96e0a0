"""The one check every number entering planner passes: finite, in its field's range, whole.

Pure functions; any thread. Scenario files, catalogue CSV, bundle JSON, command-line flags
and form fields all call :func:`check_number` (or :func:`check_optional`) with the field's
name and its :class:`Limits`, so a refusal always reads the same way: one line naming the
field, the value given and the range allowed. ``bool`` is refused where a number is meant
(TOML and JSON would otherwise let ``true`` pass as 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

from planner.core.errors import InputError


@dataclass(frozen=True)
class Limits:
    """The values a field accepts; ``why`` says where a cap comes from, for the message."""

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    whole: bool = False
    why: str = ""

    def describe(self) -> str:
        """The allowed range in words, e.g. 'a whole number from 1 to 1,200'."""
        kind = "a whole number" if self.whole else "a number"
        low, high = _bound(self.low), _bound(self.high)
        if math.isinf(self.low) and math.isinf(self.high):
            text = f"a finite {kind.removeprefix('a ')}"
        elif math.isinf(self.high):
            text = f"{kind} {'above' if self.low_open else 'of at least'} {low}"
        elif math.isinf(self.low):
            text = f"{kind} {'below' if self.high_open else 'of at most'} {high}"
        else:
            lo = "above " if self.low_open else "from "
            hi = "below " if self.high_open else "to "
            text = f"{kind} {lo}{low} {hi}{high}"
        return f"{text} ({self.why})" if self.why else text

    def admits(self, value: float) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below and (not self.whole or float(value).is_integer())


def _bound(value: float) -> str:
    if isinstance(value, int):  # exactly, 2**63 - 1 included (a float would round it)
        return f"{value:,}"
    return f"{value:,.0f}" if float(value).is_integer() and abs(value) >= 1000 else f"{value:g}"


#: Ranges used by many fields.
POSITIVE = Limits(low=0.0, low_open=True)
NON_NEGATIVE = Limits(low=0.0)
FRACTION = Limits(low=0.0, high=1.0)
SHARE_OPEN = Limits(low=0.0, high=1.0, low_open=True)
COUNT = Limits(low=1, whole=True)


def problem(value: object, limits: Limits = Limits()) -> str | None:
    """Why ``value`` is refused ("is not finite; give ..."), or None when it is accepted.

    Callers that word the field themselves (a CSV column, a command-line flag) put this
    after it; :func:`check_number` is the usual way in.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"is not a number; give {limits.describe()}"
    if isinstance(value, int) and abs(value) >= 2**63:  # finite, but beyond any count
        return f"is out of range; give {limits.describe()}"
    number = float(value)
    if not math.isfinite(number):
        return f"is not finite; give {limits.describe()}"
    if not limits.admits(number):
        return f"is out of range; give {limits.describe()}"
    return None


def check_number(value: object, field: str, limits: Limits = Limits()) -> float:
    """``value`` as a float if it is a finite number within ``limits``, else InputError.

    The message names ``field``, shows the value as given and states the allowed range,
    so a user can fix the one field without reading documentation.
    """
    reason = problem(value, limits)
    if reason is not None:
        raise InputError(f"{field} = {value!r} {reason}")
    return float(cast(float, value))  # problem() proved it is a finite int or float


def check_whole(value: object, field: str, limits: Limits = COUNT) -> int:
    """Like :func:`check_number` for counts: the value must be a whole number."""
    whole_limits = limits if limits.whole else Limits(**{**limits.__dict__, "whole": True})
    return int(check_number(value, field, whole_limits))


def check_optional(value: object, field: str, limits: Limits = Limits()) -> float | None:
    """``None`` stays None (a field left out); anything else must pass :func:`check_number`."""
    return None if value is None else check_number(value, field, limits)
