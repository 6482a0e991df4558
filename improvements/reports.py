"""The improvement system's section of the management report (issue 9):
proposals, plans opened and closed, overdue actions, effectiveness verdicts.

Flows (proposals, plans opened and closed, verdicts) are counted in the
period; the state (plans by status, overdue actions) is as on the day the
report is built. Each table is one grouped query.
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.measures import local_midnight
from qms.reporting import Section, SectionRequest, Signal, Table

from . import selectors
from .models import EffectivenessCheck, Plan, PlanTransition, Proposal

OVERDUE_ROWS = 10
CLOSED = (Plan.Status.CLOSED_EFFECTIVE, Plan.Status.CLOSED_NOT_EFFECTIVE)


def section(request: SectionRequest) -> Section:
    period = request.period
    today = timezone.localdate()
    lo, hi = local_midnight(period.start), local_midnight(period.end)
    result = Section(key="improvements", title=_("Improvements"), order=70)

    proposals = Proposal.objects.filter(created_at__gte=lo, created_at__lt=hi)
    proposal_counts = dict(
        proposals.order_by().values_list("status").annotate(n=Count("id"))
    )
    opened = Plan.objects.filter(created_at__gte=lo, created_at__lt=hi).count()
    closed = dict(
        PlanTransition.objects.filter(at__gte=lo, at__lt=hi, to_status__in=CLOSED)
        .order_by()
        .values_list("to_status")
        .annotate(n=Count("plan", distinct=True))
    )
    result.tables.append(
        Table(
            title=_("Proposals and plans in the period"),
            columns=[_("Figure"), _("Number")],
            rows=[
                [_("Proposals submitted"), sum(proposal_counts.values())],
                *[
                    [
                        _("Proposals now: %(status)s") % {"status": label},
                        proposal_counts.get(value, 0),
                    ]
                    for value, label in Proposal.Status.choices
                ],
                [_("Plans opened"), opened],
                [_("Plans closed as effective"), closed.get(CLOSED[0], 0)],
                [_("Plans closed as not effective"), closed.get(CLOSED[1], 0)],
            ],
        )
    )
    result.tables.append(
        Table(
            title=_("Plans by status"),
            columns=[_("Status"), _("Plans")],
            rows=[[label, n] for _v, label, n in selectors.plan_counts_by_status()],
        )
    )

    verdicts = dict(
        EffectivenessCheck.objects.filter(checked_at__gte=lo, checked_at__lt=hi)
        .order_by()
        .values_list("verdict")
        .annotate(n=Count("id"))
    )
    result.tables.append(
        Table(
            title=_("Effectiveness checks in the period"),
            columns=[_("Verdict"), _("Checks")],
            rows=[
                [label, verdicts.get(value, 0)]
                for value, label in EffectivenessCheck.Verdict.choices
            ],
        )
    )

    overdue = selectors.overdue_actions(today)
    overdue_count = overdue.count()
    if overdue_count:
        rows = overdue.order_by("due_date", "pk").values_list(
            "plan__title", "description", "due_date"
        )[:OVERDUE_ROWS]
        result.tables.append(
            Table(
                title=_("Overdue actions"),
                columns=[_("Plan"), _("Action"), _("Due"), _("Days late")],
                rows=[
                    [plan, description[:120], due, (today - due).days]
                    for plan, description, due in rows
                ],
                note=_("%(shown)s of %(n)s, the longest overdue first.")
                % {"shown": min(OVERDUE_ROWS, overdue_count), "n": overdue_count},
            )
        )
        result.signals.append(
            Signal(
                "overdue",
                _("%(n)s improvement actions are overdue.") % {"n": overdue_count},
                reverse("improvements:home"),
            )
        )
    not_effective = closed.get(CLOSED[1], 0)
    if not_effective:
        result.signals.append(
            Signal(
                "info",
                _("%(n)s improvement plans were closed as not effective.")
                % {"n": not_effective},
                reverse("improvements:plan-list"),
            )
        )
    result.notes.append(
        _("Plans by status and overdue actions as on %(day)s.")
        % {"day": today.isoformat()}
    )
    if request.unit is not None:
        result.notes.append(
            _(
                "Improvements are not split by unit: figures are for the whole "
                "organisation."
            )
        )
    return result
