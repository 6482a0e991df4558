"""The importance-performance grid (SVG), drawn like :mod:`qms.charts`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from qms.charts import BLUE, VERMILLION, render_figure

# Quadrant lines: the middle of the 1-5 scales.
MIDDLE = 3


@dataclass(frozen=True)
class GridPoint:
    label: str
    performance: int
    importance: int

    @property
    def is_gap(self) -> bool:
        """High importance, low performance: where to improve first."""
        return self.importance > MIDDLE and self.performance < MIDDLE


def grid_svg(points: Sequence[GridPoint], title: str) -> str:
    """x = current performance, y = importance; gaps drawn as large red
    triangles, the rest as blue circles (shape, not only colour, differs)."""

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        # Spread equal ratings a little so every need stays visible.
        seen: dict[tuple[int, int], int] = {}
        normal, gaps = ([], []), ([], [])
        for point in points:
            key = (point.performance, point.importance)
            n = seen.get(key, 0)
            seen[key] = n + 1
            offset = ((n % 5) - 2) * 0.07, ((n // 5) % 5 - 2) * 0.07
            target = gaps if point.is_gap else normal
            target[0].append(point.performance + offset[0])
            target[1].append(point.importance + offset[1])
        ax.scatter(*normal, color=BLUE, marker="o", s=24, label=_("Need"))
        ax.scatter(
            *gaps,
            color=VERMILLION,
            marker="^",
            s=70,
            label=_("High importance, low performance"),
        )
        ax.axvline(MIDDLE, color="#777777", linestyle="--", linewidth=1)
        ax.axhline(MIDDLE, color="#777777", linestyle="--", linewidth=1)
        ax.set_xlim(0.5, 5.5)
        ax.set_ylim(0.5, 5.5)
        ax.set_xticks(range(1, 6))
        ax.set_yticks(range(1, 6))
        ax.set_xlabel(_("Current performance"))
        ax.set_ylabel(_("Importance"))
        if points:
            ax.legend(loc="lower right", fontsize=7)

    return render_figure(draw, title, size=(4.5, 4.0))
