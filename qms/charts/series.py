"""Charts of values over categories or periods: control charts, lines, bars,
Pareto charts and sparklines."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from .axes import _category_axis, _name_bars, _start_at_zero, _title, _value_axis
from .caching import cached_chart
from .rendering import render_figure
from .style import (
    BLACK,
    BLUE,
    GID_CENTRE,
    GID_CUMULATIVE,
    GID_CUT,
    GID_LIMITS,
    GID_SIGNALS,
    GID_VALUES,
    GREY,
    LINESTYLES,
    MARKERS,
    PALETTE,
    SIGNAL_MARKER,
    SKY_BLUE,
    VERMILLION,
    Value,
    _numbers,
)


@cached_chart
def control_chart_svg(
    labels: Sequence[str],
    values: Sequence[Value],
    centre: float | None,
    lower: Sequence[Value],
    upper: Sequence[Value],
    signals: Iterable[int],
    title: str,
    y_label: str = "",
    *,
    percent: bool = False,
    show_title: bool = False,
) -> str:
    """A p- or u-chart: values, centre line, per-point limits as steps, signals.

    ``lower``/``upper`` hold one limit per point (``None`` where there is no
    base); they are drawn as dashed steps, so a limit that changes with the
    base changes between points. ``signals`` are indices of points a rule
    flagged (``ControlChart.signal_indices``); they get a large diamond.
    ``percent`` formats the value axis as a percentage of 1 (p-charts).
    """
    count = len(labels)
    for name, seq in (("values", values), ("lower", lower), ("upper", upper)):
        if len(seq) != count:
            raise ValueError(f"{name} has {len(seq)} points, labels {count}")
    ys = _numbers(values)
    flagged = sorted({i for i in signals if 0 <= i < count and math.isfinite(ys[i])})

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        edges = [i - 0.5 for i in range(count + 1)]
        if count:
            ax.stairs(
                _numbers(upper),
                edges,
                baseline=None,
                color=GREY,
                linestyle="--",
                linewidth=1,
                label=_("Control limits"),
                gid=f"{GID_LIMITS}-upper",
            )
            ax.stairs(
                _numbers(lower),
                edges,
                baseline=None,
                color=GREY,
                linestyle="--",
                linewidth=1,
                gid=f"{GID_LIMITS}-lower",
            )
        if centre is not None:
            ax.axhline(
                centre,
                color=BLACK,
                linewidth=1,
                label=_("Centre line"),
                gid=GID_CENTRE,
            )
        ax.plot(
            range(count),
            ys,
            color=BLUE,
            marker="o",
            markersize=4,
            linewidth=1.4,
            label=y_label or _("Value"),
            gid=GID_VALUES,
        )
        if flagged:
            ax.plot(
                flagged,
                [ys[i] for i in flagged],
                linestyle="none",
                marker=SIGNAL_MARKER,
                markersize=9,
                markerfacecolor=VERMILLION,
                markeredgecolor=BLACK,
                markeredgewidth=0.8,
                label=_("Signal"),
                gid=GID_SIGNALS,
                zorder=5,
            )
        _category_axis(ax, labels)
        # No forced zero baseline: the band between the limits is what matters.
        _value_axis(ax, y_label, percent)
        _title(ax, title, show_title)
        figure.legend(loc="outside lower center", ncols=4)

    return render_figure(draw, title)


@cached_chart
def line_chart_svg(
    labels: Sequence[str],
    series: Mapping[str, Sequence[Value]],
    title: str,
    y_label: str = "",
    *,
    percent: bool = False,
    show_title: bool = False,
) -> str:
    """One line per series over the same categories (periods).

    Series keys are the legend labels; each series gets its own colour, marker
    and line style. ``None`` leaves a gap.
    """
    count = len(labels)
    for name, seq in series.items():
        if len(seq) != count:
            raise ValueError(f"series {name!r} has {len(seq)} points, labels {count}")
    all_values: list[float] = []

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        for index, (name, seq) in enumerate(series.items()):
            ys = _numbers(seq)
            all_values.extend(ys)
            ax.plot(
                range(count),
                ys,
                color=PALETTE[index % len(PALETTE)],
                marker=MARKERS[index % len(MARKERS)],
                linestyle=LINESTYLES[index % len(LINESTYLES)],
                markersize=4,
                linewidth=1.4,
                label=name,
                gid=f"{GID_VALUES}-{index + 1}",
            )
        _category_axis(ax, labels)
        _value_axis(ax, y_label, percent)
        _start_at_zero(ax, all_values)
        _title(ax, title, show_title)
        if len(series) > 1:
            figure.legend(loc="outside lower center", ncols=min(len(series), 4))

    return render_figure(draw, title)


@cached_chart
def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[Value],
    title: str,
    y_label: str = "",
    *,
    percent: bool = False,
    show_title: bool = False,
) -> str:
    """Vertical bars, one per label."""
    if len(values) != len(labels):
        raise ValueError(f"values has {len(values)} points, labels {len(labels)}")
    ys = _numbers(values)

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        bars = ax.bar(range(len(ys)), ys, color=BLUE, width=0.7)
        _name_bars(bars)
        _category_axis(ax, labels)
        _value_axis(ax, y_label, percent)
        _start_at_zero(ax, ys)
        _title(ax, title, show_title)

    return render_figure(draw, title)


@cached_chart
def pareto_chart_svg(
    labels: Sequence[str],
    values: Sequence[float],
    cumulative_share: Sequence[Value],
    cut: float,
    title: str,
    y_label: str = "",
    *,
    vital_few: Sequence[bool] | None = None,
    show_title: bool = False,
) -> str:
    """Pareto chart: bars by value, cumulative share on a secondary axis
    (0-100 %) with the cut line.

    Pass rows in Pareto order (``qms.statistics.pareto``). With ``vital_few``
    the other bars are drawn lighter and hatched, so the split does not rest
    on colour alone.
    """
    count = len(labels)
    for name, seq in (("values", values), ("cumulative_share", cumulative_share)):
        if len(seq) != count:
            raise ValueError(f"{name} has {len(seq)} points, labels {count}")
    if vital_few is not None and len(vital_few) != count:
        raise ValueError(f"vital_few has {len(vital_few)} points, labels {count}")
    ys = _numbers(values)

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        if vital_few is None:
            colours = [BLUE] * count
            hatches = [""] * count
        else:
            colours = [BLUE if v else SKY_BLUE for v in vital_few]
            hatches = ["" if v else "//" for v in vital_few]
        bars = ax.bar(
            range(count),
            ys,
            color=colours,
            edgecolor=BLACK,
            linewidth=0.5,
            width=0.7,
        )
        _name_bars(bars)
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        _category_axis(ax, labels)
        _value_axis(ax, y_label, False)
        ax.set_ylim(bottom=0)
        share_ax = ax.twinx()
        share_ax.spines["right"].set_visible(True)
        share_ax.grid(False)
        share_ax.plot(
            range(count),
            _numbers(cumulative_share),
            color=VERMILLION,
            marker="s",
            markersize=4,
            linewidth=1.4,
            label=_("Cumulative share"),
            gid=GID_CUMULATIVE,
        )
        share_ax.axhline(
            cut,
            color=BLACK,
            linestyle=":",
            linewidth=1,
            label=_("Cut-off"),
            gid=GID_CUT,
        )
        share_ax.set_ylim(0, 1.05)
        share_ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        _title(ax, title, show_title)
        figure.legend(loc="outside lower center", ncols=2)

    return render_figure(draw, title)


@cached_chart
def sparkline_svg(values: Sequence[Value], width_em: float = 6, title: str = "") -> str:
    """A word-sized trend line for tables, ``width_em`` wide and a quarter as
    high; the last point is marked. Without a ``title`` it is hidden from
    screen readers (the number beside it says what matters)."""
    ys = _numbers(values)
    finite = [i for i, v in enumerate(ys) if math.isfinite(v)]

    def draw(figure: Figure) -> None:
        ax = figure.add_axes((0.03, 0.12, 0.94, 0.76))
        ax.set_axis_off()
        ax.plot(range(len(ys)), ys, color=BLUE, linewidth=1.2, gid=GID_VALUES)
        if finite:
            last = finite[-1]
            ax.plot(
                [last],
                [ys[last]],
                linestyle="none",
                marker="o",
                markersize=2.5,
                color=VERMILLION,
                gid="last",
            )
        ax.set_xlim(-0.2, max(len(ys) - 1, 1) + 0.2)
        if finite and min(ys[i] for i in finite) == max(ys[i] for i in finite):
            level = ys[finite[0]]
            ax.set_ylim(level - 1, level + 1)

    return render_figure(
        draw,
        title,
        size=(1.6, 0.4),
        width=f"{width_em:g}em",
        height=f"{width_em / 4:g}em",
        layout=None,
    )
