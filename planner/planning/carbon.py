"""Grid carbon intensity lookups, the country of a cloud region, and emissions from energy.

Pure functions; any thread. The shipped table is Our World in Data's carbon intensity of
electricity (2023, CC BY 4.0); every figure carries that attribution as provenance. A
cloud region's country comes from the provider's published region locations (AWS:
us-* in the United States, eu-central-1 Frankfurt, eu-west-2 London, eu-west-3 Paris,
eu-north-1 Stockholm, ap-northeast-1 Tokyo, ap-south-1 Mumbai, cn-* China); a region
not listed takes the scenario's country, and the figure says so.
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


_REGION_PREFIXES = (
    ("us-", "USA"),
    ("eu-central-1", "DEU"),
    ("eu-west-2", "GBR"),
    ("eu-west-3", "FRA"),
    ("eu-north-1", "SWE"),
    ("ap-northeast-1", "JPN"),
    ("ap-south-1", "IND"),
    ("cn-", "CHN"),
)


def region_country(region: str | None) -> str | None:
    """Carbon-table code of the country hosting a cloud region, or None when unknown."""
    if region is None:
        return None
    lowered = region.lower()
    return next((code for prefix, code in _REGION_PREFIXES if lowered.startswith(prefix)), None)


def emissions_kg(kwh: np.ndarray, g_per_kwh: float) -> np.ndarray:
    """CO2 in kg for energy in kWh at an intensity in gCO2/kWh."""
    return np.asarray(kwh) * g_per_kwh / 1000.0
