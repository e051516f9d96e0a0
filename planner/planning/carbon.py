"""Grid carbon intensity lookups and emissions from energy.

Pure functions; any thread. The shipped table is Our World in Data's carbon intensity of
electricity (2023, CC BY 4.0); every figure carries that attribution as provenance.
"""

from __future__ import annotations

import numpy as np

from planner.core.errors import ScenarioError
from planner.core.plan import Provenance, row_provenance
from planner.planning.catalog import Catalog


def intensity(catalog: Catalog, code: str) -> tuple[float, Provenance]:
    """Grid intensity in gCO2/kWh for a country code, with its provenance."""
    row = catalog.carbon_row(code)
    if row is None:
        known = ", ".join(r.code for r in catalog.carbon) or "none loaded"
        raise ScenarioError(f"no carbon intensity for {code!r}; use one of: {known}")
    detail = f"grid intensity {row.country} {row.g_co2_per_kwh:g} gCO2/kWh ({row.year})"
    return row.g_co2_per_kwh, row_provenance(row, detail)


def emissions_kg(kwh: np.ndarray, g_per_kwh: float) -> np.ndarray:
    """CO2 in kg for energy in kWh at an intensity in gCO2/kWh."""
    return np.asarray(kwh) * g_per_kwh / 1000.0
