"""The effectiveness check of an implemented plan and what follows its verdict."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms import measures

from .. import effectiveness
from ..models import (
    EffectivenessCheck,
    Plan,
)
from .common import (
    ERR_NO_CHECK,
    ERR_NOT_CLOSED_INEFFECTIVE,
    ERR_NOT_IMPLEMENTED,
    ERR_WINDOW_OPEN,
)
from .plans import plan_create, plan_transition

# --------------------------------------------------------------------------
# Effectiveness
# --------------------------------------------------------------------------


def follow_up_period(plan: Plan) -> tuple[datetime.date, datetime.date]:
    start = plan.implemented_on
    return start, start + datetime.timedelta(days=plan.follow_up_days or 0)


@transaction.atomic
def run_effectiveness_check(
    *, plan: Plan, by, today: datetime.date | None = None
) -> EffectivenessCheck:
    """Compute baseline and follow-up from the measure registry, test the
    change and store every number; the plan moves to "effectiveness check"."""
    today = today or timezone.localdate()
    if plan.status not in (Plan.Status.IMPLEMENTED, Plan.Status.EFFECTIVENESS_CHECK):
        raise ValidationError(ERR_NOT_IMPLEMENTED)
    start, end = follow_up_period(plan)
    if end > today:
        raise ValidationError(ERR_WINDOW_OPEN % {"date": end.isoformat()})
    measure = measures.get(plan.measure_key)
    filters = plan.measure_filters or {}
    baseline = _one_point(
        measure.points(plan.baseline_start, plan.baseline_end, filters=filters),
        plan.baseline_start,
        plan.baseline_end,
    )
    follow_up = _one_point(measure.points(start, end, filters=filters), start, end)
    result = effectiveness.compare(measure, baseline, follow_up)
    if plan.target is not None:
        target_met = result.follow_up_value is not None and (
            result.follow_up_value >= plan.target
            if measure.higher_is_better
            else result.follow_up_value <= plan.target
        )
    else:
        target_met = None
    check = EffectivenessCheck.objects.create(
        plan=plan,
        measure_key=measure.key,
        measure_filters=filters,
        kind=measure.kind,
        higher_is_better=measure.higher_is_better,
        baseline_start=plan.baseline_start,
        baseline_end=plan.baseline_end,
        follow_up_start=start,
        follow_up_end=end,
        baseline_stats=effectiveness.point_stats(baseline),
        follow_up_stats=effectiveness.point_stats(follow_up),
        baseline_value=result.baseline_value,
        follow_up_value=result.follow_up_value,
        effect_name=result.effect_name,
        effect=result.effect,
        effect_low=result.effect_low,
        effect_high=result.effect_high,
        p_value=result.p_value,
        method=result.method,
        warning=result.warning,
        target=plan.target,
        target_met=target_met,
        verdict=result.verdict,
        checked_by=by,
    )
    if plan.status == Plan.Status.IMPLEMENTED:
        plan_transition(plan=plan, to=Plan.Status.EFFECTIVENESS_CHECK, by=by)
        plan.refresh_from_db()
    return check


def _one_point(points, start, end) -> measures.Point:
    """Sum the points a measure returned for the whole period (normally one)."""
    total = measures.Point(start=start, end=end)
    fields = ("count", "exposure", "successes", "trials", "n", "sum_x", "sum_x2")
    values = {f: sum(getattr(p, f) for p in points) for f in fields}
    return measures.Point(start=total.start, end=total.end, **values)


def effectiveness_record(*, plan: Plan, by, comment: str = "") -> Plan:
    """Close the plan on its latest check: effective or not effective."""
    check = plan.checks.order_by("-checked_at", "-id").first()
    if check is None:
        raise ValidationError(ERR_NO_CHECK)
    to = (
        Plan.Status.CLOSED_EFFECTIVE
        if check.effective
        else Plan.Status.CLOSED_NOT_EFFECTIVE
    )
    plan_transition(
        plan=plan,
        to=to,
        by=by,
        comment=comment or check.get_verdict_display(),
    )
    plan.refresh_from_db()
    return plan


def plan_reopen(*, plan: Plan, by, comment: str = "") -> Plan:
    if plan.status != Plan.Status.CLOSED_NOT_EFFECTIVE:
        raise ValidationError(ERR_NOT_CLOSED_INEFFECTIVE)
    plan_transition(plan=plan, to=Plan.Status.IN_PROGRESS, by=by, comment=comment)
    plan.refresh_from_db()
    return plan


@transaction.atomic
def plan_follow_up(*, plan: Plan, by, comment: str = "") -> Plan:
    """Start a new plan for the same problem, linked to the ineffective one and
    carrying its origins and indicator."""
    if plan.status != Plan.Status.CLOSED_NOT_EFFECTIVE:
        raise ValidationError(ERR_NOT_CLOSED_INEFFECTIVE)
    follow = plan_create(
        title=_("Follow-up: %(title)s") % {"title": plan.title},
        problem=plan.problem + (f"\n\n{comment}" if comment else ""),
        scope=plan.scope,
        plan_type=plan.type,
        area=plan.area,
        owner=plan.owner,
        by=by,
        team=list(plan.team.all()),
        origins=[o.origin for o in plan.origins.all() if o.origin is not None],
        follow_up_of=plan,
    )
    follow.measure_key = plan.measure_key
    follow.measure_filters = plan.measure_filters
    follow.target = plan.target
    follow.follow_up_days = plan.follow_up_days
    follow.save()
    return follow
