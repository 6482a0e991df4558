"""Writes of the improvement system: proposals, plans, actions, effectiveness
checks and reminders. Each status change goes through one function with an
allowed-transitions map."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import measures, workflow

from . import effectiveness
from .models import (
    Action,
    ActionTransition,
    EffectivenessCheck,
    Plan,
    PlanOrigin,
    PlanTransition,
    Proposal,
    ProposalTransition,
)

ERR_REASON_REQUIRED = gettext_lazy("Give the reason for rejecting the proposal.")
ERR_PROPOSAL_TRANSITION = gettext_lazy(
    "A proposal that is “%(from)s” cannot become “%(to)s”."
)
ERR_ACTION_TRANSITION = gettext_lazy(
    "An action that is “%(from)s” cannot become “%(to)s”."
)
ERR_PLAN_TRANSITION = gettext_lazy("A plan that is “%(from)s” cannot become “%(to)s”.")
ERR_NO_CRITERION = gettext_lazy(
    "Fix the effectiveness criterion (indicator, baseline period and follow-up "
    "window) before the plan starts."
)
ERR_NOT_APPROVED = gettext_lazy("The plan must be approved before it starts.")
ERR_CRITERION_LOCKED = gettext_lazy(
    "The effectiveness criterion is fixed once the plan is in progress."
)
ERR_OPEN_ACTIONS = gettext_lazy(
    "The plan cannot be implemented while %(n)s action(s) are still open."
)
ERR_APPROVER_IS_OWNER = gettext_lazy("The plan's owner cannot approve their own plan.")
ERR_UNKNOWN_MEASURE = gettext_lazy("Unknown indicator: %(key)s.")
ERR_BASELINE_PERIOD = gettext_lazy("The baseline must end after it starts.")
ERR_WINDOW_OPEN = gettext_lazy(
    "The follow-up window ends on %(date)s; check effectiveness after that."
)
ERR_NOT_IMPLEMENTED = gettext_lazy(
    "Only an implemented plan can have its effectiveness checked."
)
ERR_NO_CHECK = gettext_lazy("Run the effectiveness check first.")
ERR_NOT_CLOSED_INEFFECTIVE = gettext_lazy(
    "Only a plan closed as not effective can be reopened or followed up."
)


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --------------------------------------------------------------------------
# Proposals
# --------------------------------------------------------------------------


def proposal_submit(
    *,
    title: str,
    description: str,
    proposer,
    expected_benefit: str = "",
    area: str = "",
    origin=None,
) -> Proposal:
    proposal = Proposal(
        title=title,
        description=description,
        expected_benefit=expected_benefit,
        proposer=proposer,
    )
    if area:
        proposal.area = area
    if origin is not None:
        proposal.origin = origin
    proposal.full_clean()
    with transaction.atomic():
        proposal.save()
        PROPOSAL_WORKFLOW.log_created(proposal, by=proposer)
    return proposal


def _decided(proposal: Proposal, *, by, now, comment: str, **_data) -> list[str]:
    proposal.decided_by = by
    proposal.decided_at = now
    proposal.decision_reason = comment
    return ["decided_by", "decided_at", "decision_reason"]


def _planned(proposal: Proposal, *, plan: Plan, **_data) -> list[str]:
    proposal.plan = plan
    return ["plan"]


# Proposal workflow: submitted → under review → accepted / rejected → planned.
PR = Proposal.Status
PROPOSAL_WORKFLOW = workflow.Workflow(
    log=ProposalTransition,
    refusal=ERR_PROPOSAL_TRANSITION,
    actions=[
        workflow.Action(
            "review", gettext_lazy("Start review"), {PR.SUBMITTED}, PR.UNDER_REVIEW
        ),
        workflow.Action(
            "accept",
            gettext_lazy("Accept"),
            {PR.SUBMITTED, PR.UNDER_REVIEW},
            PR.ACCEPTED,
            effect=_decided,
            style="primary",
        ),
        workflow.Action(
            "reject",
            gettext_lazy("Reject"),
            {PR.SUBMITTED, PR.UNDER_REVIEW},
            PR.REJECTED,
            needs_comment=ERR_REASON_REQUIRED,
            effect=_decided,
            style="outline-danger",
        ),
        workflow.Action(
            "plan",
            gettext_lazy("Turn into a plan"),
            {PR.ACCEPTED},
            PR.PLANNED,
            effect=_planned,
        ),
    ],
)


def proposal_review(*, proposal: Proposal, by) -> Proposal:
    return PROPOSAL_WORKFLOW.transition(proposal, "review", by=by)


def proposal_decide(
    *, proposal: Proposal, by, accept: bool, reason: str = ""
) -> Proposal:
    """Accept or reject; the proposer is told by e-mail (B.2.9 feedback)."""
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    proposal = PROPOSAL_WORKFLOW.transition(
        proposal, "accept" if accept else "reject", by=by, comment=reason
    )
    _tell_proposer(proposal)
    return proposal


def _tell_proposer(proposal: Proposal) -> None:
    email = proposal.proposer.email
    if not email:
        return
    context = {"proposal": proposal, "url": _site_url(proposal.get_absolute_url())}
    send_mail(
        _("Your improvement proposal: %(title)s") % {"title": proposal.title},
        render_to_string("improvements/email/proposal_decided.txt", context),
        None,
        [email],
    )


@transaction.atomic
def proposal_to_plan(*, proposal: Proposal, by, owner, plan_type: str = "") -> Plan:
    """Turn an accepted proposal into a plan; the plan keeps the proposal and
    its origin as origins."""
    step = PROPOSAL_WORKFLOW.action("plan")
    if not PROPOSAL_WORKFLOW.allows(proposal, step):
        raise PROPOSAL_WORKFLOW.refuse(proposal, step)
    plan = plan_create(
        title=proposal.title,
        problem=proposal.description,
        owner=owner,
        by=by,
        area=proposal.area,
        plan_type=plan_type or Plan.Type.CORRECTIVE,
        origins=[o for o in (proposal, proposal.origin) if o is not None],
    )
    PROPOSAL_WORKFLOW.transition(proposal, "plan", by=by, plan=plan)
    return plan


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


# --------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------


def action_create(
    *,
    plan: Plan,
    description: str,
    owner,
    due_date: datetime.date,
    action_type: str = Action.Type.CORRECTIVE,
) -> Action:
    action = Action(
        plan=plan,
        description=description,
        owner=owner,
        due_date=due_date,
        type=action_type,
    )
    action.full_clean()
    action.save()
    return action


def _action_done(action: Action, *, today: datetime.date, **_data) -> list[str]:
    action.completed_on = today
    return ["completed_on"]


def _action_undone(action: Action, **_data) -> list[str]:
    action.completed_on = None
    return ["completed_on"]


A = Action.Status
ACTION_WORKFLOW = workflow.Workflow(
    log=ActionTransition,
    refusal=ERR_ACTION_TRANSITION,
    actions=[
        workflow.Action("start", gettext_lazy("Start"), {A.OPEN}, A.IN_PROGRESS),
        workflow.Action(
            "back_to_open", gettext_lazy("Back to open"), {A.IN_PROGRESS}, A.OPEN
        ),
        workflow.Action(
            "complete",
            gettext_lazy("Mark done"),
            {A.OPEN, A.IN_PROGRESS},
            A.DONE,
            effect=_action_done,
            style="primary",
        ),
        workflow.Action(
            "cancel",
            gettext_lazy("Cancel"),
            {A.OPEN, A.IN_PROGRESS},
            A.CANCELLED,
            effect=_action_undone,
        ),
        workflow.Action(
            "reopen",
            gettext_lazy("Reopen"),
            {A.DONE, A.CANCELLED},
            A.OPEN,
            effect=_action_undone,
        ),
    ],
)


def action_update(
    *,
    action: Action,
    status: str | None = None,
    today: datetime.date | None = None,
    by=None,
    **fields,
) -> Action:
    """Save the owner's changes (evidence); a new ``status`` is a step of
    :data:`ACTION_WORKFLOW` (done stamps the completion date)."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(action, name, value)
        action._history_user = by
        action.full_clean()
        action.save()
        if status and status != action.status:
            ACTION_WORKFLOW.transition_to(
                action, status, by=by, today=today or timezone.localdate()
            )
    return action


