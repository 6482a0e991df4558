"""SVG charts drawn with matplotlib, for HTML pages and WeasyPrint PDFs alike.

Every function takes plain data (labels, numbers, ``None`` for a gap) and
returns SVG text ready to inline: no XML declaration or DOCTYPE, no fixed size
(``width="100%"`` and a ``viewBox``, so the chart scales to its container),
``role="img"`` with the title as ``aria-label`` and ``<title>``.

Output is deterministic, because approved reports are checksummed: no date in
the metadata, a fixed ``svg.hashsalt`` for clip-path and marker ids, and ids
prefixed with a hash of the chart itself so several charts on one page do not
clash. Text stays text (``svg.fonttype = "none"``, DejaVu Sans), so it can be
selected, searched and translated.

Colours come from the Okabe-Ito colour-blind-safe palette, and nothing relies
on colour alone: series differ in marker and line style, control-chart signals
are large diamonds, limits are dashed. Legend texts are translated with the
active language; labels and titles passed in are expected to be translated
already.

Figures are built from :class:`matplotlib.figure.Figure` directly (no pyplot
state); rcParams are set with :func:`matplotlib.rc_context` under a lock,
since rcParams are process-global.

Drawing is the costly part of a dashboard or a report (dozens of sparklines),
and the same data gives the same SVG, so each public chart function is
content-addressed in Django's cache: the key is a hash of the function, its
arguments (labels, numbers, options) and the active language (legend texts
are translated), for ``QMS_CHART_CACHE_SECONDS`` (a day by default; 0 turns
the cache off). A chart of a closed period is drawn once; a chart whose data
changed has another key and is drawn anew.

The package holds one module per chart family (:mod:`.series`: control
charts, lines, bars, Pareto charts, sparklines; :mod:`.quadrant`) beside the
shared style, rendering and cache; every public name is importable from
``qms.charts`` itself.
"""

from .caching import CACHE_VERSION, cache_key, cached_chart
from .quadrant import quadrant_chart_svg
from .rendering import render_figure
from .series import (
    bar_chart_svg,
    control_chart_svg,
    line_chart_svg,
    pareto_chart_svg,
    sparkline_svg,
)
from .style import (
    BLACK,
    BLUE,
    GID_BAR,
    GID_CENTRE,
    GID_CUMULATIVE,
    GID_CUT,
    GID_LIMITS,
    GID_POINTS,
    GID_PRIORITY,
    GID_SIGNALS,
    GID_VALUES,
    GREEN,
    GREY,
    LINESTYLES,
    MARKERS,
    ORANGE,
    PALETTE,
    PURPLE,
    SIGNAL_MARKER,
    SKY_BLUE,
    VERMILLION,
    WIDE,
    YELLOW,
    Value,
)

__all__ = [
    "BLACK",
    "BLUE",
    "CACHE_VERSION",
    "GID_BAR",
    "GID_CENTRE",
    "GID_CUMULATIVE",
    "GID_CUT",
    "GID_LIMITS",
    "GID_POINTS",
    "GID_PRIORITY",
    "GID_SIGNALS",
    "GID_VALUES",
    "GREEN",
    "GREY",
    "LINESTYLES",
    "MARKERS",
    "ORANGE",
    "PALETTE",
    "PURPLE",
    "SIGNAL_MARKER",
    "SKY_BLUE",
    "VERMILLION",
    "WIDE",
    "YELLOW",
    "Value",
    "bar_chart_svg",
    "cache_key",
    "cached_chart",
    "control_chart_svg",
    "line_chart_svg",
    "pareto_chart_svg",
    "quadrant_chart_svg",
    "render_figure",
    "sparkline_svg",
]
