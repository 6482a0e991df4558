"""Plans (CAPA, ISO 9001 §10.2): created, given a criterion, approved and
moved through their workflow."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from qms import measures, workflow

from ..models import (
    Plan,
    PlanOrigin,
    PlanTransition,
)
from .common import (
    ERR_APPROVER_IS_OWNER,
    ERR_BASELINE_PERIOD,
    ERR_CRITERION_LOCKED,
    ERR_NO_CRITERION,
    ERR_NOT_APPROVED,
    ERR_OPEN_ACTIONS,
    ERR_PLAN_TRANSITION,
    ERR_UNKNOWN_MEASURE,
)

# --------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    title: str,
    problem: str,
    owner,
    by,
    scope: str = "",
    plan_type: str = Plan.Type.CORRECTIVE,
    area: str = "",
    team=(),
    origins=(),
    follow_up_of: Plan | None = None,
) -> Plan:
    plan = Plan(
        title=title,
        problem=problem,
        scope=scope,
        type=plan_type,
        owner=owner,
        created_by=by,
        follow_up_of=follow_up_of,
    )
    if area:
        plan.area = area
    plan.full_clean()
    plan.save()
    if team:
        plan.team.set(team)
    for origin in origins:
        plan_add_origin(plan=plan, origin=origin)
    PLAN_WORKFLOW.log_created(plan, by=by)
    return plan


def plan_add_origin(*, plan: Plan, origin) -> PlanOrigin:
    from django.contrib.contenttypes.models import ContentType

    link, _created = PlanOrigin.objects.get_or_create(
        plan=plan,
        origin_type=ContentType.objects.get_for_model(origin),
        origin_id=str(origin.pk),
    )
    return link


def plan_set_criterion(
    *,
    plan: Plan,
    measure_key: str,
    baseline_start: datetime.date,
    baseline_end: datetime.date,
    follow_up_days: int,
    target: float | None = None,
    filters: dict | None = None,
) -> Plan:
    """Fix what "effective" will mean; only while the plan is still planned."""
    if plan.criterion_locked:
        raise ValidationError(ERR_CRITERION_LOCKED)
    try:
        measures.get(measure_key)
    except KeyError:
        raise ValidationError(
            {"measure_key": ERR_UNKNOWN_MEASURE % {"key": measure_key}}
        ) from None
    if baseline_end <= baseline_start:
        raise ValidationError({"baseline_end": ERR_BASELINE_PERIOD})
    plan.measure_key = measure_key
    plan.measure_filters = dict(filters or {})
    plan.baseline_start = baseline_start
    plan.baseline_end = baseline_end
    plan.follow_up_days = follow_up_days
    plan.target = target
    plan.full_clean()
    plan.save()
    return plan


def plan_approve(*, plan: Plan, by) -> Plan:
    if by.pk == plan.owner_id:
        raise ValidationError(ERR_APPROVER_IS_OWNER)
    plan.approved_by = by
    plan.approved_at = timezone.now()
    plan.save()
    return plan


def plan_transition(
    *,
    plan: Plan,
    to: str,
    by,
    comment: str = "",
    today: datetime.date | None = None,
) -> Plan:
    """The one way a plan changes status (see :data:`PLAN_WORKFLOW`)."""
    return PLAN_WORKFLOW.transition_to(
        plan, to, by=by, comment=comment, today=today or timezone.localdate()
    )


def _ready_to_start(plan: Plan, **_data) -> None:
    if not plan.has_criterion:
        raise ValidationError(ERR_NO_CRITERION)
    if plan.approved_by_id is None:
        raise ValidationError(ERR_NOT_APPROVED)


def _no_open_actions(plan: Plan, **_data) -> None:
    open_count = plan.actions.open().count()
    if open_count:
        raise ValidationError(ERR_OPEN_ACTIONS % {"n": open_count})


def _implemented(plan: Plan, *, today: datetime.date, **_data) -> list[str]:
    plan.implemented_on = today
    plan.follow_up_end = today + datetime.timedelta(days=plan.follow_up_days or 0)
    return ["implemented_on", "follow_up_end"]


def _back_to_work(plan: Plan, **_data) -> list[str]:
    # Implementation starts again, and so does the follow-up.
    if plan.status == Plan.Status.CLOSED_NOT_EFFECTIVE:
        plan.reopen_count += 1
    plan.implemented_on = None
    plan.follow_up_end = None
    return ["reopen_count", "implemented_on", "follow_up_end"]


# Plan workflow (ISO 9001 §10.2); "not effective" may reopen the plan.
P = Plan.Status
PLAN_WORKFLOW = workflow.Workflow(
    log=PlanTransition,
    refusal=ERR_PLAN_TRANSITION,
    actions=[
        workflow.Action(
            "start",
            gettext_lazy("Start implementation"),
            {P.PLANNED},
            P.IN_PROGRESS,
            guard=_ready_to_start,
            style="primary",
        ),
        workflow.Action(
            "implement",
            gettext_lazy("Mark implemented"),
            {P.IN_PROGRESS},
            P.IMPLEMENTED,
            guard=_no_open_actions,
            effect=_implemented,
            style="primary",
        ),
        workflow.Action(
            "check_effectiveness",
            gettext_lazy("Check effectiveness"),
            {P.IMPLEMENTED},
            P.EFFECTIVENESS_CHECK,
        ),
        workflow.Action(
            "resume",
            gettext_lazy("Back to work"),
            {P.IMPLEMENTED},
            P.IN_PROGRESS,
            effect=_back_to_work,
        ),
        workflow.Action(
            "close_effective",
            gettext_lazy("Close: effective"),
            {P.EFFECTIVENESS_CHECK},
            P.CLOSED_EFFECTIVE,
        ),
        workflow.Action(
            "close_not_effective",
            gettext_lazy("Close: not effective"),
            {P.EFFECTIVENESS_CHECK},
            P.CLOSED_NOT_EFFECTIVE,
        ),
        workflow.Action(
            "reopen",
            gettext_lazy("Reopen"),
            {P.CLOSED_NOT_EFFECTIVE},
            P.IN_PROGRESS,
            effect=_back_to_work,
            style="outline-danger",
        ),
    ],
)
