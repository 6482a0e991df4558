# ruff: noqa: RUF001 - the demo promises are written in Russian too.
"""Demo promises: eleven promises of a water utility with 24 months of
fulfilment events; e-mail answers drift below target, call-backs are at risk,
complaint acknowledgement is derived from the complaints area. Deterministic
(seeded) and safe to run twice; events are bulk-created."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from qms.areas import Area
from qms.calendar import get_calendar
from qms.models import Channel, Document
from qms.periods import month_starts

from .models import (
    BrokenPromiseTag,
    FulfilmentEvent,
    Principle,
    PrincipleScore,
    Promise,
    PromiseIndicator,
    PromiseReview,
    PromiseTransition,
)
from .services import WORKFLOW

SEED = 20265
MONTHS = 24
K = PromiseIndicator.Kind
U = PromiseIndicator.TimeUnit


@dataclass(frozen=True)
class Spec:
    title: str
    et: str
    en: str
    ru: str
    remedy: tuple[str, str, str]
    channels: tuple[str, ...]
    services: tuple[str, ...]
    owner: str
    status: str
    indicator: dict
    per_month: int = 0
    # Probability an event is kept: (first month, last month); the last
    # ``late`` months use ``late_p`` when given (drift).
    p: tuple[float, float] = (0.95, 0.95)
    late: int = 0
    late_p: float = 0.0
    reasons: tuple[str, ...] = ()


NO_REMEDY = ("", "", "")
APOLOGY = (
    "Vabandame ja võtame teiega ühendust samal päeval.",
    "We apologise and contact you the same day.",
    "Мы извинимся и свяжемся с вами в тот же день.",
)

SPECS = [
    Spec(
        "Phone answered within 60 seconds",
        "Vastame telefonile 60 sekundi jooksul.",
        "We answer your call within 60 seconds.",
        "Мы отвечаем на звонок в течение 60 секунд.",
        APOLOGY,
        ("phone",),
        ("water", "billing"),
        "lead",
        Promise.Status.PUBLISHED,
        {
            "name": "Calls answered within 60 s",
            "kind": K.TIME,
            "time_limit": 60,
            "time_unit": U.SECONDS,
            "start_label": "call offered to the queue",
            "end_label": "call answered",
            "target_share": "0.800",
        },
        per_month=150,
        p=(0.84, 0.88),
        reasons=("Peak after a billing run", "Staff shortage", "Outage calls"),
    ),
    Spec(
        "E-mail answered within one working day",
        "Vastame e-kirjale ühe tööpäeva jooksul.",
        "We answer your e-mail within one working day.",
        "Мы отвечаем на электронное письмо в течение одного рабочего дня.",
        APOLOGY,
        ("email",),
        ("billing", "portal"),
        "owner",
        Promise.Status.PUBLISHED,
        {
            "name": "E-mails answered within 1 working day",
            "kind": K.TIME,
            "time_limit": 1,
            "time_unit": U.WORKING_DAYS,
            "start_label": "e-mail received",
            "end_label": "answer sent",
            "target_share": "0.950",
        },
        per_month=120,
        p=(0.975, 0.96),
        late=7,
        late_p=0.86,
        reasons=("Backlog after the tariff change", "Needed a specialist answer"),
    ),
    Spec(
        "Call-back within two working hours",
        "Kui lubame tagasi helistada, teeme seda kahe töötunni jooksul.",
        "When we promise to call you back, we do so within two working hours.",
        "Если мы обещаем перезвонить, мы перезваниваем в течение двух рабочих часов.",
        APOLOGY,
        ("phone",),
        ("water", "wastewater"),
        "owner",
        Promise.Status.PUBLISHED,
        {
            "name": "Call-backs within 2 working hours",
            "kind": K.TIME,
            "time_limit": 2,
            "time_unit": U.WORKING_HOURS,
            "start_label": "call-back promised",
            "end_label": "customer called back",
            "target_share": "0.900",
        },
        per_month=60,
        p=(0.94, 0.93),
        late=4,
        late_p=0.885,
        reasons=("Customer did not answer the first attempt", "Callback list lost"),
    ),
    Spec(
        "Complaints acknowledged within one working day",
        "Kinnitame kaebuse kättesaamist ühe tööpäeva jooksul.",
        "We acknowledge your complaint within one working day.",
        "Мы подтверждаем получение жалобы в течение одного рабочего дня.",
        NO_REMEDY,
        ("email", "web-form", "letter"),
        (),
        "quality",
        Promise.Status.PUBLISHED,
        {
            "name": "Complaints acknowledged on time",
            "kind": K.MEASURE,
            "source_measure": "complaints.acknowledged_on_time_share",
            "target_share": "0.950",
        },
    ),
    Spec(
        "Decision on a complaint within 15 working days",
        "Teeme kaebuse kohta otsuse 15 tööpäeva jooksul.",
        "We decide on your complaint within 15 working days.",
        "Мы принимаем решение по жалобе в течение 15 рабочих дней.",
        (
            "Hilinemise korral saate 10-eurose hüvitise.",
            "If we are late you get a 10 euro credit.",
            "При опоздании вы получаете компенсацию 10 евро.",
        ),
        ("letter", "email"),
        (),
        "quality",
        Promise.Status.PUBLISHED,
        {
            "name": "Decisions within 15 working days",
            "kind": K.TIME,
            "time_limit": 15,
            "time_unit": U.WORKING_DAYS,
            "start_label": "complaint registered",
            "end_label": "decision sent",
            "target_share": "0.950",
        },
        per_month=140,
        p=(0.975, 0.995),
        reasons=("Expert opinion needed", "Waiting for a contractor's report"),
    ),
    Spec(
        "Connection offer within 3 days",
        "Saadame liitumispakkumise 3 päeva jooksul.",
        "We send your connection offer within 3 days.",
        "Мы отправляем предложение о подключении в течение 3 дней.",
        APOLOGY,
        ("web-form", "email"),
        ("connections",),
        "owner2",
        Promise.Status.PUBLISHED,
        {
            "name": "Offers sent within 3 days",
            "kind": K.TIME,
            "time_limit": 3,
            "time_unit": U.CALENDAR_DAYS,
            "start_label": "application complete",
            "end_label": "offer sent",
            "target_share": "0.900",
        },
        per_month=40,
        p=(0.93, 0.97),
        reasons=("Site visit needed", "Design office overloaded"),
    ),
    Spec(
        "Faulty meter replaced within 5 working days",
        "Vahetame rikkis arvesti 5 tööpäeva jooksul.",
        "We replace a faulty meter within 5 working days.",
        "Мы заменяем неисправный счётчик в течение 5 рабочих дней.",
        (
            "Hilinemise korral arvestame tarbimise teie kasuks.",
            "If we are late we estimate consumption in your favour.",
            "При опоздании мы рассчитываем потребление в вашу пользу.",
        ),
        ("phone", "web-form"),
        ("meter",),
        "owner2",
        Promise.Status.PUBLISHED,
        {
            "name": "Meters replaced within 5 working days",
            "kind": K.TIME,
            "time_limit": 5,
            "time_unit": U.WORKING_DAYS,
            "start_label": "fault reported",
            "end_label": "meter replaced",
            "target_share": "0.900",
        },
        per_month=70,
        p=(0.95, 0.99),
        reasons=("Meter model out of stock", "No access to the property"),
    ),
    Spec(
        "Chat answered within 2 minutes",
        "Vestlusaknas vastab inimene 2 minuti jooksul.",
        "A person answers you in the chat within 2 minutes.",
        "В чате вам ответит сотрудник в течение 2 минут.",
        NO_REMEDY,
        ("chatbot",),
        ("portal", "billing"),
        "lead",
        Promise.Status.PUBLISHED,
        {
            "name": "Chats answered within 2 minutes",
            "kind": K.TIME,
            "time_limit": 2,
            "time_unit": U.MINUTES,
            "start_label": "hand-off from the bot",
            "end_label": "first human reply",
            "target_share": "0.900",
        },
        per_month=300,
        p=(0.93, 0.97),
        reasons=("Too many parallel chats",),
    ),
    Spec(
        "Planned interruptions announced two days ahead",
        "Teatame plaanilisest veekatkestusest vähemalt kaks päeva ette.",
        "We announce planned water interruptions at least two days ahead.",
        "Мы сообщаем о плановых отключениях воды минимум за два дня.",
        NO_REMEDY,
        ("social-media", "email"),
        ("water",),
        "owner2",
        Promise.Status.PUBLISHED,
        {
            "name": "Interruptions announced in time",
            "kind": K.KEPT,
            "target_share": "0.900",
        },
        per_month=45,
        p=(0.97, 0.997),
        reasons=("Contractor changed the date", "Announcement not sent"),
    ),
    Spec(
        "Water pressure at least 2.5 bar",
        "Veesurve teie liitumispunktis on vähemalt 2,5 baari.",
        "Water pressure at your connection point is at least 2.5 bar.",
        "Давление воды в точке подключения не ниже 2,5 бар.",
        NO_REMEDY,
        (),
        ("water",),
        "owner2",
        Promise.Status.APPROVED,
        {
            "name": "Pressure measurements at least 2.5 bar",
            "kind": K.LEVEL,
            "threshold": 2.5,
            "direction": PromiseIndicator.Direction.AT_LEAST,
            "value_unit": "bar",
            "target_share": "0.980",
        },
        per_month=20,
        p=(0.98, 0.99),
        reasons=("Pump station maintenance",),
    ),
    Spec(
        "Self-service portal available 99.5 % of the time",
        "Iseteenindus on kättesaadav 99,5 % ajast.",
        "",
        "",
        NO_REMEDY,
        (),
        ("portal",),
        "owner",
        Promise.Status.DRAFT,
        {},
    ),
]

EXCLUSION_REASONS = (
    "Customer asked for a later time",
    "Duplicate record from the telephony system",
    "Force majeure: storm outage",
)


def _months(today: datetime.date) -> list[datetime.date]:
    return month_starts(today, MONTHS + 1)


def _probability(spec: Spec, i: int, count: int) -> float:
    if spec.late and i >= count - 1 - spec.late:
        return spec.late_p
    first, last = spec.p
    return first + (last - first) * i / max(count - 1, 1)


def _start_moment(rng: random.Random, month: datetime.date, calendar, now):
    """A moment in working hours of a working day of ``month``, before now."""
    for _attempt in range(20):
        day = month + datetime.timedelta(days=rng.randrange(28))
        if calendar.is_working_day(day):
            break
    moment = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(9))
        + datetime.timedelta(minutes=rng.randrange(0, 8 * 60 - 1))
    )
    return moment if moment < now else None


def _time_event(rng, indicator, start, kept: bool, calendar) -> dict:
    limit = indicator.time_limit
    unit = indicator.time_unit
    if unit == U.WORKING_DAYS:
        days = rng.randint(0, int(limit)) if kept else int(limit) + rng.randint(1, 4)
        end_day = calendar.add_working_days(timezone.localtime(start).date(), days)
        end = timezone.make_aware(
            datetime.datetime.combine(end_day, datetime.time(10))
            + datetime.timedelta(minutes=rng.randrange(6 * 60))
        )
        return {"ended_at": max(end, start), "elapsed": float(days)}
    amount = limit * rng.uniform(0.1, 1.0) if kept else limit * rng.uniform(1.05, 3)
    if unit == U.WORKING_HOURS:
        end = calendar.add_working_hours(start, amount)
        elapsed = calendar.working_time_between(start, end).total_seconds() / 3600
        return {"ended_at": end, "elapsed": elapsed}
    seconds = (
        amount
        * {
            U.SECONDS: 1,
            U.MINUTES: 60,
            U.CALENDAR_HOURS: 3600,
            U.CALENDAR_DAYS: 86400,
        }[unit]
    )
    return {"ended_at": start + datetime.timedelta(seconds=seconds), "elapsed": amount}


def _events(ctx, spec: Spec, indicator, months, calendar, now) -> list:
    rng = random.Random(f"{SEED}-{spec.title}")
    events = []
    for i, month in enumerate(months):
        p = _probability(spec, i, len(months))
        n = max(1, int(spec.per_month * rng.uniform(0.85, 1.15)))
        for _k in range(n):
            start = _start_moment(rng, month, calendar, now)
            if start is None:
                continue
            kept = rng.random() < p
            fields = {"occurred_at": start, "kept": kept}
            if indicator.kind == K.TIME:
                fields["started_at"] = start
                fields.update(_time_event(rng, indicator, start, kept, calendar))
                if fields["ended_at"] > now:
                    continue
            elif indicator.kind == K.LEVEL:
                threshold = indicator.threshold
                fields["value"] = round(
                    threshold + rng.uniform(0.05, 1.5)
                    if kept
                    else threshold - rng.uniform(0.05, 0.8),
                    2,
                )
            excluded = rng.random() < 0.01
            events.append(
                FulfilmentEvent(
                    indicator=indicator,
                    reason="" if kept else rng.choice(spec.reasons or ("",)),
                    excluded=excluded,
                    exclusion_reason=rng.choice(EXCLUSION_REASONS) if excluded else "",
                    source=FulfilmentEvent.Source.IMPORT,
                    recorded_by=ctx.users.get("agent"),
                    **fields,
                )
            )
    return events


def _users(ctx) -> dict:
    users = dict(ctx.users)
    missing = {s.owner for s in SPECS} - set(users) | {"quality", "agent"} - set(users)
    if missing:
        users.update(
            {
                u.username: u
                for u in get_user_model().objects.filter(username__in=missing)
            }
        )
    ctx.users.update(users)
    return users


def _tag_cases(ctx, promises: dict[str, Promise]) -> None:
    """Tag a few complaints as broken promises. ``seed_demo`` runs the areas
    in navigation order, promises before complaints, so the complaints demo
    is seeded here first (it is safe to run twice: the later call finds its
    cases and adds nothing)."""
    from complaints import demo as complaints_demo
    from complaints.models import Case

    if BrokenPromiseTag.objects.exists():
        return
    if not Case.objects.exists():
        complaints_demo.seed(ctx)
    targets = [
        promises.get("E-mail answered within one working day"),
        promises.get("Decision on a complaint within 15 working days"),
    ]
    cases = list(Case.objects.order_by("-received_at")[:4])
    tags = [
        BrokenPromiseTag(
            promise=targets[i % 2], case=case, tagged_by=ctx.users.get("quality")
        )
        for i, case in enumerate(cases)
        if targets[i % 2] is not None
    ]
    BrokenPromiseTag.objects.bulk_create(tags)
    ctx.count("broken-promise tags", len(tags))


def seed(ctx) -> None:
    users = _users(ctx)
    existing = {
        p.title: p for p in Promise.objects.filter(title__in=[s.title for s in SPECS])
    }
    if existing:
        _tag_cases(ctx, existing)
        return
    today = timezone.localdate()
    now = timezone.now()
    months = _months(today)
    calendar = get_calendar()
    process = Document.objects.filter(
        area=Area.PROMISES, kind=Document.Kind.PROCESS
    ).first()
    channels = {c.code: c for c in Channel.objects.all()}
    with transaction.atomic():
        promises = [
            Promise(
                title=s.title,
                text_et=s.et,
                text_en=s.en,
                text_ru=s.ru,
                remedy_et=s.remedy[0],
                remedy_en=s.remedy[1],
                remedy_ru=s.remedy[2],
                internal_description=(
                    "Measured from the source system; the team lead checks the "
                    "daily figures and moves staff between queues."
                ),
                conditions="Working days in Estonia; public holidays excluded.",
                capability_rationale=(
                    "Staffing plan and the 2026 budget cover the expected volume "
                    "with a 10 % reserve."
                ),
                owner=users[s.owner],
                status=s.status,
                published_at=now - datetime.timedelta(days=MONTHS * 31)
                if s.status == Promise.Status.PUBLISHED
                else None,
                next_review_date=today + datetime.timedelta(days=30 + 20 * i),
            )
            for i, s in enumerate(SPECS)
        ]
        bulk_create_with_history(promises, Promise, batch_size=100)
        promises = list(Promise.objects.filter(title__in=[s.title for s in SPECS]))
        by_title = {p.title: p for p in promises}
        for spec in SPECS:
            promise = by_title[spec.title]
            promise.channels.set([channels[c] for c in spec.channels if c in channels])
            promise.services.set(
                [ctx.services[c] for c in spec.services if c in ctx.services]
            )
            if process is not None:
                promise.procedures.set([process])
        indicators = PromiseIndicator.objects.bulk_create(
            [
                PromiseIndicator(promise=by_title[s.title], **s.indicator)
                for s in SPECS
                if s.indicator
            ]
        )
        by_promise = {i.promise_id: i for i in indicators}
        events = []
        for spec in SPECS:
            indicator = by_promise.get(by_title[spec.title].pk)
            if indicator is not None and indicator.kind != K.MEASURE and spec.per_month:
                events += _events(ctx, spec, indicator, months, calendar, now)
        FulfilmentEvent.objects.bulk_create(events, batch_size=2000)
        _log_and_scores(ctx, promises, users, now)
        _review(by_title["Phone answered within 60 seconds"], users, today)
    ctx.count("promises", len(promises))
    ctx.count("fulfilment events", len(events))
    _tag_cases(ctx, by_title)


def _log_and_scores(ctx, promises, users, now) -> None:
    rng = random.Random(SEED)
    path = [Promise.Status.DRAFT, Promise.Status.APPROVED, Promise.Status.PUBLISHED]
    start = now - datetime.timedelta(days=MONTHS * 31 + 10)
    log, scores = [], []
    for promise in promises:
        steps = (
            path[: path.index(promise.status) + 1] if promise.status in path else path
        )
        previous = ""
        for n, status in enumerate(steps):
            log.append(
                PromiseTransition(
                    promise=promise,
                    from_status=previous,
                    to_status=status,
                    action=WORKFLOW.step_between(previous, status),
                    by=users["quality"],
                    at=start + datetime.timedelta(days=5 * n),
                )
            )
            previous = status
        if promise.status != Promise.Status.DRAFT:
            scores += [
                PrincipleScore(
                    promise=promise,
                    principle=value,
                    score=rng.choice((1, 2, 2, 3, 3)),
                    assessed_by=users["quality"],
                    assessed_at=start,
                )
                for value, _label in Principle.choices
            ]
    PromiseTransition.objects.bulk_create(log)
    PrincipleScore.objects.bulk_create(scores)


def _review(promise: Promise, users, today: datetime.date) -> None:
    PromiseReview.objects.create(
        promise=promise,
        period_start=today - datetime.timedelta(days=2 * 365),
        period_end=today - datetime.timedelta(days=365),
        performance_summary=(
            "Calls answered within 60 s: 84.6 % (95 % CI 83.1-86.0 %), target 80 %: "
            "meets target in 11 of 12 months."
        ),
        complaints_summary="Three complaints about waiting times in January.",
        context_changes="No change in law. A new telephony system from March.",
        decision=PromiseReview.Decision.KEEP,
        decision_notes="Keep the promise; review the target after the new system.",
        next_review_date=promise.next_review_date,
        reviewed_by=users["quality"],
    )
