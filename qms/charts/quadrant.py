"""The quadrant chart: labelled points split into four by two lines, one
quadrant marked as the priority (importance-performance grids, key drivers)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from .axes import _title
from .caching import cached_chart
from .rendering import render_figure
from .style import (
    BLUE,
    GID_POINTS,
    GID_PRIORITY,
    GREY,
    SIGNAL_MARKER,
    VERMILLION,
    Value,
)

Quadrant = Literal["lower right", "upper left"]

# How far apart points with equal coordinates are drawn when ``spread``, in
# axis units.
SPREAD_STEP = 0.07


def _middle(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[half]
    return (ordered[half - 1] + ordered[half]) / 2


def _in_priority(
    x: float, y: float, cut_x: float | None, cut_y: float | None, quadrant: Quadrant
) -> bool:
    if cut_x is None or cut_y is None:
        return False
    if quadrant == "upper left":
        return x < cut_x and y > cut_y
    return x > cut_x and y < cut_y


def _spread(points: list[tuple[str, float, float]]) -> list[tuple[float, float]]:
    """Where to draw each point: points with equal coordinates are laid out
    in a small grid centred on their place (up to five across), so every
    point stays visible and a lone point stays where it is."""
    counts = Counter((x, y) for _label, x, y in points)
    seen: Counter[tuple[float, float]] = Counter()
    drawn = []
    for _label, x, y in points:
        n, total = seen[(x, y)], counts[(x, y)]
        seen[(x, y)] += 1
        across, down = min(total, 5), min(math.ceil(total / 5), 5)
        column, row = n % 5, (n // 5) % 5
        drawn.append(
            (
                x + (column - (across - 1) / 2) * SPREAD_STEP,
                y + (row - (down - 1) / 2) * SPREAD_STEP,
            )
        )
    return drawn


@cached_chart
def quadrant_chart_svg(
    labels: Sequence[str],
    xs: Sequence[Value],
    ys: Sequence[Value],
    title: str,
    x_label: str = "",
    y_label: str = "",
    *,
    x_split: float | None = None,
    y_split: float | None = None,
    priority: Quadrant = "lower right",
    scale: tuple[int, int] | None = None,
    spread: bool = False,
    annotate: bool = True,
    legend: tuple[str, str] | None = None,
    size: tuple[float, float] = (7.2, 4.4),
    show_title: bool = False,
) -> str:
    """Scatter of labelled points split into four quadrants by dashed lines
    at ``x_split`` / ``y_split`` (the medians of the plotted points when not
    given): an importance-performance grid. Points in the ``priority``
    quadrant are drawn as diamonds in the group ``priority``, the others as
    circles in ``points``, so the priority items do not rely on colour.
    Points with a missing coordinate are left out.

    ``priority`` is ``"lower right"`` (right of the x split and below the y
    split: importance on x, a score on y) or ``"upper left"`` (performance
    on x, importance on y). ``scale`` is the ``(lowest, highest)`` rating
    both axes share: each axis then shows every step of it. ``spread`` draws
    points with equal coordinates a little apart (ratings coincide often);
    they are classified by their true place. ``annotate`` writes each
    point's label beside it. ``legend`` names the ordinary and the priority
    points.
    """
    if not len(labels) == len(xs) == len(ys):
        raise ValueError("labels, xs and ys differ in length")
    points = [
        (label, float(x), float(y))
        for label, x, y in zip(labels, xs, ys, strict=True)
        if x is not None and y is not None and math.isfinite(x) and math.isfinite(y)
    ]
    cut_x = x_split if x_split is not None else _middle([p[1] for p in points])
    cut_y = y_split if y_split is not None else _middle([p[2] for p in points])
    drawn = _spread(points) if spread else [(p[1], p[2]) for p in points]
    flags = [_in_priority(p[1], p[2], cut_x, cut_y, priority) for p in points]

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        ax.grid(False)
        others = [xy for xy, flag in zip(drawn, flags, strict=True) if not flag]
        marked = [xy for xy, flag in zip(drawn, flags, strict=True) if flag]
        others_label, priority_label = legend or (
            _("Item"),
            _("Priority: important, lower score"),
        )
        if others:
            ax.scatter(
                [x for x, _y in others],
                [y for _x, y in others],
                color=BLUE,
                marker="o",
                s=28,
                gid=GID_POINTS,
                label=others_label,
            )
        if marked:
            ax.scatter(
                [x for x, _y in marked],
                [y for _x, y in marked],
                color=VERMILLION,
                marker=SIGNAL_MARKER,
                s=46,
                gid=GID_PRIORITY,
                label=priority_label,
            )
        if annotate:
            for (label, _x, _y), (x, y) in zip(points, drawn, strict=True):
                ax.annotate(
                    label,
                    (x, y),
                    xytext=(4, 3),
                    textcoords="offset points",
                    fontsize=7,
                )
        if cut_x is not None:
            ax.axvline(cut_x, color=GREY, linestyle="--", linewidth=0.8)
        if cut_y is not None:
            ax.axhline(cut_y, color=GREY, linestyle="--", linewidth=0.8)
        if scale is not None:
            low, high = scale
            for set_limits, set_ticks in (
                (ax.set_xlim, ax.set_xticks),
                (ax.set_ylim, ax.set_yticks),
            ):
                set_limits(low - 0.5, high + 0.5)
                set_ticks(range(low, high + 1))
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        _title(ax, title, show_title)
        if points:
            figure.legend(loc="outside lower center", ncols=2)

    return render_figure(draw, title, size=size)
