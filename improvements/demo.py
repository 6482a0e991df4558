"""Demo data of the improvement system: proposals and an open plan with its
actions. The improvements that grow from complaints (a proposal raised from
a case, two plans checked on the seeded cases) are seeded by the complaints
demo (``complaints/demo/improvements.py``), because complaints may use the
improvement system and not the other way round. Safe to run twice:
everything is looked up by title first.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from qms import measures
from qms.areas import Area
from qms.periods import month_start

from . import services
from .models import Plan, Proposal


def seed(ctx) -> None:
    users = ctx.users
    quality, agent, agent2 = users["quality"], users["agent"], users["agent2"]
    owner, owner2 = users["owner"], users["owner2"]
    today = timezone.localdate()
    with transaction.atomic():
        _proposals(ctx, quality, agent2, owner)
        _open_plan(ctx, quality, owner, owner2, agent, today)


def _proposals(ctx, quality, agent2, owner) -> None:
    rows = [
        ("Callback slots on the website", agent2, "review"),
        ("Plain-language bills", owner, None),
        ("Free bottled water for every caller", agent2, "reject"),
    ]
    for title, proposer, decision in rows:
        if Proposal.objects.filter(title=title).exists():
            continue
        proposal = services.proposal_submit(
            title=title,
            description=title + ".",
            expected_benefit="Fewer repeat contacts.",
            proposer=proposer,
            area=Area.COMPLAINTS,
        )
        ctx.count("improvement proposals")
        if decision == "review":
            services.proposal_review(proposal=proposal, by=quality)
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
            baseline_start=month_start(today, -6),
            baseline_end=month_start(today, 0),
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
