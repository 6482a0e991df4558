"""The complaints area's section of the management report (issue 9).

Figures come from :mod:`complaints.monitoring` and :mod:`complaints.rca`, the
same functions as the monitoring and Pareto pages, so the report and the
pages agree. No customer appears by name: tables count cases.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from qms import charts, statistics
from qms.measures import local_midnight, period_buckets
from qms.periods import month_start
from qms.reporting import Indicator, Section, SectionRequest, Signal, Table

from .models import Case
from .monitoring import summary_figures
from .monitoring.dashboard import cross_table
from .monitoring.scope import Filters, handled
from .monitoring.selectors import recurring_problems
from .rca.selectors import BY_ROOT_CAUSE, in_period, pareto_breakdown

INDICATORS = (
    "complaints.cases",
    "complaints.cases_per_1000_customers",
    "complaints.acknowledged_on_time_share",
    "complaints.on_time_share",
    "complaints.days_to_acknowledge",
    "complaints.days_to_close",
    "complaints.upheld_share",
    "complaints.reopen_share",
    "complaints.dispute_share",
    "complaints.remedy_cost",
)
# Months on the control chart of the rate.
CHART_MONTHS = 12
RECURRING_MIN = 10
RECURRING_DAYS = 30
# Recurring problems named in the executive summary; the table lists all.
RECURRING_SIGNALS = 3


def _last_month(end: datetime.date) -> datetime.date:
    return (end - datetime.timedelta(days=1)).replace(day=1)


def monitoring_url(start: datetime.date, end: datetime.date, unit=None) -> str:
    query = {"start": f"{start:%Y-%m}", "end": f"{_last_month(end):%Y-%m}"}
    if unit is not None:
        query["org_unit"] = unit.pk
    return f"{reverse('complaints:monitoring')}?{urlencode(query)}"


def section(request: SectionRequest) -> Section:
    period, unit = request.period, request.unit
    start, end = period.start, period.end
    # The report reads every case (no reader scope), so its counts come from
    # the monthly summaries where they cover the period
    # (complaints.monitoring.summary_figures).
    narrow = summary_figures.Narrow.of(
        Filters(org_unit=unit.pk if unit is not None else None)
    )
    cases = narrow(Case.objects.all())
    url = monitoring_url(start, end, unit)
    result = Section(
        key="complaints",
        title=_("Complaints, claims and disputes"),
        order=40,
        indicators=[Indicator(key, url=url) for key in INDICATORS],
    )

    # Volume by kind, channel and main category.
    (total,) = summary_figures.period_rows(
        narrow, start, end, None, parts=("received",)
    )
    received = total.received
    result.tables.append(
        Table(
            title=_("Cases received by kind"),
            columns=[_("Kind"), _("Cases")],
            rows=[
                [label, received.get(value) or 0] for value, label in Case.Kind.choices
            ],
            base_column=1,
        )
    )
    for dimension, title, column in (
        ("channel", _("Cases received by channel"), _("Channel")),
        ("main_category", _("Cases received by category"), _("Category")),
    ):
        rows = summary_figures.received_by(narrow, start, end, dimension)
        keys = [key for key, _lo, _hi in period_buckets(start, end, "month")]
        table = cross_table(rows, keys, _("Not categorised"))
        result.tables.append(
            Table(
                title=title,
                columns=[column, _("Cases")],
                rows=[[row.label, row.total] for row in table],
                base_column=1,
            )
        )

    # Outcomes and remedy cost of the decisions made in the period.
    decided = (
        cases.filter(
            decided_at__gte=local_midnight(start), decided_at__lt=local_midnight(end)
        )
        .exclude(outcome="")
        .values("outcome")
        .annotate(n=Count("id"), cost=Sum("remedy_cost"))
        .order_by("outcome")
    )
    by_outcome = {row["outcome"]: row for row in decided}
    result.tables.append(
        Table(
            title=_("Decisions by outcome"),
            columns=[_("Outcome"), _("Cases"), _("Remedy cost, €")],
            rows=[
                [
                    label,
                    (by_outcome.get(value) or {}).get("n", 0),
                    float((by_outcome.get(value) or {}).get("cost") or 0),
                ]
                for value, label in Case.Outcome.choices
            ],
            base_column=1,
        )
    )

    # Pareto of root causes of the cases received in the period.
    breakdown = pareto_breakdown(in_period(handled(cases), start, end), BY_ROOT_CAUSE)
    pareto_rows = [r for r in breakdown.rows if r.value]
    if pareto_rows:
        result.tables.append(
            Table(
                title=_("Root causes (Pareto)"),
                columns=[_("Root cause"), _("Cases"), _("Share"), _("Cumulative")],
                rows=[
                    [
                        r.label,
                        int(r.value),
                        _percent(r.share),
                        _percent(r.cumulative_share),
                    ]
                    for r in pareto_rows
                ],
                base_column=1,
                note=_("Cases without a root-cause category are counted as Other."),
            )
        )
        result.charts.append(
            charts.pareto_chart_svg(
                [r.label for r in pareto_rows],
                [r.value for r in pareto_rows],
                [r.cumulative_share for r in pareto_rows],
                0.8,
                _("Root causes of the period's cases"),
                _("Cases"),
                vital_few=[r.vital_few for r in pareto_rows],
            )
        )

    # Recurring problems.
    recurring = recurring_problems(
        cases, start, end, min_cases=RECURRING_MIN, window_days=RECURRING_DAYS
    )
    if recurring:
        result.tables.append(
            Table(
                title=_("Recurring problems"),
                columns=[_("Category"), _("Most cases in 30 days"), _("From"), _("To")],
                rows=[[p.label, p.cases, p.first_day, p.last_day] for p in recurring],
                base_column=1,
            )
        )
        for problem in recurring[:RECURRING_SIGNALS]:
            result.signals.append(
                Signal(
                    "info",
                    _("Recurring problem: %(label)s, %(n)s cases within 30 days.")
                    % {"label": problem.label, "n": problem.cases},
                    url,
                )
            )

    # Dispute outcomes.
    disputes = summary_figures.dispute_outcomes(narrow, start, end)
    if disputes:
        labels = dict(Case.DisputeOutcome.choices)
        result.tables.append(
            Table(
                title=_("Disputes received by outcome"),
                columns=[_("Outcome"), _("Disputes")],
                rows=[
                    [labels.get(row["dispute_outcome"]) or _("Open"), row["n"]]
                    for row in disputes
                ],
                base_column=1,
            )
        )

    # The rate on a u-chart over the twelve months up to the period's end.
    chart_start = month_start(end, -CHART_MONTHS)
    rows = summary_figures.period_rows(
        narrow, chart_start, end, "month", parts=("received", "exposure")
    )
    chart = statistics.u_chart(
        [row.cases for row in rows], [row.customer_months / 1000 for row in rows]
    )
    result.charts.append(
        charts.control_chart_svg(
            [
                f"{key:%Y-%m}"
                for key, _lo, _hi in period_buckets(chart_start, end, "month")
            ],
            chart.values,
            chart.centre,
            chart.lower,
            chart.upper,
            chart.signal_indices,
            _("Cases per 1,000 customers per month (u-chart)"),
            _("per 1,000"),
        )
    )
    if unit is not None:
        result.notes.append(
            _("Figures are for %(unit)s and the units below it.") % {"unit": unit.name}
        )
    return result


def _percent(value: float | None) -> str | None:
    return None if value is None else f"{value * 100:.1f} %"
