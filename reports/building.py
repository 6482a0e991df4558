"""Assembling a report: find every area's section, compute its indicators
through the measure registry, suppress small cells, draft the summary.

The result is plain JSON-ready data (strings already in the report's
language), so the same dict drives the HTML page, the PDF and the frozen
snapshot of an issued report. Nothing here imports an area's models: areas
are reached only through ``<app>.reports.section`` and :mod:`qms.measures`.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from qms import charts, measures, statistics
from qms.discovery import discover
from qms.measures import MEAN, RATE, SHARE, Measure, Point
from qms.reporting import ReportPeriod, Section, SectionRequest

from .periods import period_code, period_label, short_label
from .texts import (
    ALPHA,
    BETTER,
    N_MIN,
    NO_CHANGE,
    NO_VALUE,
    SIGNAL_ORDER,
    SUPPRESSED,
    UNKNOWN,
    WORSE,
    draft_summary,
    format_value,
    indicator_signals,
    methods,
    suppress_small_cells,
)

__all__ = [
    "ALPHA",
    "BETTER",
    "NO_CHANGE",
    "NO_VALUE",
    "N_MIN",
    "SIGNAL_ORDER",
    "SUPPRESSED",
    "UNKNOWN",
    "WORSE",
    "build",
    "build_section",
    "compare",
    "format_value",
    "section_functions",
    "suppress_small_cells",
]

SCHEMA_VERSION = 1
# Trend length on sparklines.
TREND_POINTS = 8


# --------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------


SectionFunction = Callable[[SectionRequest], Section]


def section_functions() -> list[tuple[str, SectionFunction]]:
    """``(app label, section)`` of every installed app whose ``<app>.reports``
    module defines ``section``; a new area appears without changing this app."""
    return [
        (label, module.section)
        for label, module in discover("reports")
        if label != __package__ and callable(getattr(module, "section", None))
    ]


# --------------------------------------------------------------------------
# Periods of the trend
# --------------------------------------------------------------------------


def trend_periods(period: ReportPeriod, count: int) -> list[ReportPeriod]:
    """``count`` periods of the same kind ending with ``period``, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return list(reversed(periods))


def _periods_needed(period: ReportPeriod) -> int:
    """Enough periods for the sparkline and the same period a year earlier."""
    per_year = {"month": 12, "quarter": 4, "half": 2, "year": 1}[period.kind]
    return max(TREND_POINTS, per_year + 1)


def _grouped_call(
    measure: Measure,
    periods: list[ReportPeriod],
    filters: dict,
    until: datetime.date | None,
) -> measures.Call | None:
    """The one call covering every period (value, previous period, the same
    period a year earlier, sparkline), or ``None`` for half-years."""
    kind = periods[-1].kind
    if kind not in measures.PERIODS:
        return None
    end = min(periods[-1].end, until) if until else periods[-1].end
    return measures.Call(measure, periods[0].start, end, kind, filters)


def measure_points(
    measure: Measure,
    periods: list[ReportPeriod],
    filters: dict,
    until: datetime.date | None = None,
) -> list[Point]:
    """One point per period. Months, quarters and years come from one grouped
    call; half-years have no buckets in the registry, so each is one call
    with ``period=None`` (a fixed number of calls). A period still running
    is cut at ``until`` (exclusive), so its point covers only the days so far
    and its rate and count test use that shorter exposure."""
    end = min(periods[-1].end, until) if until else periods[-1].end
    call = _grouped_call(measure, periods, filters, until)
    if call is not None:
        points = measure.points(
            call.start, call.end, period=call.period, filters=filters
        )
        if len(points) == len(periods):
            return points
    return [
        measure.points(p.start, min(p.end, end), period=None, filters=filters)[0]
        for p in periods
    ]


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    direction: str  # BETTER / WORSE / NO_CHANGE / UNKNOWN
    p_value: float | None
    method: str


