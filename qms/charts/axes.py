"""Axis conventions the charts share: category labels, value scales, titles."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .style import GID_BAR, MAX_X_LABELS


def _category_axis(ax: Axes, labels: Sequence[str]) -> None:
    count = len(labels)
    step = max(1, math.ceil(count / MAX_X_LABELS))
    ticks = list(range(0, count, step))
    ax.set_xticks(ticks, [str(labels[i]) for i in ticks])
    ax.set_xlim(-0.5, max(count, 1) - 0.5)
    if len(ticks) > 6 or any(len(str(label)) > 7 for label in labels):
        for text in ax.get_xticklabels():
            text.set(rotation=45, ha="right", rotation_mode="anchor")
    ax.grid(False, axis="x")


def _value_axis(ax: Axes, y_label: str, percent: bool) -> None:
    if y_label:
        ax.set_ylabel(y_label)
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=None))
    else:
        ax.yaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10]))


def _start_at_zero(ax: Axes, values: Iterable[float]) -> None:
    finite = [v for v in values if math.isfinite(v)]
    if not finite or min(finite) >= 0:
        ax.set_ylim(bottom=0)


def _name_bars(bars: Iterable[Artist]) -> None:
    # Ids must be unique, so each bar gets its own: "bar-1", "bar-2", ...
    for number, bar in enumerate(bars, start=1):
        bar.set_gid(f"{GID_BAR}-{number}")


def _title(ax: Axes, title: str, show_title: bool) -> None:
    if show_title and title:
        ax.set_title(title, loc="left")
