"""Demo data of the improvement system, built on the complaints demo.

Two plans are checked through the real service on the seeded cases: the
discoloured-water spike (baseline: the spike month ± 1, follow-up: the last
two full months) shows a significant improvement; taste-or-smell complaints,
flat all year, show no significant change. Safe to run twice: everything is
looked up by title first.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from qms import measures
from qms.areas import Area

from . import services
from .models import Action, Plan, Proposal

RATE_KEY = "complaints.cases_per_1000_customers"
SPIKE_CATEGORY = "water-discoloured"
FLAT_CATEGORY = "water-taste-smell"


def _month(day: datetime.date, delta: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + delta
    return datetime.date(index // 12, index % 12 + 1, 1)


def seed(ctx) -> None:
    users = ctx.users
    quality, agent, agent2 = users["quality"], users["agent"], users["agent2"]
    owner, owner2 = users["owner"], users["owner2"]
    today = timezone.localdate()
    with transaction.atomic():
        _proposals(ctx, quality, agent, agent2, owner)
        _open_plan(ctx, quality, owner, owner2, agent, today)
        if apps.is_installed("complaints"):
            _checked_plans(ctx, quality, owner, owner2, today)


def _proposals(ctx, quality, agent, agent2, owner) -> None:
    Case = (
        apps.get_model("complaints", "Case")
        if apps.is_installed("complaints")
        else None
    )
    case = Case.objects.filter(category__code=SPIKE_CATEGORY).first() if Case else None
    rows = [
        ("Warn customers before mains flushing", agent, "accept", case),
        ("Callback slots on the website", agent2, "review", None),
        ("Plain-language bills", owner, None, None),
        ("Free bottled water for every caller", agent2, "reject", None),
    ]
    for title, proposer, decision, origin in rows:
        if Proposal.objects.filter(title=title).exists():
            continue
        proposal = services.proposal_submit(
            title=title,
            description=title + ".",
            expected_benefit="Fewer repeat contacts.",
            proposer=proposer,
            area=Area.COMPLAINTS,
            origin=origin,
        )
        ctx.count("improvement proposals")
        if decision == "review":
            services.proposal_review(proposal=proposal, by=quality)
        elif decision == "accept":
            services.proposal_decide(proposal=proposal, by=quality, accept=True)
        elif decision == "reject":
            services.proposal_decide(
                proposal=proposal,
                by=quality,
                accept=False,
                reason="Too costly for the benefit; a flushing notice covers it.",
            )


def _open_plan(ctx, quality, owner, owner2, agent, today) -> None:
    title = "Faster first answer in the contact centre"
    if Plan.objects.filter(title=title).exists():
        return
    plan = services.plan_create(
        title=title,
        problem="Written complaints wait too long for their first answer.",
        scope="Contact centre, e-mail and web form.",
        plan_type=Plan.Type.CORRECTIVE,
        area=Area.COMPLAINTS,
        owner=owner2,
        by=quality,
        team=[agent],
    )
    if _has("complaints.answered_on_time_share"):
        services.plan_set_criterion(
            plan=plan,
            measure_key="complaints.answered_on_time_share",
            baseline_start=_month(today, -6),
            baseline_end=_month(today, 0),
            follow_up_days=90,
            target=0.9,
        )
        services.plan_approve(plan=plan, by=quality)
        services.plan_transition(plan=plan, to=Plan.Status.IN_PROGRESS, by=owner2)
    day = datetime.timedelta(days=1)
    # One overdue, one due in three days (reminded), one later.
    for description, who, due in (
        ("Daily queue review at 9:00", owner2, today - 6 * day),
        ("Answer templates for the ten commonest topics", agent, today + 3 * day),
        ("Train the new agents", owner, today + 30 * day),
    ):
        services.action_create(
            plan=plan, description=description, owner=who, due_date=due
        )
    ctx.count("improvement plans")


def _has(key: str) -> bool:
    try:
        measures.get(key)
    except KeyError:
        return False
    return True


def _checked_plans(ctx, quality, owner, owner2, today) -> None:
    if not _has(RATE_KEY):
        return
    Category = apps.get_model("complaints", "Category")
    categories = dict(
        Category.objects.filter(code__in=[SPIKE_CATEGORY, FLAT_CATEGORY]).values_list(
            "code", "pk"
        )
    )
    if len(categories) < 2:
        return
    measure = measures.get(RATE_KEY)
    # Find the spike in the data rather than assuming where the complaints
    # demo put it.
    points = measure.points(
        _month(today, -12),
        _month(today, 0),
        period="month",
        filters={"category": categories[SPIKE_CATEGORY]},
    )
    spike = max(points, key=lambda p: p.count).start
    implemented = _month(today, -2)
    _checked_plan(
        ctx,
        title="Notify customers before mains flushing",
        problem="Discoloured-water complaints spiked after mains flushing.",
        category=categories[SPIKE_CATEGORY],
        baseline=(_month(spike, -1), min(_month(spike, 2), implemented)),
        implemented=implemented,
        today=today,
        owner=owner,
        quality=quality,
    )
    _checked_plan(
        ctx,
        title="New chlorine dosing procedure",
        problem="Customers report a taste or smell of chlorine.",
        category=categories[FLAT_CATEGORY],
        baseline=(_month(today, -9), _month(today, -6)),
        implemented=_month(today, -3),
        today=today,
        owner=owner2,
        quality=quality,
    )


def _checked_plan(
    ctx, *, title, problem, category, baseline, implemented, today, owner, quality
) -> None:
    if Plan.objects.filter(title=title).exists():
        return
    plan = services.plan_create(
        title=title,
        problem=problem,
        plan_type=Plan.Type.CORRECTIVE,
        area=Area.COMPLAINTS,
        owner=owner,
        by=quality,
    )
    services.plan_set_criterion(
        plan=plan,
        measure_key=RATE_KEY,
        filters={"category": category},
        baseline_start=baseline[0],
        baseline_end=baseline[1],
        follow_up_days=(_month(today, 0) - implemented).days,
    )
    services.plan_approve(plan=plan, by=quality)
    services.plan_transition(plan=plan, to=Plan.Status.IN_PROGRESS, by=owner)
    action = services.action_create(
        plan=plan,
        description=problem.replace("Customers report", "Remove the cause of"),
        owner=owner,
        due_date=implemented - datetime.timedelta(days=3),
    )
    services.action_update(
        action=action,
        status=Action.Status.DONE,
        evidence="Done and documented.",
        today=implemented - datetime.timedelta(days=5),
    )
    services.plan_transition(
        plan=plan, to=Plan.Status.IMPLEMENTED, by=owner, today=implemented
    )
    plan.refresh_from_db()
    services.run_effectiveness_check(plan=plan, by=quality, today=today)
    ctx.count("improvement plans")
    ctx.count("effectiveness checks")
