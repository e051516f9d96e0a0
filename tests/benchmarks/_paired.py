"""Paired A/B comparison for benchmarks on noisy, shared machines.

On a busy 2-core VM one round of a benchmark swings by ±30%, so rounds measured apart
cannot show a 2% difference. Here the two sides run in short windows back to back,
alternating which goes first (A B, B A, A B, ...), and each pair gives one ratio B/A: a
load change slower than one pair hits both sides of it alike. The result is the median
of the paired ratios, with its distribution-free 95% CI and the 10th-90th percentile
spread of single pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.profiling.stats import median_ci


@dataclass(frozen=True)
class Paired:
    """Median of paired ratios B/A, its 95% CI, and the spread of single ratios."""

    ratios: tuple[float, ...]
    median: float
    ci: tuple[float, float] | None
    p10: float
    p90: float

    def describe(self) -> str:
        ci = f"95% CI {self.ci[0]:.3f}-{self.ci[1]:.3f}" if self.ci else "CI needs 8 pairs"
        return (
            f"median ratio {self.median:.3f} ({ci}; single pairs p10-p90 "
            f"{self.p10:.3f}-{self.p90:.3f}, {len(self.ratios)} pairs)"
        )


def paired(a: Callable[[], float], b: Callable[[], float], pairs: int) -> Paired:
    """Run ``a`` and ``b`` alternately ``pairs`` times; statistics of ``b() / a()``."""
    ratios = []
    for k in range(pairs):
        if k % 2:
            second, first = b(), a()
        else:
            first, second = a(), b()
        ratios.append(second / first)
    values = np.asarray(ratios)
    ci = median_ci(values)
    return Paired(
        ratios=tuple(float(r) for r in ratios),
        median=float(np.median(values)),
        ci=(ci[1], ci[2]) if ci else None,
        p10=float(np.percentile(values, 10)),
        p90=float(np.percentile(values, 90)),
    )
