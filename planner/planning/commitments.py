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


def reserve(needed: np.ndarray, term: int) -> Reserved:
    """Reservations for (D, M) instances ``needed``, each lasting ``term`` months."""
    draws, months = needed.shape
    bought = np.zeros_like(needed)
    units = np.empty_like(needed)
    active = np.zeros(draws)
    for m in range(months):
        if m >= term:
            active -= bought[:, m - term]
        more = np.maximum(needed[:, m] - active, 0.0)
        bought[:, m] = more
        active += more
        units[:, m] = active
    start = max(months - term, 0)
    overhang = np.arange(start, months) + term - months  # months past the end, per start month
    return Reserved(units, bought[:, start:] @ overhang.astype(float))
