"""The needs registry's section of the management report (issue 9).

Intake and decision figures are those of :mod:`needs.monitoring` for the
period; the state of the registry (open, overdue for review, coverage, gaps)
is as on the day the report is built, which the section says in a note.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.reporting import Indicator, Section, SectionRequest, Signal, Table

from . import monitoring
from .models import Need

GAP_ROWS = 10


def _share(value: float | None) -> str | None:
    return None if value is None else f"{value * 100:.1f} %"


def section(request: SectionRequest) -> Section:
    period = request.period
    today = timezone.localdate()
    figures = monitoring.figures(period.start, period.end, today=today)
    monitoring_url = reverse("needs:monitoring")
    result = Section(
        key="needs",
        title=_("Customer needs"),
        order=20,
        indicators=[
            Indicator("needs.new_needs", url=monitoring_url),
            Indicator("needs.decided_on_time_share", url=monitoring_url),
        ],
    )
    result.tables.append(
        Table(
            title=_("Needs registry"),
            columns=[_("Figure"), _("Value")],
            rows=[
                [_("New needs in the period"), figures.new_total],
                [_("Decided in the period"), figures.decided],
                [
                    _("Median working days to decision"),
                    figures.median_days_to_decision,
                ],
                [_("Open needs"), figures.open_needs],
                [_("Overdue for review"), figures.overdue_for_review],
                [_("Without an owner"), figures.without_owner],
                [_("Accepted needs"), figures.accepted],
                [_("Accepted needs with an answer"), figures.covered],
                [_("Coverage"), _share(figures.coverage_share)],
            ],
        )
    )
    by_source: dict[str, int] = {}
    for counts in figures.by_month_source.values():
        for source, n in counts.items():
            by_source[source] = by_source.get(source, 0) + n
    labels = dict(Need.Source.choices)
    result.tables.append(
        Table(
            title=_("New needs by source"),
            columns=[_("Source"), _("Needs")],
            rows=[
                [labels.get(source, source), n]
                for source, n in sorted(by_source.items(), key=lambda i: -i[1])
            ],
            base_column=1,
        )
    )
    gaps = list(
        Need.objects.unanswered()
        .order_by("-importance", "performance", "pk")
        .values_list("pk", "statement", "importance", "performance")[:GAP_ROWS]
    )
    if gaps:
        result.tables.append(
            Table(
                title=_("Gaps: accepted needs with nothing that answers them"),
                columns=[_("Need"), _("Importance"), _("Performance")],
                rows=[
                    [f"N-{pk}: {statement[:120]}", importance, performance]
                    for pk, statement, importance, performance in gaps
                ],
                note=_("At most %(n)s, most important first.") % {"n": GAP_ROWS},
            )
        )
    if figures.overdue_for_review:
        result.signals.append(
            Signal(
                "overdue",
                _("%(n)s customer needs are overdue for review.")
                % {"n": figures.overdue_for_review},
                reverse("needs:need-list"),
            )
        )
    unanswered = figures.accepted - figures.covered
    if unanswered:
        result.signals.append(
            Signal(
                "info",
                _("%(n)s accepted needs have nothing that answers them yet.")
                % {"n": unanswered},
                reverse("needs:coverage"),
            )
        )
    result.notes.append(
        _("Registry state (open, overdue, coverage, gaps) as on %(day)s.")
        % {"day": today.isoformat()}
    )
    if request.unit is not None:
        result.notes.append(
            _(
                "The needs registry is not split by unit: figures are for the whole "
                "organisation."
            )
        )
    return result
