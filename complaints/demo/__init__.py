"""Demo data of the complaints area: two years of cases to monitor.

Called by ``seed_demo`` after the core demo. Deterministic for a given day
(its own random stream) and safe to run twice: it creates nothing when the
register already holds cases from the start of its two-year window.

The cases follow the real workflow's rules (the same statuses, transitions,
milestones and deadlines as :mod:`complaints.services`), but are written with
``bulk_create`` so the quick start stays fast. Volumes have seasons (billing
and metering in winter, water pressure and connections in summer), and one
planted signal: discoloured water spikes in :data:`SPIKE_MONTH`, which the
u-chart of that category flags.

What the cases are about (categories, volumes, channels, the spike) is in
:mod:`~complaints.demo.data`; how each case lives through the workflow in
:mod:`~complaints.demo.lives`; ``seed_demo`` calls :func:`seed`, which runs
the root-cause demo (:mod:`complaints.rca.demo`) too.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import math
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from qms.models import Customer
from qms.periods import month_start

from ..models import Case, CaseSequence, Category, Message, Transition
from ..monitoring import summaries
from .data import (
    COMPLIMENTS,
    HANDLERS,
    MONTHS,
    SEED,
    SPIKE_CATEGORY,
    SPIKE_EXTRA_CASES,
    SPIKE_MONTH,
    SUBJECTS,
    SUGGESTIONS,
    TAXONOMY,
    VOLUME,
    WRITTEN,
)
from .lives import REFERENCE_TOKEN, _Builder, _Draft, _Stop

Status = Case.Status
Kind = Case.Kind


def _season(month: int, season: str | None) -> float:
    if season == "winter":
        return 1 + 0.35 * math.cos(2 * math.pi * (month - 1) / 12)
    if season == "summer":
        return 1 + 0.45 * math.cos(2 * math.pi * (month - 7) / 12)
    return 1.0


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; the means here are below 60)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _categories(ctx) -> dict[str, Category]:
    found = {}
    for order, (code, name, _unit, _service, children) in enumerate(TAXONOMY):
        parent, created = Category.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )
        ctx.count("case categories", created)
        found[code] = parent
        for position, (child_code, child_name, *_rest) in enumerate(children):
            child, created = Category.objects.get_or_create(
                code=child_code,
                defaults={"name": child_name, "parent": parent, "sort_order": position},
            )
            ctx.count("case categories", created)
            found[child_code] = child
    return found


def _backdate_customers(start: datetime.date, rng: random.Random) -> None:
    """The core demo creates its customers today; spread them over the past so
    the complaint rate has customers to divide by: most long-standing, the
    rest joining over the two years shown."""
    window_start = timezone.make_aware(
        datetime.datetime.combine(start, datetime.time())
    )
    customers = list(
        Customer.objects.filter(
            reference__regex=r"^C-\d{6}$", created_at__gte=window_start
        ).order_by("reference")
    )
    span = (timezone.now() - window_start).total_seconds()
    established = int(len(customers) * 0.84)
    for index, customer in enumerate(customers):
        if index < established:
            customer.created_at = window_start - datetime.timedelta(
                days=rng.uniform(30, 3650)
            )
        else:
            share = (index - established + rng.random()) / (
                len(customers) - established
            )
            customer.created_at = window_start + datetime.timedelta(
                seconds=span * share
            )
    Customer.objects.bulk_update(customers, ["created_at"], batch_size=500)


def _number(drafts: list[_Draft]) -> None:
    """K-<year>-<number> in order of receipt, after any numbers already used."""
    drafts.sort(key=lambda d: d.case.received_at)
    last = dict(CaseSequence.objects.values_list("year", "last"))
    for draft in drafts:
        year = timezone.localtime(draft.case.received_at).year
        last[year] = last.get(year, 0) + 1
        draft.case.reference = f"K-{year}-{last[year]:06d}"
    for year, number in last.items():
        CaseSequence.objects.update_or_create(year=year, defaults={"last": number})


def seed(ctx) -> None:
    """Create two years of cases unless the register already holds cases from
    the start of that window (a second run, or real history)."""
    today = timezone.localdate()
    start = month_start(today, 1 - MONTHS)
    first_month_end = timezone.make_aware(
        datetime.datetime.combine(month_start(today, 2 - MONTHS), datetime.time())
    )
    if not Case.objects.filter(received_at__lt=first_month_end).exists():
        with transaction.atomic():
            categories = _categories(ctx)
            rng = random.Random(SEED)
            _backdate_customers(start, random.Random(SEED + 1))
            count = _seed_cases(ctx, categories, start, today, rng)
        ctx.count("cases", count)
    # Root-cause analyses of the demo cases and the improvements that grow
    # from them (each safe to run twice on its own).
    from complaints.rca import demo as rca_demo

    from . import improvements

    rca_demo.seed(ctx)
    improvements.seed(ctx)


def _seed_cases(ctx, categories, start, today, rng) -> int:
    now = timezone.now()
    builder = _Builder(rng, now)
    customers = sorted(
        Customer.objects.values_list(
            "created_at", "pk", "name", "email", "phone", "preferred_language"
        )
    )
    joined = [c[0] for c in customers]
    handlers = [(ctx.users[name], weight) for name, weight in HANDLERS.items()]
    tz = timezone.get_default_timezone()

    def new_case(kind, category, unit_code, service_code, received, subject):
        channel = builder.pick(builder.channels)
        handler = builder.pick(handlers)
        if channel.code in WRITTEN and rng.random() < 0.5:
            handler = ctx.users["agent2"]
        unit = ctx.units[unit_code]
        if unit_code == "contact-centre":
            unit = ctx.units[
                "offices"
                if channel.code == "in-person"
                else "written"
                if channel.code in WRITTEN
                else "contact-centre"
            ]
        known = bisect.bisect_right(joined, received)
        customer = None
        if known and rng.random() > 0.05:
            customer = customers[rng.randrange(known)]
        case = Case(
            kind=kind,
            received_at=received,
            channel=channel,
            customer_id=customer[1] if customer else None,
            contact_name=customer[2] if customer else "",
            contact_email=customer[3] if customer else "",
            contact_phone=customer[4] if customer else "",
            language=customer[5] if customer else "et",
            service=ctx.services.get(service_code) if service_code else None,
            category=category,
            org_unit=unit,
            handler=handler,
            subject=subject,
            description=f"{subject}. Please look into it and let me know.",
            created_by=None if channel.code in WRITTEN else handler,
        )
        case._history_date = received
        builder.deadlines_for(case)
        draft = _Draft(case=case)
        builder.drafts.append(draft)
        builder.register(draft)
        return draft

    def moment(day: datetime.date, written: bool) -> datetime.datetime:
        hour = rng.uniform(7, 23) if written else rng.uniform(8.5, 17.5)
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time()), tz
        ) + datetime.timedelta(hours=hour)

    month = start
    while month <= today:
        days_in_month = (month_start(month, 1) - month).days
        last_day = min(days_in_month, (today - month).days + 1)
        # Some months are slower than others (holidays, sick leave).
        pace = rng.uniform(0.85, 1.3)
        plan = []
        for main, _name, unit_code, service, children in TAXONOMY:
            for code, _child, per_month, season in children:
                mean = VOLUME * per_month * _season(month.month, season) * last_day
                mean /= days_in_month
                n = _poisson(rng, mean)
                if month == SPIKE_MONTH and code == SPIKE_CATEGORY:
                    n += SPIKE_EXTRA_CASES
                plan.extend([(main, code, unit_code, service)] * n)
        for main, code, unit_code, service in plan:
            if code == SPIKE_CATEGORY and month == SPIKE_MONTH:
                # A main burst in the middle of the month.
                day = month + datetime.timedelta(days=rng.randint(7, 20))
            else:
                day = month + datetime.timedelta(days=rng.randrange(last_day))
            received = moment(day, rng.random() < 0.5)
            if received > now:
                continue
            kind = (
                Kind.CLAIM
                if main in ("billing", "metering") and rng.random() < 0.3
                else Kind.COMPLAINT
            )
            draft = new_case(
                kind,
                categories[code],
                unit_code,
                service,
                received,
                rng.choice(SUBJECTS[code]),
            )
            with contextlib.suppress(_Stop):
                builder.live(draft, pace)
        for _ in range(_poisson(rng, 14 * last_day / days_in_month)):
            compliment = rng.random() < 0.6
            received = moment(
                month + datetime.timedelta(days=rng.randrange(last_day)), True
            )
            if received > now:
                continue
            draft = new_case(
                Kind.COMPLIMENT if compliment else Kind.SUGGESTION,
                categories["service" if compliment else "portal"],
                "contact-centre" if compliment else "service",
                None if compliment else "portal",
                received,
                rng.choice(COMPLIMENTS if compliment else SUGGESTIONS),
            )
            with contextlib.suppress(_Stop):
                builder.step(
                    draft,
                    "record_feedback",
                    Status.CLOSED,
                    received + builder.days(0.1, 4),
                    draft.case.handler,
                    "Passed on to the team.",
                )
        month = month_start(month, 1)

    return _save(builder.drafts)


def _save(drafts: list[_Draft]) -> int:
    _number(drafts)
    for draft in drafts:
        # Letters were written before the case had its number.
        for message in draft.messages:
            message.subject = message.subject.replace(
                REFERENCE_TOKEN, draft.case.reference
            )
    originals = [d for d in drafts if d.origin is None]
    disputes = [d for d in drafts if d.origin is not None]
    bulk_create_with_history([d.case for d in originals], Case, batch_size=500)
    for draft in disputes:
        draft.case.origin_id = draft.origin.case.pk
    bulk_create_with_history([d.case for d in disputes], Case, batch_size=500)
    transitions, messages = [], []
    for draft in drafts:
        for event in draft.events:
            event.case_id = draft.case.pk
            transitions.append(event)
        for message in draft.messages:
            message.case_id = draft.case.pk
            messages.append(message)
    Transition.objects.bulk_create(transitions, batch_size=1000)
    Message.objects.bulk_create(messages, batch_size=1000)
    # bulk_create goes around Case.save: the summarised months are stale.
    summaries.invalidate_all()
    return len(drafts)
