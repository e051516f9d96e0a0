"""Break-even month: the first month in which cumulative on-prem cost is at most the alternative's.

Pure numpy; any thread. Months are 1-based in results; 0 in the vectorised form means
"not within the horizon".
"""

from __future__ import annotations

import numpy as np


def breakeven_months(cum_onprem: np.ndarray, cum_alt: np.ndarray) -> np.ndarray:
    """Per row of (draws, months) cumulative costs: 1-based break-even month, 0 when never."""
    reached = np.atleast_2d(cum_onprem) <= np.atleast_2d(cum_alt)
    first = reached.argmax(axis=1) + 1
    return np.where(reached.any(axis=1), first, 0)


def breakeven_month(cum_onprem: np.ndarray, cum_alt: np.ndarray) -> int | None:
    """1-based break-even month of two cumulative series, or None when never reached."""
    month = int(breakeven_months(cum_onprem, cum_alt)[0])
    return month or None
