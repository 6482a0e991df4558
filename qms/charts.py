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
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from cycler import cycler
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

__all__ = [
    "PALETTE",
    "bar_chart_svg",
    "control_chart_svg",
    "line_chart_svg",
    "pareto_chart_svg",
    "quadrant_chart_svg",
    "sparkline_svg",
]

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

_LOCK = threading.Lock()

_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ROOT = re.compile(r"<svg\b[^>]*>")
_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|xlink:href="#|\bhref="#)([^)"]+)')
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>.*?</style>", re.DOTALL)
_DECLARATION = re.compile(r"^\s*([a-z-]+)\s*:\s*(.*?)\s*$")


def _presentation_attributes(match: re.Match[str]) -> str:
    """``style="fill: #fff; stroke: none"`` as ``fill="#fff" stroke="none"``.

    The page's Content-Security-Policy forbids inline styles, and a style
    attribute inside inline SVG counts as one; SVG presentation attributes
    draw the same and are not styles. Every property matplotlib writes (fill,
    stroke*, opacity, font-*, text-anchor, clip-path) has an attribute form.
    """
    attributes = []
    for declaration in match.group(1).split(";"):
        found = _DECLARATION.match(declaration)
        if found:
            name, value = found.groups()
            attributes.append(f" {name}={quoteattr(value)}")
    return "".join(attributes)


Value = float | None


def _numbers(values: Iterable[Value]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def render_figure(
    draw: Callable[[Figure], None],
    title: str,
    *,
    size: tuple[float, float] = WIDE,
    width: str = "100%",
    height: str | None = None,
    layout: str | None = "constrained",
    css_class: str = "qms-chart",
) -> str:
    """SVG text of a figure that ``draw`` fills, with the house style, fonts as
    text, deterministic output and the accessibility attributes. Apps with a
    chart of their own (fishbone, importance-performance grid) use this."""
    with _LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=size, layout=layout)
        draw(figure)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _finish(
        buffer.getvalue(), title, width=width, height=height, css_class=css_class
    )


def _finish(
    svg: str, title: str, *, width: str, height: str | None, css_class: str
) -> str:
    """Make matplotlib's SVG document inlineable (see the module docstring)."""
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _METADATA.sub("", svg, count=1)
    # The title is part of the hash: two charts of equal data with different
    # titles on one page must not share element ids.
    prefix = "chart-" + hashlib.sha256(f"{title}\0{svg}".encode()).hexdigest()[:10]
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    # matplotlib's one stylesheet rule ("* {stroke-linejoin: round;
    # stroke-linecap: butt}") becomes inherited attributes on the root, and
    # inline styles become presentation attributes (see above).
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = svg.replace("<defs>\n </defs>", "")
    svg = _STYLE_ATTRIBUTE.sub(_presentation_attributes, svg)
    root = _ROOT.search(svg)
    assert root is not None
    view_box = re.search(r'viewBox="[^"]*"', root.group(0))
    assert view_box is not None
    attributes = [
        'xmlns="http://www.w3.org/2000/svg"',
        'xmlns:xlink="http://www.w3.org/1999/xlink"',
        'version="1.1"',
        f'id="{prefix}"',
        f'class="{css_class}"',
        view_box.group(0),
        f'width="{width}"',
        'stroke-linejoin="round"',
        'stroke-linecap="butt"',
    ]
    if height is not None:
        attributes.append(f'height="{height}"')
    if title:
        attributes += ['role="img"', f"aria-label={quoteattr(title)}"]
        title_element = f"\n <title>{escape(title)}</title>"
    else:
        # A chart without a title is decoration next to its number.
        attributes.append('aria-hidden="true"')
        title_element = ""
    new_root = "<svg " + " ".join(attributes) + ">" + title_element
    return svg[: root.start()] + new_root + svg[root.end() :]


