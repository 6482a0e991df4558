"""Reads of sampling plans: planned versus done per employee for a month, and
the picked interactions still to evaluate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef

from qms.models import OrgUnit
from qms.periods import month_start

from .models import Evaluation, Interaction, SamplingPlan, Standard


@dataclass
class EmployeeProgress:
    employee: object
    planned: int
    done: int
    imported: int = 0
    to_evaluate: list = field(default_factory=list)

    @property
    def missing(self) -> int:
        return max(self.planned - self.done, 0)


def plan_progress(plan: SamplingPlan, month: datetime.date) -> list[EmployeeProgress]:
    """Per employee in the plan's scope (the members of its unit, or everyone
    with imported interactions or evaluations on the channel that month):
    planned, done (regular evaluations on the channel that month) and the
    picked interactions not yet evaluated. Five queries."""
    end = month_start(month, 1)
    done = dict(
        Evaluation.objects.regular()
        .filter(
            channel_id=plan.channel_id,
            interaction_date__gte=month,
            interaction_date__lt=end,
        )
        .values_list("employee_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    evaluated = Evaluation.objects.filter(
        reference=OuterRef("reference"), employee_id=OuterRef("employee_id")
    )
    interactions = list(
        plan.interactions.filter(month=month)
        .annotate(evaluated=Exists(evaluated))
        .order_by("date", "reference")
    )
    imported: dict[int, int] = {}
    pending: dict[int, list[Interaction]] = {}
    for interaction in interactions:
        imported[interaction.employee_id] = imported.get(interaction.employee_id, 0) + 1
        if interaction.picked and not interaction.evaluated:
            pending.setdefault(interaction.employee_id, []).append(interaction)
    users = get_user_model().objects.filter(is_active=True)
    if plan.org_unit_id:
        unit = OrgUnit(pk=plan.org_unit_id)
        users = users.filter(membership__unit_id__in=unit.descendant_ids())
    else:
        users = users.filter(pk__in=set(done) | set(imported))
    return [
        EmployeeProgress(
            employee=user,
            planned=plan.per_employee_month,
            done=done.get(user.pk, 0),
            imported=imported.get(user.pk, 0),
            to_evaluate=pending.get(user.pk, []),
        )
        for user in users.order_by("last_name", "first_name", "username")
    ]


def standard_for_channel(channel_id: int) -> Standard | None:
    return (
        Standard.objects.filter(channels__id=channel_id)
        .order_by("document__identifier")
        .first()
    )
