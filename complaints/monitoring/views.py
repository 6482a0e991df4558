"""The complaints monitoring page: indicators per month, control charts,
recurring problems, and the monthly table as CSV."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import charts, statistics
from qms.access import require_perm
from qms.measures import Measure
from qms.models import Channel, OrgUnit
from qms.periods import month_start, months_between

from .. import measures
from ..models import Case, Category
from . import summary_figures
from .dashboard import Dashboard, dashboard
from .periods import PeriodRow, period_rows
from .scope import Filters, apply_filters, monitoring_scope, sees_every_case

DEFAULT_MONTHS = 12
MAX_MONTHS = 120
RECURRING_MIN = 10
RECURRING_DAYS = 30

ERR_PERIOD_ORDER = gettext_lazy("The first month must not be after the last.")
ERR_PERIOD_LENGTH = gettext_lazy("Choose at most %(months)s months.")


class MonthField(forms.DateField):
    """A month as ``YYYY-MM`` (the browser's month picker), as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]


class MonitoringForm(forms.Form):
    start = MonthField(label=gettext_lazy("From month"), required=False)
    end = MonthField(label=gettext_lazy("To month"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("All kinds")), *Case.Kind.choices],
        required=False,
    )
    channel = forms.ModelChoiceField(
        Channel.objects.all(),
        label=gettext_lazy("Channel"),
        empty_label=gettext_lazy("All channels"),
        required=False,
    )
    category = forms.ModelChoiceField(
        Category.objects.select_related("parent").order_by(
            "parent__sort_order", "parent__name", "sort_order", "name"
        ),
        label=gettext_lazy("Category"),
        empty_label=gettext_lazy("All categories"),
        required=False,
    )
    org_unit = forms.ModelChoiceField(
        OrgUnit.objects.all(),
        label=gettext_lazy("Unit"),
        empty_label=gettext_lazy("All units"),
        required=False,
    )
    recurring_min = forms.IntegerField(
        label=gettext_lazy("Recurring: at least … cases"),
        min_value=2,
        max_value=100_000,
        required=False,
    )
    recurring_days = forms.IntegerField(
        label=gettext_lazy("… within days"),
        min_value=1,
        max_value=366,
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(ERR_PERIOD_ORDER)
            if months_between(start, end) >= MAX_MONTHS:
                raise forms.ValidationError(
                    ERR_PERIOD_LENGTH, params={"months": MAX_MONTHS}
                )
        return data


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve complete months: a month still running would show a
    falsely low rate and a false signal on the control chart."""
    end = today.replace(day=1)
    return month_start(end, -DEFAULT_MONTHS), end


@dataclass(frozen=True)
class Selection:
    start: datetime.date
    end: datetime.date  # exclusive: the first day after the last month
    filters: Filters
    recurring_min: int
    recurring_days: int


def _selection(form: MonitoringForm) -> Selection:
    start, end = default_period(timezone.localdate())
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("start") or data.get("end"):
        first = data.get("start") or month_start(data["end"], 1 - DEFAULT_MONTHS)
        last = data.get("end") or month_start(first, DEFAULT_MONTHS - 1)
        start, end = first, month_start(last, 1)
    return Selection(
        start=start,
        end=end,
        filters=Filters.from_dict(data),
        recurring_min=data.get("recurring_min") or RECURRING_MIN,
        recurring_days=data.get("recurring_days") or RECURRING_DAYS,
    )


def month_label(day: datetime.date) -> str:
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def short_month(day: datetime.date) -> str:
    return formats.date_format(day, "M Y")


# --------------------------------------------------------------------------
# KPI tiles
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    base: str
    interval: str
    target: str
    meets_target: bool | None
    sparkline: str
    note: str = ""


def _number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    # number_format cuts extra decimals off; round so 2/3 shows as 66.7.
    return formats.number_format(
        round(value, decimals), decimals, use_l10n=True, force_grouping=True
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{_number(100 * value)} %"


def _measure_tile(measure: Measure, board: Dashboard) -> Tile:
    reading = measures.READINGS[measure.key]
    point = measures.point_from_row(board.total, reading)
    value = measure.value(point)
    interval = measure.interval(point)
    trend = [measure.value(measures.point_from_row(r, reading)) for r in board.rows]
    fmt = _percent if measure.kind == "share" else _number
    interval_text = ""
    if interval is not None and interval.low is not None:
        interval_text = _("95%% CI %(low)s to %(high)s") % {
            "low": fmt(interval.low),
            "high": fmt(interval.high),
        }
    base = {
        "share": _("n = %(n)s"),
        "rate": _("%(n)s cases"),
        "count": _("%(n)s cases"),
        "mean": _("n = %(n)s"),
    }[measure.kind] % {"n": _number(measure.base(point), 0)}
    return Tile(
        label=str(measure.label),
        value=fmt(value) if measure.kind != "count" else _number(value, 0),
        base=base,
        interval=interval_text,
        target=(
            _("target %(value)s") % {"value": fmt(measure.target)}
            if measure.target is not None
            else ""
        ),
        meets_target=measure.meets_target(value),
        sparkline=charts.sparkline_svg(trend, title=str(measure.label)),
        note=str(measure.unit) if measure.kind in ("rate",) else "",
    )


def _days_tile(label: str, total: PeriodRow, rows: list[PeriodRow], which: str):
    def median(row: PeriodRow):
        return row.ack_median if which == "ack" else row.close_median

    n = total.ack_days_n if which == "ack" else total.close_days_n
    p90 = total.ack_p90 if which == "ack" else total.close_p90
    return Tile(
        label=label,
        value=_days(median(total)),
        base=_("n = %(n)s") % {"n": _number(n, 0)},
        interval=_("90th percentile %(value)s") % {"value": _days(p90)},
        target="",
        meets_target=None,
        sparkline=charts.sparkline_svg([median(r) for r in rows], title=label),
        note=_("median, working days"),
    )


def tiles(board: Dashboard) -> list[Tile]:
    total = board.total
    cost = Tile(
        label=_("Remedy cost"),
        value=f"{_number(total.cost_sum, 2)} €",
        base=_("%(n)s cases with a remedy") % {"n": _number(total.cost_n, 0)},
        interval="",
        target="",
        meets_target=None,
        sparkline=charts.sparkline_svg(
            [r.cost_sum for r in board.rows], title=_("Remedy cost")
        ),
    )
    return [
        _measure_tile(measures.CASES, board),
        _measure_tile(measures.CASES_PER_1000, board),
        _measure_tile(measures.ACKNOWLEDGED_ON_TIME, board),
        _measure_tile(measures.ANSWERED_ON_TIME, board),
        _days_tile(_("Working days to acknowledge"), total, board.rows, "ack"),
        _days_tile(_("Working days to close"), total, board.rows, "close"),
        _measure_tile(measures.UPHELD, board),
        _measure_tile(measures.REOPENED, board),
        _measure_tile(measures.DISPUTED, board),
        cost,
    ]


# --------------------------------------------------------------------------
# Monthly table
# --------------------------------------------------------------------------


def _share_cell(successes: int, trials: int) -> str:
    if not trials:
        return "—"
    return f"{_percent(successes / trials)} ({successes}/{trials})"


def _days(value: float | None) -> str:
    # Percentiles of whole days are mostly whole: 2, not 2.0.
    if value is not None and float(value).is_integer():
        return _number(value, 0)
    return _number(value)


def _days_cell(median: float | None, p90: float | None) -> str:
    if median is None:
        return "—"
    return f"{_days(median)} / {_days(p90)}"


def table_row(row: PeriodRow, label: str) -> dict:
    """One line of the monthly table, formatted; every share shows its base."""
    return {
        "label": label,
        "cases": _number(row.cases, 0),
        "complaints": _number(row.received[Case.Kind.COMPLAINT], 0),
        "claims": _number(row.received[Case.Kind.CLAIM], 0),
        "disputes": _number(row.received[Case.Kind.DISPUTE], 0),
        "feedback": _number(row.feedback, 0),
        "rate": _number(row.rate),
        "ack": _share_cell(row.ack_on_time, row.ack_total),
        "answer": _share_cell(row.answer_on_time, row.answer_total),
        "ack_days": _days_cell(row.ack_median, row.ack_p90),
        "close_days": _days_cell(row.close_median, row.close_p90),
        "upheld": _share_cell(row.upheld, row.decided),
        "reopened": _share_cell(row.reopened, row.closed),
        "disputed": _share_cell(row.received["disputed"], row.received["disputable"]),
        "cost": _number(row.cost_sum, 2),
    }


# --------------------------------------------------------------------------
# Control charts
# --------------------------------------------------------------------------


def signal_texts(chart: statistics.ControlChart, labels: list[str]) -> list[str]:
    """The chart's signals in words, one line per point outside the limits
    and one per run of points on one side of the centre line."""
    texts = []
    runs: dict[str, list[int]] = {}
    for signal in chart.signals:
        if signal.rule == statistics.RULE_OUTSIDE_LIMITS:
            message = (
                _("%(period)s: above the upper control limit")
                if signal.side == statistics.ABOVE
                else _("%(period)s: below the lower control limit")
            )
            texts.append((signal.index, message % {"period": labels[signal.index]}))
        else:
            runs.setdefault(signal.side, []).append(signal.index)
    for side, indices in runs.items():
        # Every point from the run's 8th on carries a signal; report the run
        # once, from the point it began.
        groups: list[list[int]] = []
        for index in sorted(indices):
            if groups and index == groups[-1][-1] + 1:
                groups[-1].append(index)
            else:
                groups.append([index])
        for group in groups:
            first = _run_start(chart, group[0], side)
            message = (
                _(
                    "%(first)s to %(last)s: %(count)s points in a row above the "
                    "centre line"
                )
                if side == statistics.ABOVE
                else _(
                    "%(first)s to %(last)s: %(count)s points in a row below the "
                    "centre line"
                )
            )
            values = {
                "first": labels[first],
                "last": labels[group[-1]],
                "count": group[-1] - first + 1,
            }
            texts.append((first, message % values))
    return [text for _index, text in sorted(texts)]


def _run_start(chart: statistics.ControlChart, index: int, side: str) -> int:
    """The first point of the run of points on ``side`` that ``index`` ends."""

    def on_side(i: int) -> bool:
        value, limits = chart.values[i], chart.limits[i]
        if value is None or limits is None:
            return False
        if side == statistics.ABOVE:
            return value > limits.centre
        return value < limits.centre

    while index > 0 and on_side(index - 1):
        index -= 1
    return index


@dataclass(frozen=True)
class ChartView:
    title: str
    svg: str
    centre: str
    limits: str
    signals: list[str]


def _chart(
    chart: statistics.ControlChart,
    labels: list[str],
    long_labels: list[str],
    title: str,
    y_label: str,
    *,
    percent: bool,
) -> ChartView:
    """The SVG of a control chart with its centre, the range of its limits
    (they vary with each month's base) and its signals in words."""
    fmt = _percent if percent else _number
    lows = [v for v in chart.lower if v is not None]
    highs = [v for v in chart.upper if v is not None]
    limits = "—"
    if lows:
        limits = _("lower %(low)s to %(high)s, upper %(ulow)s to %(uhigh)s") % {
            "low": fmt(min(lows)),
            "high": fmt(max(lows)),
            "ulow": fmt(min(highs)),
            "uhigh": fmt(max(highs)),
        }
    return ChartView(
        title=title,
        svg=charts.control_chart_svg(
            labels,
            list(chart.values),
            chart.centre,
            list(chart.lower),
            list(chart.upper),
            chart.signal_indices,
            title,
            y_label,
            percent=percent,
        ),
        centre=fmt(chart.centre),
        limits=limits,
        signals=signal_texts(chart, long_labels),
    )


# --------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------


def _csv_number(value: float | None, decimals: int) -> str:
    return "" if value is None else f"{value:.{decimals}f}"


def _csv_median(value: float | None) -> str:
    # Medians of whole days are whole or halves; print 1 rather than 1.0.
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


CSV_COLUMNS = [
    (gettext_lazy("Month"), lambda r: f"{r.start:%Y-%m}"),
    (gettext_lazy("Cases"), lambda r: r.cases),
    *[
        (label, lambda r, kind=kind: r.received[kind])
        for kind, label in Case.Kind.choices
    ],
    (gettext_lazy("Customer-months"), lambda r: _csv_number(r.customer_months, 1)),
    (gettext_lazy("Cases per 1,000 customers"), lambda r: _csv_number(r.rate, 2)),
    (gettext_lazy("Acknowledged on time"), lambda r: r.ack_on_time),
    (gettext_lazy("Acknowledgement due"), lambda r: r.ack_total),
    (gettext_lazy("Answered on time"), lambda r: r.answer_on_time),
    (gettext_lazy("Answer due"), lambda r: r.answer_total),
    (
        gettext_lazy("Median working days to acknowledge"),
        lambda r: _csv_median(r.ack_median),
    ),
    (
        gettext_lazy("90th percentile working days to acknowledge"),
        lambda r: _csv_median(r.ack_p90),
    ),
    (
        gettext_lazy("Median working days to close"),
        lambda r: _csv_median(r.close_median),
    ),
    (
        gettext_lazy("90th percentile working days to close"),
        lambda r: _csv_median(r.close_p90),
    ),
    (gettext_lazy("Decided"), lambda r: r.decided),
    (gettext_lazy("Upheld fully or partly"), lambda r: r.upheld),
    (gettext_lazy("Closed"), lambda r: r.closed),
    (gettext_lazy("Reopened"), lambda r: r.reopened),
    (gettext_lazy("Complaints and claims"), lambda r: r.received["disputable"]),
    (gettext_lazy("Taken to an external body"), lambda r: r.received["disputed"]),
    (gettext_lazy("Remedy cost (€)"), lambda r: _csv_number(r.cost_sum, 2)),
]


def monthly_csv(
    rows: list[PeriodRow], start: datetime.date, end: datetime.date
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"complaints-{start:%Y-%m}-{month_start(end, -1):%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow([str(label) for label, _value in CSV_COLUMNS])
    for row in rows:
        writer.writerow([value(row) for _label, value in CSV_COLUMNS])
    return response


def survey_satisfaction(start: datetime.date, end: datetime.date) -> dict | None:
    """Satisfaction with complaint handling from the post-complaint survey
    (the surveys area's measure), or ``None`` when that area is not
    installed. Not split by the page's filters: answers are not tied to
    a channel or category."""
    from qms import measures as registry

    try:
        measure = registry.get("surveys.post_complaint_satisfaction")
    except KeyError:
        return None
    [point] = measure.points(start, end)
    interval = measure.interval(point)
    return {
        "label": str(measure.label),
        "value": _percent(measure.value(point)),
        "n": measure.base(point),
        "low": _percent(interval.low) if interval else "",
        "high": _percent(interval.high) if interval else "",
    }


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


@require_perm("complaints.view_case")
def monitoring_page(request: HttpRequest) -> HttpResponse:
    form = MonitoringForm(request.GET or None)
    selection = _selection(form)
    cases = apply_filters(monitoring_scope(request.user), selection.filters)
    # Readers of every case get the figures from the monthly summaries.
    summary = selection.filters if sees_every_case(request.user) else None
    if request.GET.get("format") == "csv":
        if summary is not None:
            rows = summary_figures.period_rows(
                summary, selection.start, selection.end, "month"
            )
        else:
            rows = period_rows(cases, selection.start, selection.end, "month")
        return monthly_csv(rows, selection.start, selection.end)
    board = dashboard(
        cases,
        selection.start,
        selection.end,
        recurring_min=selection.recurring_min,
        recurring_days=selection.recurring_days,
        empty_label=_("No category"),
        summary=summary,
    )
    months = [row.start for row in board.rows]
    labels = [short_month(m) for m in months]
    long_labels = [month_label(m) for m in months]
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "complaints/monitoring.html",
        {
            "form": form,
            "start": selection.start,
            "end": selection.end,
            "last_month": month_start(selection.end, -1),
            "recurring_min": selection.recurring_min,
            "recurring_days": selection.recurring_days,
            "board": board,
            "months": months,
            "tiles": tiles(board) if board.total.cases else [],
            "survey_satisfaction": survey_satisfaction(selection.start, selection.end),
            "table": [
                table_row(row, label)
                for row, label in zip(board.rows, long_labels, strict=True)
            ],
            "table_total": table_row(board.total, _("Whole period")),
            "rate_chart": _chart(
                board.rate_chart,
                labels,
                long_labels,
                _("Cases per 1,000 customers (u-chart)"),
                _("per 1,000 customers"),
                percent=False,
            ),
            "answer_chart": _chart(
                board.answer_chart,
                labels,
                long_labels,
                _("Answered on time (p-chart)"),
                _("share answered on time"),
                percent=True,
            ),
            "dispute_outcomes": [
                (
                    Case.DisputeOutcome(row["dispute_outcome"]).label
                    if row["dispute_outcome"]
                    else _("Not decided yet"),
                    row["n"],
                )
                for row in board.dispute_outcomes
            ],
            "csv_query": query.urlencode(),
        },
    )
