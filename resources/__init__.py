"""Data shipped with planner: catalogues, carbon intensities, scenarios and sample models."""