def compare(
    measure: Measure,
    current: Point,
    previous: Point,
    current_period: ReportPeriod,
    previous_period: ReportPeriod,
) -> Change:
    """Is the change from ``previous`` to ``current`` significant, and is it
    for the better? The test follows the measure's kind."""
    p_value: float | None = None
    significant = False
    method = ""
    if measure.kind == SHARE:
        result = statistics.two_proportion_z_test(
            current.successes, current.trials, previous.successes, previous.trials
        )
        method = result.method
        p_value = result.p_value
        diff = result.difference.estimate if result.difference else None
        significant = statistics.is_significant_change(
            p_value,
            diff,
            0.0,
            current.trials,
            previous.trials,
            alpha=ALPHA,
            n_min=N_MIN,
        )
    elif measure.kind == MEAN:
        if current.n >= 2 and previous.n >= 2:
            result = statistics.welch_t_test(
                current.n,
                current.sum_x,
                current.sum_x2,
                previous.n,
                previous.sum_x,
                previous.sum_x2,
            )
            method = result.method
            p_value = result.p_value
            diff = result.difference.estimate if result.difference else None
            significant = statistics.is_significant_change(
                p_value, diff, 0.0, current.n, previous.n, alpha=ALPHA, n_min=N_MIN
            )
    else:
        if measure.kind == RATE:
            exposures = (previous.exposure, current.exposure)
        else:  # a count: events per day of each period
            exposures = (
                (previous.end - previous.start).days,
                (current.end - current.start).days,
            )
        if min(exposures) > 0:
            result = statistics.poisson_rate_test(
                previous.count, exposures[0], current.count, exposures[1]
            )
            method = result.method
            p_value = result.p_two_sided
            significant = p_value is not None and p_value < ALPHA
    if p_value is None:
        return Change(UNKNOWN, None, method)
    if (
        measure.kind in (SHARE, MEAN)
        and min(measure.base(current), measure.base(previous)) < N_MIN
    ):
        # Too few cases on one side to call a change either way: "not
        # testable", not "no significant change".
        return Change(UNKNOWN, p_value, method)
    if not significant:
        return Change(NO_CHANGE, p_value, method)
    now, before = measure.value(current), measure.value(previous)
    if now is None or before is None or now == before:
        return Change(NO_CHANGE, p_value, method)
    up = now > before
    return Change(BETTER if up == measure.higher_is_better else WORSE, p_value, method)


def out_of_control(measure: Measure, points: list[Point]) -> bool:
    """Does the control chart (p for shares, u for rates) signal special-cause
    variation at the last point?"""
    chart = measure.control_chart(points)
    if chart is None:
        return False
    return bool(chart.signals_at(len(points) - 1))


def _value(measure: Measure, point: Point) -> float | None:
    value = measure.value(point)
    if value is not None and isinstance(value, float) and math.isnan(value):
        return None
    return value


def indicator_row(
    measure: Measure,
    periods: list[ReportPeriod],
    points: list[Point],
    *,
    label: str = "",
    url: str = "",
    scope_note: str = "",
) -> dict:
    """Everything a report shows for one indicator."""
    per_year = {"month": 12, "quarter": 4, "half": 2, "year": 1}[periods[-1].kind]
    current, previous = points[-1], points[-2]
    year_earlier = points[-1 - per_year] if len(points) > per_year else None
    value = _value(measure, current)
    change = compare(measure, current, previous, periods[-1], periods[-2])
    trend_values = [_value(measure, p) for p in points[-TREND_POINTS:]]
    label = label or str(measure.label)
    breach = measure.meets_target(value) is False
    return {
        "measure": measure.key,
        "label": label,
        "url": url,
        "kind": measure.kind,
        "unit": str(measure.unit),
        "higher_is_better": measure.higher_is_better,
        "value": value,
        "value_text": format_value(measure, value),
        "base": measure.base(current),
        "target": measure.target,
        "target_text": format_value(measure, measure.target)
        if measure.target is not None
        else "",
        "meets_target": measure.meets_target(value),
        "breach": breach,
        "previous": _value(measure, previous),
        "previous_text": format_value(measure, _value(measure, previous)),
        "year_earlier": _value(measure, year_earlier) if year_earlier else None,
        "year_earlier_text": format_value(measure, _value(measure, year_earlier))
        if year_earlier
        else NO_VALUE,
        "trend": trend_values,
        "trend_labels": [short_label(p) for p in periods[-TREND_POINTS:]],
        "sparkline": _unique_ids(
            charts.sparkline_svg(
                trend_values,
                title=_("%(label)s, last %(n)s periods")
                % {"label": label, "n": len(trend_values)},
            ),
            f"{measure.key}|{label}",
        ),
        "change": change.direction,
        "p_value": change.p_value,
        "method": change.method,
        "out_of_control": out_of_control(measure, points)
        if measure.kind in (SHARE, RATE)
        else False,
        "scope_note": scope_note,
    }


_CHART_ID = re.compile(r'id="(chart-[0-9a-f]+)"')


def _unique_ids(svg: str, name: str) -> str:
    """qms.charts derives element ids from the drawing, before the title is
    added, so two sparklines with the same values share ids; add a suffix
    from the indicator to keep ids unique on the page."""
    found = _CHART_ID.search(svg)
    if not found:
        return svg
    suffix = hashlib.sha256(name.encode()).hexdigest()[:6]
    return svg.replace(found.group(1), f"{found.group(1)}{suffix}")


def _filters_for(measure: Measure, filters: dict, unit) -> tuple[dict, str]:
    """The indicator's filters plus the report's unit where the measure can be
    split by unit; otherwise a note that the figure is organisation-wide."""
    filters = dict(filters)
    if unit is None:
        return filters, ""
    for name in ("unit", "org_unit"):
        if name in measure.filter_names:
            filters[name] = unit.pk
            return filters, ""
    return filters, _("whole organisation")


