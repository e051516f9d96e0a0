"""Break-even as intervals: the months in which one cumulative cost is at most another's.

Pure numpy; any thread. With hardware bought again at end of life the curves can cross
more than once, so the answer is every interval, not the first month: a crossing that
later reverses is never reported as a break-even. Months are 1-based and intervals
inclusive.
"""

from __future__ import annotations

import numpy as np

from planner.core.plan_result import BreakEven


def cheaper_intervals(cum_a: np.ndarray, cum_b: np.ndarray) -> tuple[tuple[int, int], ...]:
    """1-based inclusive (first, last) months in which ``cum_a <= cum_b``."""
    cheaper = np.concatenate(([False], np.asarray(cum_a) <= np.asarray(cum_b), [False]))
    edges = np.flatnonzero(np.diff(cheaper.astype(np.int8)))
    return tuple((int(s) + 1, int(e)) for s, e in zip(edges[::2], edges[1::2], strict=True))


def breakeven_month(cum_onprem: np.ndarray, cum_alt: np.ndarray) -> int | None:
    """First month from which on-prem stays at most the alternative to the end; else None."""
    intervals = cheaper_intervals(cum_onprem, cum_alt)
    if intervals and intervals[-1][1] == len(cum_onprem):
        return intervals[-1][0]
    return None


def breakeven(
    onprem: str, alternative: str, cum_onprem: np.ndarray, cum_alt: np.ndarray, view: str
) -> BreakEven:
    """Every interval where on-prem is cheaper, and the difference at the horizon end."""
    return BreakEven(
        onprem=onprem,
        alternative=alternative,
        intervals=cheaper_intervals(cum_onprem, cum_alt),
        horizon=len(cum_onprem),
        difference_at_horizon=float(cum_alt[-1] - cum_onprem[-1]),
        view=view,
    )
