"""The house style every chart shares: colours, markers, group ids, sizes and
matplotlib settings."""

from __future__ import annotations

import math
from collections.abc import Iterable

from cycler import cycler

# Okabe & Ito (2008) colour-universal-design palette.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#6E6E6E"
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK, YELLOW)

# Series beyond the first differ by marker and line style as well as colour.
MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")

SIGNAL_MARKER = "D"

# Group ids (before the per-chart prefix) that pages and tests can address.
GID_VALUES = "values"
GID_SIGNALS = "signals"
GID_LIMITS = "limits"
GID_CENTRE = "centre"
GID_CUMULATIVE = "cumulative"
GID_CUT = "cut"
GID_BAR = "bar"
GID_POINTS = "points"
GID_PRIORITY = "priority"

WIDE = (7.2, 3.4)  # inches; only the aspect ratio matters once inlined
MAX_X_LABELS = 12

_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "qms-charts",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=PALETTE),
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
}

Value = float | None


def _numbers(values: Iterable[Value]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]