@dataclass
class ReminderRun:
    due_soon: int = 0
    overdue: int = 0


REMIND_DAYS_BEFORE = 3


def send_reminders(today: datetime.date | None = None) -> ReminderRun:
    """E-mail owners of open actions due in three days or overdue, once a day
    per action (``last_reminded_on``), so a second run the same day sends
    nothing."""
    today = today or timezone.localdate()
    run = ReminderRun()
    soon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    candidates = (
        Action.objects.open()
        .filter(due_date__lte=soon)
        .exclude(last_reminded_on=today)
        .select_related("owner", "plan")
    )
    for action in candidates:
        overdue = action.due_date < today
        if not overdue and action.due_date != soon:
            # Due within three days but not exactly: reminded on the day it
            # entered the window already.
            continue
        # Claim the reminder first so two workers cannot both send it.
        claimed = (
            Action.objects.filter(pk=action.pk)
            .exclude(last_reminded_on=today)
            .update(last_reminded_on=today)
        )
        if not claimed or not action.owner.email:
            continue
        context = {
            "action": action,
            "overdue": overdue,
            "url": _site_url(action.get_absolute_url()),
        }
        subject = (
            _("Overdue improvement action: %(plan)s")
            if overdue
            else _("Improvement action due in %(days)s days: %(plan)s")
        ) % {"plan": action.plan.title, "days": REMIND_DAYS_BEFORE}
        send_mail(
            subject,
            render_to_string("improvements/email/action_reminder.txt", context),
            None,
            [action.owner.email],
        )
        if overdue:
            run.overdue += 1
        else:
            run.due_soon += 1
    return run
