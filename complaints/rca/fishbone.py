"""The Ishikawa (fishbone) diagram of a root-cause analysis, as SVG.

Same conventions as :mod:`qms.charts` (whose render helpers are private, so
the few lines needed are repeated here): plain data in, SVG text out, no XML
prologue, ``width="100%"`` with a ``viewBox``, ``role="img"`` and a
``<title>``, deterministic output (fixed ``svg.hashsalt``, no date), text
kept as text in DejaVu Sans.

A cause's status never rests on colour alone: confirmed causes have a solid
line, a filled circle and bold text; hypotheses a dashed line and an open
circle; rejected causes a dotted grey line and a cross.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from qms.charts import BLACK, BLUE, GREEN, GREY, render_figure

__all__ = ["CONFIRMED", "HYPOTHESIS", "REJECTED", "fishbone_svg"]

CONFIRMED = "confirmed"
HYPOTHESIS = "hypothesis"
REJECTED = "rejected"

# status: (line style, marker, marker face, colour, font weight)
STYLES = {
    CONFIRMED: ("-", "o", "full", GREEN, "bold"),
    HYPOTHESIS: ("--", "o", "none", BLUE, "normal"),
    REJECTED: (":", "x", "full", GREY, "normal"),
}

# (cause text, status, [(sub-cause text, status), ...])
Cause = tuple[str, str, Sequence[tuple[str, str]]]

# Fishbone labels are denser than chart labels.
_FONT = {"font.size": 8}

ROW = 1.0  # height of one text row, in data units
SUB_ROW = 0.8
BONE_SLANT = 0.6  # horizontal run of a bone per unit of height
LABEL_WIDTH = 30  # characters before a cause wraps
MAX_LINES = 2


def _wrap(text: str, width: int = LABEL_WIDTH) -> str:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = textwrap.shorten(lines[-1] + " …", width, placeholder=" …")
    return "\n".join(lines)


def _rows(causes: Sequence[Cause]) -> float:
    return sum(ROW + SUB_ROW * len(subs) for _text, _status, subs in causes)


def fishbone_svg(
    effect: str,
    categories: Mapping[str, Sequence[Cause]],
    title: str,
) -> str:
    """Fishbone diagram: the effect at the head, one bone per category
    (alternately above and below the spine, in the given order), each cause
    as a rib on its bone with its sub-causes listed under it."""
    names = list(categories)
    top = names[0::2]
    bottom = names[1::2]
    slots = max(len(top), len(bottom), 1)
    height = max([_rows(categories[n]) for n in names] + [2 * ROW]) + 1.5 * ROW
    run = BONE_SLANT * height
    spacing = max(run + 2.0, 11.0)
    spine_start = 0.0
    spine_end = spine_start + spacing * slots + 1.0
    head_width = 9.0

    def draw(figure: Figure) -> None:
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.plot([spine_start, spine_end], [0, 0], color=BLACK, linewidth=2, gid="spine")
        ax.annotate(
            "",
            xy=(spine_end + 0.2, 0),
            xytext=(spine_end - 0.5, 0),
            arrowprops={"arrowstyle": "-|>", "color": BLACK, "linewidth": 2},
        )
        ax.text(
            spine_end + 0.5,
            0,
            _wrap(effect, 24),
            ha="left",
            va="center",
            fontsize=9,
            fontweight="bold",
            bbox={
                "boxstyle": "round,pad=0.4",
                "facecolor": "white",
                "edgecolor": BLACK,
            },
            gid="effect",
        )
        number = 0
        for side, group in ((1, top), (-1, bottom)):
            for index, name in enumerate(group):
                # The bone meets the spine here and slants back to its label.
                x_join = spine_start + spacing * (index + 1)
                x_tip = x_join - run
                ax.plot(
                    [x_tip, x_join],
                    [side * height, 0],
                    color=BLACK,
                    linewidth=1.2,
                    gid=f"bone-{'top' if side > 0 else 'bottom'}-{index}",
                )
                ax.text(
                    x_tip,
                    side * (height + 0.3),
                    name,
                    ha="center",
                    va="bottom" if side > 0 else "top",
                    fontsize=9,
                    fontweight="bold",
                    bbox={
                        "boxstyle": "square,pad=0.3",
                        "facecolor": "#F2F2F2",
                        "edgecolor": BLACK,
                    },
                )
                level = height - 0.6 * ROW
                for text, status, subs in categories[name]:
                    number += 1
                    _rib(ax, text, status, subs, side, level, x_join, height, number)
                    level -= ROW + SUB_ROW * len(subs)
        _legend(figure)
        ax.set_xlim(spine_start - 14.0, spine_end + head_width)
        ax.set_ylim(-(height + 2.5), height + 2.5)

    width = min(max(8.0, (spine_end + head_width + 14) * 0.28), 16.0)
    size = (width, max(3.5, (2 * height + 5) * 0.22))

    def draw_small(figure: Figure) -> None:
        with matplotlib.rc_context(_FONT):
            draw(figure)

    return render_figure(
        draw_small, title, size=size, layout=None, css_class="qms-chart qms-fishbone"
    )


def _rib(ax, text, status, subs, side, level, x_join, height, number) -> None:
    style, marker, fill, colour, weight = STYLES.get(status, STYLES[HYPOTHESIS])
    y = side * level
    # Where the bone passes this height.
    x_bone = x_join - BONE_SLANT * height * (level / height)
    x_start = x_bone - 3.0
    ax.plot(
        [x_start, x_bone],
        [y, y],
        color=colour,
        linestyle=style,
        linewidth=1.2,
        marker=marker,
        markevery=[0],
        fillstyle=fill,
        markersize=5,
        gid=f"cause-{number}-{status}",
    )
    ax.text(
        x_start - 0.3,
        y,
        _wrap(text),
        ha="right",
        va="center",
        fontweight=weight,
        color=BLACK if status != REJECTED else GREY,
    )
    for position, (sub_text, sub_status) in enumerate(subs, start=1):
        _style, sub_marker, sub_fill, sub_colour, sub_weight = STYLES.get(
            sub_status, STYLES[HYPOTHESIS]
        )
        sub_y = y - side * SUB_ROW * position
        ax.plot(
            [x_start - 0.9],
            [sub_y],
            color=sub_colour,
            marker=sub_marker,
            fillstyle=sub_fill,
            markersize=4,
            linestyle="none",
            gid=f"sub-{number}-{position}-{sub_status}",
        )
        ax.text(
            x_start - 1.3,
            sub_y,
            _wrap(sub_text, LABEL_WIDTH + 4),
            ha="right",
            va="center",
            fontsize=7,
            fontstyle="italic",
            fontweight=sub_weight,
            color=BLACK if sub_status != REJECTED else GREY,
        )


def _legend(figure: Figure) -> None:
    handles = [
        Line2D(
            [],
            [],
            color=colour,
            linestyle=style,
            marker=marker,
            fillstyle=fill,
            label=label,
        )
        for (style, marker, fill, colour, _weight), label in (
            (STYLES[CONFIRMED], _("Confirmed")),
            (STYLES[HYPOTHESIS], _("Hypothesis")),
            (STYLES[REJECTED], _("Rejected")),
        )
    ]
    figure.legend(handles=handles, loc="lower left", ncols=3, frameon=False, fontsize=7)