# --------------------------------------------------------------------------
# Decisions of earlier reports
# --------------------------------------------------------------------------


def earlier_decisions(period: ReportPeriod, unit, today: datetime.date) -> list[dict]:
    """Decisions of the previous issued report of the same kind and unit, and
    every older decision still open. Two queries."""
    from .models import Report, ReportDecision

    previous = (
        Report.objects.issued()
        .filter(kind=period.kind, org_unit=unit, period_start__lt=period.start)
        .order_by("-period_start", "-issued_at")
        .values_list("pk", flat=True)
        .first()
    )
    condition = Q(
        status=ReportDecision.Status.OPEN, report__period_start__lt=period.start
    )
    if previous:
        condition |= Q(report_id=previous)
    decisions = (
        ReportDecision.objects.filter(condition)
        .select_related("owner", "report")
        .order_by("due_date", "pk")
    )
    return [
        {
            "id": d.pk,
            "report": d.report.period_label,
            "text": d.text,
            "owner": d.owner.get_full_name() or d.owner.get_username(),
            "due_date": formats.date_format(d.due_date, "SHORT_DATE_FORMAT"),
            "status": d.status,
            "status_label": str(d.get_status_display()),
            "outcome": d.outcome,
            "overdue": d.is_overdue(today),
        }
        for d in decisions
    ]


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------


def _indicator_filters(section: Section, unit) -> list[tuple[Measure, dict, str]]:
    found = []
    for indicator in section.indicators:
        measure = measures.get(indicator.measure)
        filters, note = _filters_for(measure, indicator.filters, unit)
        found.append((measure, filters, note))
    return found


def build_section(
    section: Section,
    periods: list[ReportPeriod],
    unit,
    until: datetime.date | None = None,
) -> dict:
    rows = []
    for indicator, (measure, filters, note) in zip(
        section.indicators, _indicator_filters(section, unit), strict=True
    ):
        points = measure_points(measure, periods, filters, until)
        rows.append(
            indicator_row(
                measure,
                periods,
                points,
                label=str(indicator.label),
                url=indicator.url,
                scope_note=note,
            )
        )
    signals = [s for row in rows for s in indicator_signals(row)]
    signals += [
        {"level": s.level, "text": str(s.text), "url": s.url} for s in section.signals
    ]
    return {
        "key": section.key,
        "title": str(section.title),
        "order": section.order,
        "indicators": rows,
        "tables": [suppress_small_cells(t) for t in section.tables],
        "signals": signals,
        "charts": list(section.charts),
        "notes": [str(n) for n in section.notes],
    }


def build(
    period: ReportPeriod,
    *,
    unit=None,
    language: str = "en",
    today: datetime.date | None = None,
    with_tables: bool = True,
) -> dict:
    """The whole report content for ``period`` (and ``unit``) in ``language``.

    The number of queries depends on the sections, never on the amount of
    data nor on the number of indicators of one measure: the build runs
    under :func:`qms.measures.memoized`, so a measure asked twice for the
    same range (by two sections, or by a section and its indicator rows) is
    computed once; every measure is asked once for the whole trend (value,
    previous period, year earlier and sparkline are sliced from it; eight
    calls for half-years), and the indicators of a measure that can batch
    (one per promise) are computed by one grouped query.
    """
    today = today or timezone.localdate()
    periods = trend_periods(period, _periods_needed(period))
    # A period still running (a draft for the current month) is cut at today.
    until = today + datetime.timedelta(days=1)
    running = period.end > until
    request = SectionRequest(period=period, unit=unit, language=language)
    with translation.override(language), measures.memoized():
        raw_sections = []
        for _label, function in section_functions():
            section = function(request)
            if not with_tables:
                section.tables = []
                section.charts = []
            raw_sections.append(section)
        calls = [
            _grouped_call(measure, periods, filters, until)
            for section in raw_sections
            for measure, filters, _note in _indicator_filters(section, unit)
        ]
        measures.prefetch(c for c in calls if c is not None)
        sections = [
            build_section(section, periods, unit, until) for section in raw_sections
        ]
        sections.sort(key=lambda s: (s["order"], s["key"]))
        signals = [s for section in sections for s in section["signals"]]
        signals.sort(key=lambda s: SIGNAL_ORDER.index(s["level"]))
        label = period_label(period)
        rows = [row for section in sections for row in section["indicators"]]
        return {
            "schema": SCHEMA_VERSION,
            "period": {
                "kind": period.kind,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "label": label,
                "code": period_code(period),
            },
            "unit": {"id": unit.pk, "name": unit.name} if unit else None,
            "running_until": today.isoformat() if running else None,
            "language": language,
            "generated_at": timezone.now().isoformat(),
            "sections": sections,
            "signals": signals,
            "summary_draft": draft_summary(signals, label),
            "decisions": earlier_decisions(period, unit, today) if with_tables else [],
            "methods": methods(rows),
        }
