"""Reserved cloud capacity: reservations bought as demand needs them, each for its full term.

Pure numpy; any thread. In month m the fleet needs n(m) instances; reservations still
running cover a(m) of them, so n(m) - a(m) more are reserved (when positive), each for
``term`` months. The fleet in service is a(m) plus what was just reserved: it never
shrinks below what is reserved, even when demand falls. Months reserved beyond the
horizon are still owed; the caller charges them in the horizon's last month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Reserved:
    units: np.ndarray  # (D, M) instances reserved and billed in each month
    months_beyond: np.ndarray  # (D,) instance-months reserved past the horizon's end


def reserve(needed: np.ndarray, term: int, never_falls: bool = False) -> Reserved:
    """Reservations for (D, M) instances ``needed``, each lasting ``term`` months.

    When no draw's need ever falls, the fleet is the need and a reservation is renewed
    every ``term`` months, like hardware bought again at end of life: no month loop.
    """
    if never_falls:
        return _renewed(needed, term)
    by_month = np.ascontiguousarray(needed.T)  # a month's draws are contiguous
    months, draws = by_month.shape
    bought = np.zeros_like(by_month)
    units = np.empty_like(by_month)
    active = np.zeros(draws)
    for m in range(months):
        if m >= term:
            active -= bought[m - term]
        np.maximum(by_month[m] - active, 0.0, out=bought[m])
        active += bought[m]
        units[m] = active
    start = max(months - term, 0)
    overhang = np.arange(start, months) + term - months  # months past the end, per start month
    beyond = (bought[start:] * overhang[:, None]).sum(axis=0)  # no BLAS threads
    return Reserved(np.ascontiguousarray(units.T), beyond)


def _renewed(needed: np.ndarray, term: int) -> Reserved:
    bought = np.empty_like(needed)
    bought[:, 0] = needed[:, 0]
    np.subtract(needed[:, 1:], needed[:, :-1], out=bought[:, 1:])
    new = bought.copy()
    for shift in range(term, needed.shape[1], term):
        bought[:, shift:] += new[:, :-shift]
    months = needed.shape[1]
    start = max(months - term, 0)
    overhang = np.arange(start, months) + term - months
    return Reserved(needed, (bought[:, start:] * overhang).sum(axis=1))
