"""What a report says about its figures: small cells suppressed, the signals
of each indicator, the drafted summary and the methods appendix (see
:mod:`reports.building`, which assembles the report)."""

from __future__ import annotations

import math

from django.utils import formats
from django.utils.translation import gettext as _

from qms import measures
from qms.measures import COUNT, MEAN, RATE, SHARE, Measure
from qms.reporting import MIN_CELL

# Significance level and the smallest base both periods need before a change
# in a share or a mean is called significant (qms.statistics F4).
ALPHA = 0.05
N_MIN = 30
SUPPRESSED = "·"
NO_VALUE = "\N{EN DASH}"

# How a change compares with the previous period.
BETTER = "better"
WORSE = "worse"
NO_CHANGE = "none"
UNKNOWN = "unknown"

SIGNAL_ORDER = ("breach", "change", "out_of_control", "overdue", "info")


def format_value(measure: Measure, value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_VALUE
    if measure.kind == SHARE:
        percent = formats.number_format(value * 100, 1, use_l10n=True)
        return f"{percent}\N{NO-BREAK SPACE}%"
    if measure.kind == COUNT:
        return formats.number_format(
            round(value), 0, use_l10n=True, force_grouping=True
        )
    return formats.number_format(value, 2, use_l10n=True)


# --------------------------------------------------------------------------
# Tables, signals, summary
# --------------------------------------------------------------------------


def suppress_small_cells(table) -> dict:
    """The table as data; rows resting on 1-4 cases lose every figure (the
    base shows "<5"), so no cell can point at a customer."""
    rows = []
    suppressed = 0
    column = table.base_column
    for row in table.rows:
        row = list(row)
        if column is not None:
            base = row[column]
            if isinstance(base, (int, float)) and 0 < base < MIN_CELL:
                suppressed += 1
                row = [
                    row[0]
                    if i == 0
                    else (f"<{MIN_CELL}" if i == column else SUPPRESSED)
                    for i in range(len(row))
                ]
        rows.append([_plain(cell) for cell in row])
    return {
        "title": str(table.title),
        "columns": [str(c) for c in table.columns],
        "rows": rows,
        "note": str(table.note),
        "base_column": column,
        "suppressed": suppressed,
    }


def _plain(cell):
    if cell is None or isinstance(cell, (bool, int, float, str)):
        return cell
    if hasattr(cell, "isoformat"):
        return formats.date_format(cell, "SHORT_DATE_FORMAT")
    try:
        return float(cell)
    except (TypeError, ValueError):
        return str(cell)


def indicator_signals(row: dict) -> list[dict]:
    found = []
    if row["breach"]:
        found.append(
            {
                "level": "breach",
                "text": _("%(label)s: %(value)s against a target of %(target)s.")
                % {
                    "label": row["label"],
                    "value": row["value_text"],
                    "target": row["target_text"],
                },
                "url": row["url"],
            }
        )
    if row["change"] in (BETTER, WORSE):
        text = (
            _("%(label)s improved significantly: %(previous)s → %(value)s.")
            if row["change"] == BETTER
            else _("%(label)s worsened significantly: %(previous)s → %(value)s.")
        )
        found.append(
            {
                "level": "change",
                "text": text
                % {
                    "label": row["label"],
                    "previous": row["previous_text"],
                    "value": row["value_text"],
                },
                "url": row["url"],
            }
        )
    if row["out_of_control"]:
        found.append(
            {
                "level": "out_of_control",
                "text": _(
                    "%(label)s: the control chart signals special-cause "
                    "variation in this period (%(value)s)."
                )
                % {"label": row["label"], "value": row["value_text"]},
                "url": row["url"],
            }
        )
    return found


def draft_summary(signals: list[dict], period_text: str) -> str:
    """A first draft of the executive summary from the signals; the quality
    manager edits it before issue."""
    if not signals:
        return _(
            "In %(period)s no indicator missed its target or changed "
            "significantly, and no action is overdue."
        ) % {"period": period_text}
    headings = {
        "breach": _("Targets missed"),
        "change": _("Significant changes"),
        "out_of_control": _("Special-cause variation"),
        "overdue": _("Overdue actions"),
        "info": _("Also noted"),
    }
    lines = []
    for level in SIGNAL_ORDER:
        texts = [s["text"] for s in signals if s["level"] == level]
        if texts:
            lines.append(f"{headings[level]}:")
            lines.extend(f"- {text}" for text in texts)
            lines.append("")
    return "\n".join(lines).strip()


# --------------------------------------------------------------------------
# Methods appendix
# --------------------------------------------------------------------------


def _kind_texts() -> dict[str, tuple[str, str, str]]:
    """(kind, base, test) per measure kind, in the active language."""
    return {
        COUNT: (
            _("Count"),
            _("events"),
            _("Exact Poisson test of the counts per day (conditional binomial)."),
        ),
        RATE: (
            _("Rate per exposure"),
            _("events and exposure"),
            _(
                "Exact Poisson rate test (conditional binomial); u-chart with "
                "3-sigma limits and the 8-point run rule."
            ),
        ),
        SHARE: (
            _("Share"),
            _("trials"),
            _(
                "Two-proportion z-test (pooled); p-chart with 3-sigma limits and "
                "the 8-point run rule."
            ),
        ),
        MEAN: (
            _("Mean"),
            _("observations"),
            _("Welch's t-test from n, Σx and Σx²."),
        ),
    }


def methods(rows: list[dict]) -> dict:
    kinds = _kind_texts()
    seen: dict[str, dict] = {}
    for row in rows:
        if row["measure"] in seen:
            continue
        measure = measures.get(row["measure"])
        kind, base, test = kinds[measure.kind]
        seen[row["measure"]] = {
            "label": str(measure.label),
            "description": str(measure.description),
            "kind": kind,
            "unit": str(measure.unit),
            "base": base,
            "test": test,
            "direction": _("higher is better")
            if measure.higher_is_better
            else _("lower is better"),
            "target": format_value(measure, measure.target)
            if measure.target is not None
            else NO_VALUE,
        }
    return {
        "indicators": list(seen.values()),
        "notes": [
            _(
                "Each figure is the area's own registered indicator for the "
                "period; the previous period and the same period a year earlier "
                "are computed the same way."
            ),
            _(
                "A change is called significant when p < %(alpha)s and, for "
                "shares and means, both periods rest on at least %(n)s cases; "
                "otherwise it is treated as noise."
            )
            % {"alpha": formats.number_format(ALPHA, 2, use_l10n=True), "n": N_MIN},
            _(
                "Control charts compare the period with the preceding periods; a "
                "point outside the 3-sigma limits or a run of 8 on one side of the "
                "centre line signals special-cause variation."
            ),
            _(
                "Table rows resting on fewer than %(n)s cases are suppressed so "
                "that no figure can identify a customer or respondent."
            )
            % {"n": MIN_CELL},
        ],
    }