# Part of every cache key: bump it when a chart function draws differently
# for the same arguments, so no SVG of the old drawing is served.
CACHE_VERSION = 1
DEFAULT_CACHE_SECONDS = 24 * 3600


def _cache_seconds() -> int:
    return int(getattr(settings, "QMS_CHART_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def _plain(value):
    """Arguments as JSON-able data for the key; one-shot iterators become
    lists (they are passed on as lists too, see :func:`cached_chart`)."""
    if isinstance(value, Mapping):
        return [[str(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    # Lazy translations, numpy numbers: their text with their type, so a
    # string never collides with a number of the same spelling.
    return f"{type(value).__name__}:{value}"


def cache_key(name: str, args: tuple, kwargs: dict) -> str:
    """The cache key of chart ``name`` drawn from ``args``/``kwargs`` in the
    active language."""
    payload = json.dumps(
        [
            CACHE_VERSION,
            matplotlib.__version__,
            name,
            translation.get_language() or "",
            _plain(list(args)),
            sorted((k, _plain(v)) for k, v in kwargs.items()),
        ],
        allow_nan=True,
        separators=(",", ":"),
    )
    return "qms-chart:" + hashlib.sha256(payload.encode()).hexdigest()


def cached_chart(function: Callable[..., str]) -> Callable[..., str]:
    """Serve ``function``'s SVG from the cache when it was drawn from equal
    arguments in the same language; draw and store it otherwise."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> str:
        args = tuple(list(a) if isinstance(a, Iterator) else a for a in args)
        kwargs = {
            k: list(v) if isinstance(v, Iterator) else v for k, v in kwargs.items()
        }
        seconds = _cache_seconds()
        if seconds <= 0:
            return function(*args, **kwargs)
        key = cache_key(function.__qualname__, args, kwargs)
        svg = cache.get(key)
        if svg is None:
            svg = function(*args, **kwargs)
            cache.set(key, svg, seconds)
        return svg

    wrapper.uncached = function  # type: ignore[attr-defined]
    return wrapper


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
    show_title: bool = False,
) -> str:
    """Scatter of labelled points split into four quadrants by dashed lines
    at ``x_split`` / ``y_split`` (the medians of the plotted points when not
    given): an importance-performance grid. Points right of the x split and
    below the y split (important, performing worse) are drawn as diamonds in
    the group ``priority``, the others as circles in ``points``, so the
    priority items do not rely on colour. Points with a missing coordinate
    are left out."""
    if not len(labels) == len(xs) == len(ys):
        raise ValueError("labels, xs and ys differ in length")
    points = [
        (label, float(x), float(y))
        for label, x, y in zip(labels, xs, ys, strict=True)
        if x is not None and y is not None and math.isfinite(x) and math.isfinite(y)
    ]

    def middle(values: list[float]) -> float | None:
        if not values:
            return None
        ordered = sorted(values)
        half = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[half]
        return (ordered[half - 1] + ordered[half]) / 2

    cut_x = x_split if x_split is not None else middle([p[1] for p in points])
    cut_y = y_split if y_split is not None else middle([p[2] for p in points])

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        ax.grid(False)
        priority = [
            p for p in points if cut_x is not None and p[1] > cut_x and p[2] < cut_y
        ]
        others = [p for p in points if p not in priority]
        if others:
            ax.scatter(
                [p[1] for p in others],
                [p[2] for p in others],
                color=BLUE,
                marker="o",
                s=28,
                gid=GID_POINTS,
                label=_("Item"),
            )
        if priority:
            ax.scatter(
                [p[1] for p in priority],
                [p[2] for p in priority],
                color=VERMILLION,
                marker=SIGNAL_MARKER,
                s=46,
                gid=GID_PRIORITY,
                label=_("Priority: important, lower score"),
            )
        for label, x, y in points:
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
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        _title(ax, title, show_title)
        if points:
            figure.legend(loc="outside lower center", ncols=2)

    return render_figure(draw, title, size=(7.2, 4.4))
