"""Demo monitoring data: about 2,000 evaluations over the last 12 months by a
team lead and the quality manager, a few critical fails and disputes, one
clearly weak criterion ("Ends by summarising the agreed next step", met in
about 60 % of checks), a calibration session, a sampling plan with imported
interactions and 12 months of daily timeliness figures.

Everything is written with ``bulk_create`` from a seeded generator, so the
seed is fast and the same every time. Safe to run twice."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from qms import roles
from qms.models import Channel, Membership
from qms.periods import month_starts

from . import importing, services
from .models import (
    CalibrationSession,
    Criterion,
    CriterionScore,
    Evaluation,
    Interaction,
    SamplingPlan,
    Standard,
    TimelinessFigure,
)

SEED = 2026_07
PREFIX = "DEMO-"
WEAK = "Ends by summarising the agreed next step."
EVALUATIONS_PER_EMPLOYEE_MONTH = 17

# Extra service staff so the results have a team to compare:
# username, first, last, unit code, job title.
TEAM = [
    ("anna", "Anna", "Põld", "contact-centre", "Service agent"),
    ("peeter", "Peeter", "Ilves", "contact-centre", "Service agent"),
    ("olga", "Olga", "Smirnova", "contact-centre", "Service agent"),
    ("sander", "Sander", "Kuusk", "contact-centre", "Service agent"),
    ("mari", "Mari", "Org", "written", "Service agent"),
    ("lead2", "Kristi", "Lill", "written", "Team lead"),
    ("kaisa", "Kaisa", "Raud", "offices", "Service consultant"),
]
# Team leads evaluate: they hold standards.add_evaluation personally.
TEAM_LEADS = ("lead", "lead2")
# Who is evaluated on which standards (by the unit they work in).
UNIT_STANDARDS = {
    "contact-centre": ["STD-PHONE"],
    "written": ["STD-EMAIL", "STD-LETTER"],
    "offices": ["STD-INPERSON"],
}
TYPE_OF = {
    "STD-PHONE": "call",
    "STD-EMAIL": "written",
    "STD-LETTER": "written",
    "STD-INPERSON": "mystery",
}
DISPUTES = [
    "The customer had already identified in the previous call.",
    "The next step was agreed in the follow-up e-mail.",
    "The line was bad; I repeated the greeting.",
]


def _team(ctx) -> list:
    User = get_user_model()
    staff = Group.objects.get(name=roles.SERVICE_STAFF)
    for username, first, last, unit, title in TEAM:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
            )
            user.set_password("qms-demo-2026")
            user.save()
            ctx.count("users")
        user.groups.add(staff)
        Membership.objects.get_or_create(
            user=user, defaults={"unit": ctx.units[unit], "job_title": title}
        )
        ctx.users[username] = user
    evaluate = Permission.objects.get(
        content_type__app_label="standards", codename="add_evaluation"
    )
    for username in TEAM_LEADS:
        ctx.users[username].user_permissions.add(evaluate)
    return list(
        Membership.objects.filter(unit__code__in=UNIT_STANDARDS)
        .select_related("user", "unit")
        .order_by("user__username")
    )


def _answer(rng, criterion, ability: float, month_index: int) -> str:
    """A plausible answer: the weak criterion is met ~60 %, critical ones
    almost always, the rest ~90 %, slowly improving over the year."""
    if not criterion.is_critical and rng.random() < 0.04:
        return "na"
    if criterion.behaviour == WEAK:
        p = 0.55 + 0.01 * month_index
    elif criterion.is_critical:
        p = 0.985
    else:
        p = 0.86 + 0.006 * month_index
    met = rng.random() < min(p + ability, 0.995)
    if criterion.scoring == Criterion.Scoring.SCALE:
        return rng.choice("345") if met else rng.choice("12")
    return "yes" if met else "no"


def _months(today: datetime.date) -> list[datetime.date]:
    return month_starts(today, 12)


def _evaluations(ctx, rng, members, standards, today) -> int:
    channels = {s.document.identifier: s.channels.first() for s in standards.values()}
    versions = {
        key: services.version_in_force(standard=s, on=today)
        for key, s in standards.items()
    }
    criteria = {
        key: list(Criterion.objects.filter(version=v).order_by("order", "pk"))
        for key, v in versions.items()
    }
    quality, leads = (
        ctx.users["quality"],
        {
            "contact-centre": ctx.users["lead"],
            "written": ctx.users["lead2"],
        },
    )
    now = timezone.now()
    evaluations, answers = [], {}
    number = 0
    for member in members:
        user, unit = member.user, member.unit
        ability = rng.uniform(-0.06, 0.05)
        keys = UNIT_STANDARDS[unit.code]
        for month_index, month in enumerate(_months(today)):
            last_day = min(
                today - datetime.timedelta(days=1),
                (month + datetime.timedelta(days=31)).replace(day=1)
                - datetime.timedelta(days=1),
            )
            span = (last_day - month).days
            if span < 0:
                continue
            for _ in range(EVALUATIONS_PER_EMPLOYEE_MONTH):
                key = rng.choice(keys)
                day = month + datetime.timedelta(days=rng.randint(0, span))
                lead = leads.get(unit.code)
                evaluator = lead if lead and lead.pk != user.pk else quality
                if rng.random() < 0.3:
                    evaluator = quality
                given = [_answer(rng, c, ability, month_index) for c in criteria[key]]
                result = services.compute_score(
                    (c.weight, c.is_critical, a)
                    for c, a in zip(criteria[key], given, strict=True)
                )
                number += 1
                age = (today - day).days
                status, comment, responded = Evaluation.Status.SUBMITTED, "", None
                if age > 10:
                    roll = rng.random()
                    disputed = roll < (0.5 if result.critical_fail else 0.03)
                    if disputed:
                        status = Evaluation.Status.DISPUTED
                        comment = rng.choice(DISPUTES)
                    elif roll < 0.9:
                        status = Evaluation.Status.CONFIRMED
                    if status != Evaluation.Status.SUBMITTED:
                        responded = now - datetime.timedelta(days=age - 3)
                reference = f"{PREFIX}{TYPE_OF[key][:4].upper()}-{number:05d}"
                evaluations.append(
                    Evaluation(
                        standard=standards[key],
                        version=versions[key],
                        interaction_type=TYPE_OF[key],
                        reference=reference,
                        interaction_date=day,
                        channel=channels[key],
                        employee=user,
                        evaluator=evaluator,
                        org_unit=unit,
                        score=None
                        if result.score is None
                        else Decimal(f"{result.score:.2f}"),
                        critical_fail=result.critical_fail,
                        compliant=result.compliant,
                        status=status,
                        employee_comment=comment,
                        responded_at=responded,
                        created_at=now - datetime.timedelta(days=max(age - 1, 0)),
                    )
                )
                answers[reference] = (criteria[key], given)
    bulk_create_with_history(
        evaluations, Evaluation, batch_size=500, default_user=quality
    )
    made = {
        e.reference: e for e in Evaluation.objects.filter(reference__startswith=PREFIX)
    }
    CriterionScore.objects.bulk_create(
        (
            CriterionScore(
                evaluation_id=made[reference].pk,
                **made[reference].score_copies(),
                criterion=criterion,
                answer=answer,
                credit=services.credit(answer),
                failed=services.failed(answer),
            )
            for reference, (items, given) in answers.items()
            for criterion, answer in zip(items, given, strict=True)
        ),
        batch_size=2000,
    )
    return len(evaluations)


def _calibration(ctx, standards, today) -> None:
    standard = standards["STD-PHONE"]
    day = today - datetime.timedelta(days=20)
    session = CalibrationSession.objects.create(
        standard=standard,
        title="Phone calibration: a billing call",
        reference=f"{PREFIX}CAL-001",
        interaction_date=day,
        notes="Four evaluators listened to the same recorded call.",
        created_by=ctx.users["quality"],
    )
    version = services.version_in_force(standard=standard, on=day)
    criteria = list(version.criteria.order_by("order", "pk"))
    # Evaluators agree except on identity checking and the closing summary.
    scorings = {
        "quality": ["yes", "yes", "yes", "4", "4", "no"],
        "lead": ["yes", "yes", "no", "4", "5", "no"],
        "lead2": ["yes", "yes", "yes", "3", "4", "yes"],
        "owner2": ["yes", "yes", "no", "4", "4", "no"],
    }
    for username, given in scorings.items():
        services.evaluation_create(
            standard=standard,
            interaction_type="call",
            reference=session.reference,
            interaction_date=day,
            channel=standard.channels.first(),
            employee=ctx.users["agent"],
            evaluator=ctx.users[username],
            answers={c.pk: (a, "") for c, a in zip(criteria, given, strict=True)},
            calibration=session,
            version=version,
            criteria=criteria,
        )


def _sampling(ctx, rng, members, today) -> None:
    phone = Channel.objects.get(code="phone")
    plan = SamplingPlan.objects.create(
        name="Contact centre calls",
        channel=phone,
        org_unit=ctx.units["contact-centre"],
        per_employee_month=20,
    )
    SamplingPlan.objects.create(
        name="Written answers",
        channel=Channel.objects.get(code="email"),
        org_unit=ctx.units["written"],
        per_employee_month=3,
    )
    month = today.replace(day=1)
    rows = []
    for member in members:
        if member.unit.code != "contact-centre":
            continue
        for i in range(60):
            day = month + datetime.timedelta(days=rng.randint(0, today.day - 1))
            rows.append(
                Interaction(
                    plan=plan,
                    reference=f"{PREFIX}CC-{member.user.username}-{i:03d}",
                    date=day,
                    channel=phone,
                    employee=member.user,
                    month=month,
                )
            )
    Interaction.objects.bulk_create(rows)
    importing.sample_pick(plan=plan, month=month)


# channel code, metric, daily contacts (low, high), share within target,
# mean (low, high)
TIMELINESS = [
    ("phone", "answer_rings", (250, 450), 0.86, (2.0, 3.4)),
    ("email", "response_days", (60, 140), 0.91, (0.5, 1.1)),
    ("letter", "response_days", (3, 12), 0.95, (4.0, 8.0)),
    ("in-person", "wait_minutes", (20, 60), 0.78, (0.6, 1.6)),
]


def _timeliness(rng, today) -> int:
    start = _months(today)[0]
    channels = {c.code: c for c in Channel.objects.all()}
    rows = []
    for code, metric, (low, high), share, (m_low, m_high) in TIMELINESS:
        channel = channels.get(code)
        if channel is None:
            continue
        target = services.timeliness_target(
            channel=channel, unit=TimelinessFigure.UNIT_OF_METRIC[metric], on=today
        )
        day = start
        while day < today:
            if day.weekday() < 5:
                count = rng.randint(low, high)
                # A worse winter on the phones.
                p = share - (0.08 if code == "phone" and day.month in (1, 2) else 0)
                within = sum(rng.random() < p for _ in range(count))
                rows.append(
                    TimelinessFigure(
                        date=day,
                        channel=channel,
                        metric=metric,
                        count=count,
                        within_target=within,
                        mean_value=round(rng.uniform(m_low, m_high), 2),
                        target_value=target,
                    )
                )
            day += datetime.timedelta(days=1)
    TimelinessFigure.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def seed(ctx) -> None:
    if Evaluation.objects.filter(reference__startswith=PREFIX).exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    standards = {
        s.document.identifier: s
        for s in Standard.objects.select_related("document").filter(
            document__identifier__in=TYPE_OF
        )
    }
    if len(standards) < len(TYPE_OF):
        return
    with transaction.atomic():
        members = _team(ctx)
        ctx.count("evaluations", _evaluations(ctx, rng, members, standards, today))
        _calibration(ctx, standards, today)
        ctx.count("calibration sessions")
        _sampling(ctx, rng, members, today)
        ctx.count("sampling plans", 2)
        ctx.count("timeliness figures", _timeliness(rng, today))
