"""Series colours shared by the app's charts and the PDF report's, so a series looks the
same on screen and on paper. Twelve: enough for every cost component to have its own."""

from __future__ import annotations

SERIES_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#ad494a",
)
