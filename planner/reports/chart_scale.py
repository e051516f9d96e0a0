"""Which series a cost chart leaves out so the others stay readable. Pure; any thread.

A managed API priced per request can cost a hundred times what a server does; drawn on
one linear axis, every other option is a flat line at zero. The app hides such an option
by default (a box brings it back) and the PDF leaves it out of the line charts, saying
so in the caption; tables always show every option.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

#: An option is left out when its largest value is this many times everyone else's.
DWARF_RATIO = 8.0


def dwarfing(peaks: Mapping[str, float], ratio: float = DWARF_RATIO) -> set[str]:
    """Names whose value is more than ``ratio`` times the largest of the others.

    Needs at least three series, so that at least two remain to compare; non-finite
    values are never left out (they are not drawn anyway).
    """
    finite = {k: abs(v) for k, v in peaks.items() if math.isfinite(v)}
    if len(finite) < 3:
        return set()
    left_out: set[str] = set()
    for name in sorted(finite, key=finite.__getitem__, reverse=True):
        rest = [v for k, v in finite.items() if k != name and k not in left_out]
        if len(rest) < 2 or finite[name] <= ratio * max(rest):
            break
        left_out.add(name)
    return left_out
