"""The arrays a cost model returns for one option, and the helpers every kind shares.

Pure numpy; any thread. Arrays are (draws, months); an absent cost component is a (1, 1)
zero that broadcasts when components are summed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.planning.demand import Factors

_EPS = 1e-9
NONE = np.zeros((1, 1))  # an absent cost component, broadcast to (D, M) when summed


@dataclass(frozen=True)
class OptionArrays:
    components: dict[str, np.ndarray]  # (D, M) cost per component
    units: np.ndarray | None  # (D, M)
    energy_kwh: np.ndarray | None  # (D, M) facility energy
    util_avg: np.ndarray | None  # (D, M) average load / capacity in service
    util_peak: np.ndarray | None  # (D, M) peak load / capacity in service
    book_value: np.ndarray | None  # (D, 1) hardware book value at horizon end (on-prem)
    # (D, M) the monthly total in the months the money is paid, where the components book
    # it at other times (straight-line capex); None when they coincide.
    paid: np.ndarray | None = None

    @property
    def monthly_total(self) -> np.ndarray:
        """(D, M) sum of the components, as booked."""
        return sum_components(self.components)

    @property
    def cash_flow(self) -> np.ndarray:
        """(D, M) what is paid each month: the series net present value discounts.

        Discounting a booking convention's spread payments would be a free loan; the money
        leaves when the hardware is bought, whatever the accounts say.
        """
        return self.monthly_total if self.paid is None else self.paid


def sum_components(components: dict[str, np.ndarray]) -> np.ndarray:
    """(D, M) sum of cost components (columns and constants are added once, together)."""
    parts = [np.asarray(p) for p in components.values()]
    shape = np.broadcast_shapes(*(p.shape for p in parts))
    full = [p for p in parts if p.shape == shape]
    total = full[0].copy() if full else np.zeros(shape)
    for part in full[1:]:
        total += part
    small = [p for p in parts if p.shape != shape]
    if small:
        total += sum(small[1:], small[0])
    return total


def units_for(rate: np.ndarray, capacity: np.ndarray, util: np.ndarray, spare: int) -> np.ndarray:
    """Units serving ``rate`` at ``util`` of ``capacity`` each, plus ``spare`` for redundancy."""
    units: np.ndarray = rate / (capacity * util)
    units -= _EPS
    np.ceil(units, out=units)
    units += spare
    return units


def staff(fte: float, cost_per_year: float, f: Factors, factor: str) -> np.ndarray:
    """(D, 1) operations staff per month (every option kind has some).

    ``factor`` is "staff_onprem" or "staff_rented": a common multiplier would move every
    option alike, and the tornado could not show staff deciding between them.
    """
    return np.asarray(fte * cost_per_year / 12.0 * f(factor))
