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
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from qms.calendar import WorkingCalendar, get_calendar
from qms.models import Channel, Customer

from . import deadlines, services, summaries
from .models import Case, CaseSequence, Category, DeadlineRule, Message, Transition

SEED = 2026
MONTHS = 24
SPIKE_MONTHS_AGO = 4
SPIKE_CATEGORY = "water-discoloured"
SPIKE_EXTRA_CASES = 75
# Scales the monthly volumes of TAXONOMY (about 3,500 cases in two years).
VOLUME = 1.25


def _months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


# The month of the planted spike, a few months back so the default twelve
# months of the monitoring page show it.
SPIKE_MONTH = _months_before(datetime.date.today(), SPIKE_MONTHS_AGO)

Status = Case.Status
Kind = Case.Kind

# code, name, unit code, service code, [(code, name, cases a month, season)]
TAXONOMY = [
    ("billing", "Billing", "billing", "billing", [
        ("billing-wrong-amount", "Wrong amount", 20, "winter"),
        ("billing-payment-not-registered", "Payment not registered", 11, "winter"),
        ("billing-late-invoice", "Late invoice", 7, "winter"),
    ]),
    ("water-quality", "Water quality", "network", "water", [
        (SPIKE_CATEGORY, "Discoloured water", 5, None),
        ("water-taste-smell", "Taste or smell", 4, None),
        ("water-pressure", "Low pressure", 6, "summer"),
    ]),
    ("service", "Service", "contact-centre", None, [
        ("service-rude-staff", "Rude staff", 4, None),
        ("service-no-answer", "No answer", 8, None),
        ("service-wrong-information", "Wrong information", 6, None),
    ]),
    ("connections", "Connections", "network", "connections", [
        ("connections-delay", "Delay", 5, "summer"),
        ("connections-cost", "Cost", 3, None),
    ]),
    ("metering", "Metering", "network", "meter", [
        ("metering-reading-error", "Reading error", 9, "winter"),
        ("metering-meter-fault", "Meter fault", 4, "winter"),
    ]),
    ("portal", "Website and portal", "service", "portal", [
        ("portal-login", "Login", 7, None),
        ("portal-errors", "Errors", 5, None),
    ]),
]  # fmt: skip

SUBJECTS = {
    "billing-wrong-amount": ["Invoice amount too high", "Charged twice this month"],
    "billing-payment-not-registered": ["Payment not shown", "Reminder after paying"],
    "billing-late-invoice": ["Invoice arrived late", "No invoice this month"],
    SPIKE_CATEGORY: ["Brown water from the tap", "Water is discoloured"],
    "water-taste-smell": ["Water smells of chlorine", "Strange taste"],
    "water-pressure": ["Very low pressure", "No pressure upstairs"],
    "service-rude-staff": ["Unfriendly agent", "Staff member was rude"],
    "service-no-answer": ["Nobody answers the phone", "No reply to my e-mail"],
    "service-wrong-information": ["Was told the wrong date", "Conflicting answers"],
    "connections-delay": ["Connection still not done", "Works delayed again"],
    "connections-cost": ["Connection fee too high", "Unexpected extra cost"],
    "metering-reading-error": ["Meter reading is wrong", "Estimated reading"],
    "metering-meter-fault": ["Meter not working", "Meter leaking"],
    "portal-login": ["Cannot log in", "Password reset fails"],
    "portal-errors": ["Error when paying online", "Page does not load"],
}
COMPLIMENTS = ["Quick repair, thank you", "Very helpful agent", "Clear answer"]
SUGGESTIONS = ["Please add SMS reminders", "Show usage history in the portal"]

# Channel code: share of cases.
CHANNEL_MIX = {
    "phone": 34,
    "email": 24,
    "web-form": 16,
    "in-person": 8,
    "letter": 4,
    "social-media": 5,
    "chatbot": 3,
    "ticket-system": 6,
}
WRITTEN = {"email", "web-form", "letter", "social-media", "chatbot", "ticket-system"}
HANDLERS = {"agent": 45, "agent2": 35, "lead": 20}

DISPUTE_OUTCOMES = [
    (Case.DisputeOutcome.SETTLED, 35),
    (Case.DisputeOutcome.FOR_US, 30),
    (Case.DisputeOutcome.PARTLY_FOR_CUSTOMER, 15),
    (Case.DisputeOutcome.FOR_CUSTOMER, 12),
    (Case.DisputeOutcome.WITHDRAWN, 8),
]


# Letters are written before the cases are numbered; _save fills this in.
REFERENCE_TOKEN = "[reference]"


class _Stop(Exception):
    """The next step of a case's life lies in the future: it stays open."""


@dataclass
class _Draft:
    case: Case
    events: list[Transition] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    origin: _Draft | None = None


class _Builder:
    """Lives cases through the workflow up to ``now``."""

    def __init__(self, rng: random.Random, now: datetime.datetime) -> None:
        self.rng = rng
        self.now = now
        self.tz = timezone.get_default_timezone()
        self.calendar: WorkingCalendar = get_calendar()
        end = datetime.time.fromisoformat(settings.WORKING_HOURS_END)
        self.close_of_day = end
        self.rules = {
            rule.kind: rule for rule in DeadlineRule.objects.filter(priority="")
        }
        channels = {c.code: c for c in Channel.objects.filter(is_active=True)}
        self.channels = [
            (channels[code], weight)
            for code, weight in CHANNEL_MIX.items()
            if code in channels
        ] or [(c, 1) for c in channels.values()]
        self.drafts: list[_Draft] = []

    # Random helpers ---------------------------------------------------------

    def pick(self, weighted):
        items, weights = zip(*weighted, strict=True)
        return self.rng.choices(items, weights=weights)[0]

    def hours(self, low: float, high: float) -> datetime.timedelta:
        return datetime.timedelta(hours=self.rng.uniform(low, high))

    def days(self, low: float, high: float) -> datetime.timedelta:
        return datetime.timedelta(days=self.rng.uniform(low, high))

    # Deadlines, as complaints.deadlines.due_after with one calendar ---------

    def due(self, start: datetime.datetime, amount: int, unit: str):
        if unit == DeadlineRule.Unit.WORKING_HOURS:
            return self.calendar.add_working_hours(start, amount)
        day = timezone.localtime(start, self.tz).date()
        if unit == DeadlineRule.Unit.WORKING_DAYS:
            last = self.calendar.add_working_days(day, amount)
            return timezone.make_aware(
                datetime.datetime.combine(last, self.close_of_day), self.tz
            )
        return deadlines.end_of_day(day + datetime.timedelta(days=amount))

    def deadlines_for(self, case: Case) -> None:
        rule = self.rules.get(case.kind) or deadlines.DEFAULT_RULE
        case.acknowledge_due_at = self.due(
            case.received_at, rule.acknowledge_within, rule.acknowledge_unit
        )
        case.response_due_at = self.due(
            case.received_at, rule.respond_within, rule.respond_unit
        )

    def working_moment(self, day: datetime.date) -> datetime.datetime:
        """Some time during the working hours of ``day`` or the next working
        day after it."""
        day = self.calendar.next_working_day(day)
        start = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9)), self.tz
        )
        return start + self.hours(0.2, 7.8)

    # The workflow -----------------------------------------------------------

    def step(self, draft: _Draft, action: str, to: str, at, by, comment=""):
        """One transition with the milestones ``case_transition`` sets."""
        if at > self.now:
            raise _Stop
        case = draft.case
        if action in ("acknowledge", "accept") and case.acknowledged_at is None:
            case.acknowledged_at = at
        if action == "decide":
            case.decided_at = at
            case.decided_by = by
            case.customer_reaction = ""
        if action == "communicate":
            case.communicated_at = at
        if action in services.REACTION_FOR_ACTION:
            case.customer_reaction = services.REACTION_FOR_ACTION[action]
        if to == Status.CLOSED:
            case.closed_at = at
            case.closure_reason = services.CLOSURE_FOR_ACTION[action]
        if action == "reopen":
            case.closed_at = None
            case.closure_reason = ""
            case.reopen_count += 1
        draft.events.append(
            Transition(
                from_status=case.status if draft.events else "",
                to_status=to,
                action=action,
                by=by,
                at=at,
                comment=comment,
            )
        )
        case.status = to
        return at

    def letter(self, draft: _Draft, template: str, at, subject: str, body: str):
        case = draft.case
        if case.contact_email and at <= self.now:
            draft.messages.append(
                Message(
                    direction=Message.Direction.OUTGOING,
                    at=at,
                    subject=f"{subject} ({REFERENCE_TOKEN})",
                    body=body,
                    author=case.handler,
                    to_address=case.contact_email,
                    template=template,
                )
            )

    def decide(self, draft: _Draft, at, *, claim: bool, favour: float = 0.0):
        if at > self.now:
            # Not decided yet: leave no outcome on a case still under way.
            raise _Stop
        case = draft.case
        outcome = self.pick(
            [
                (Case.Outcome.UPHELD, 38 + favour),
                (Case.Outcome.PARTLY, 20),
                (Case.Outcome.NOT_UPHELD, 42 - favour),
            ]
        )
        case.outcome = outcome
        case.decision_reasons = (
            ""
            if outcome == Case.Outcome.UPHELD
            else "Our check found the service and the invoice in order."
        )
        case.remedy_cost = None
        if outcome != Case.Outcome.NOT_UPHELD and (claim or self.rng.random() < 0.3):
            median = 45 if claim else 20
            cost = median * math.exp(self.rng.gauss(0, 0.7))
            case.remedy_cost = Decimal(f"{cost:.2f}")
            case.remedy_given = "Credit note" if claim else "Goodwill payment"
        self.step(draft, "decide", Status.DECIDED, at, case.handler)

    def live(self, draft: _Draft, pace: float) -> None:
        """Take a complaint or claim as far as ``now`` allows."""
        case, handler = draft.case, draft.case.handler
        received = case.received_at
        if self.rng.random() < 0.88:
            ack = self.calendar.add_working_hours(received, self.rng.uniform(0.2, 7))
        else:
            ack = self.calendar.add_working_hours(
                case.acknowledge_due_at, self.rng.uniform(1, 16)
            )
        if self.rng.random() < 0.03:
            self.step(
                draft,
                "not_a_complaint",
                Status.CLOSED,
                ack,
                handler,
                "A question about the tariff, answered on the spot.",
            )
            return
        self.step(draft, "acknowledge", Status.ACKNOWLEDGED, ack, handler)
        self.letter(
            draft,
            "acknowledgement",
            ack,
            "We received your case",
            "Thank you for contacting us. We will answer within 15 days.",
        )
        accepted = self.step(
            draft,
            "accept",
            Status.INVESTIGATING,
            self.calendar.add_working_hours(ack, self.rng.uniform(0.1, 3)),
            handler,
        )
        # Calendar days to the answer: median about a week, a long tail.
        days = 7 * pace * math.exp(self.rng.gauss(0, 0.5))
        local_day = timezone.localtime(received, self.tz).date()
        answered = max(
            self.working_moment(local_day + datetime.timedelta(days=days)),
            accepted + datetime.timedelta(hours=2),
        )
        claim = case.kind == Kind.CLAIM
        decided = max(answered - self.hours(1, 20), accepted + self.hours(0.5, 1))
        self.decide(draft, decided, claim=claim)
        self.step(draft, "communicate", Status.COMMUNICATED, answered, handler)
        self.letter(
            draft, "decision", answered, "Our decision", "Please find our decision."
        )
        roll = self.rng.random()
        if roll < 0.05:
            rejected = self.step(
                draft,
                "customer_rejects",
                Status.REVIEW,
                answered + self.days(2, 10),
                handler,
                "The customer does not accept the decision.",
            )
            self.decide(draft, rejected + self.days(2, 8), claim=claim, favour=10)
            again = self.step(
                draft,
                "communicate",
                Status.COMMUNICATED,
                case.decided_at + self.hours(2, 24),
                handler,
            )
            if self.rng.random() < 0.45:
                self.escalate(draft, again + self.days(5, 20))
                return
            self.step(
                draft,
                "customer_accepts",
                Status.CLOSED,
                again + self.days(2, 7),
                handler,
            )
        elif roll < 0.25:
            self.step(
                draft, "no_reply", Status.CLOSED, answered + self.days(14, 15), handler
            )
        else:
            self.step(
                draft,
                "customer_accepts",
                Status.CLOSED,
                answered + self.days(1, 10),
                handler,
            )
        if self.rng.random() < 0.035:
            reopened = self.step(
                draft,
                "reopen",
                Status.INVESTIGATING,
                case.closed_at + self.days(3, 40),
                handler,
                "The customer reports the same problem again.",
            )
            self.decide(draft, reopened + self.days(2, 8), claim=claim, favour=15)
            communicated = self.step(
                draft,
                "communicate",
                Status.COMMUNICATED,
                case.decided_at + self.hours(2, 24),
                handler,
            )
            self.step(
                draft,
                "customer_accepts",
                Status.CLOSED,
                communicated + self.days(2, 7),
                handler,
            )

    def escalate(self, draft: _Draft, at: datetime.datetime) -> None:
        origin = draft.case
        self.step(
            draft,
            "escalate",
            Status.CLOSED,
            at,
            origin.handler,
            "Consumer Disputes Committee",
        )
        dispute = services.dispute_draft(
            origin,
            received_at=at,
            body=Case.Body.CONSUMER_COMMITTEE,
            body_name="Consumer Disputes Committee",
            body_reference=f"TVK-{self.rng.randrange(1000, 9999)}",
            notice_date=timezone.localtime(at, self.tz).date(),
            method=Case.Method.RECOMMENDATION,
            created_by=origin.handler,
        )
        dispute._history_date = at
        self.deadlines_for(dispute)
        child = _Draft(case=dispute, origin=draft)
        self.drafts.append(child)
        try:
            self.register(child)
            ack = self.calendar.add_working_hours(at, self.rng.uniform(0.5, 6))
            self.step(child, "acknowledge", Status.ACKNOWLEDGED, ack, dispute.handler)
            accepted = self.step(
                child, "accept", Status.INVESTIGATING, ack + self.hours(1, 3), None
            )
            self.decide(child, accepted + self.days(5, 12), claim=False)
            answered = self.step(
                child,
                "communicate",
                Status.COMMUNICATED,
                dispute.decided_at + self.hours(2, 30),
                dispute.handler,
            )
            closed = answered + self.days(10, 40)
            if closed <= self.now:
                dispute.dispute_outcome = self.pick(DISPUTE_OUTCOMES)
                dispute.outcome_implemented_on = (closed + self.days(1, 10)).date()
            self.step(child, "customer_accepts", Status.CLOSED, closed, None)
        except _Stop:
            pass

    def register(self, draft: _Draft) -> None:
        case = draft.case
        self.step(draft, "register", Status.RECEIVED, case.received_at, case.created_by)
        if case.channel.code in WRITTEN:
            draft.messages.append(
                Message(
                    direction=Message.Direction.INCOMING,
                    channel=case.channel,
                    at=case.received_at,
                    subject=case.subject,
                    body=case.description,
                    from_address=case.contact_email,
                )
            )


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
    start = _months_before(today, MONTHS - 1)
    first_month_end = timezone.make_aware(
        datetime.datetime.combine(_months_before(today, MONTHS - 2), datetime.time())
    )
    if not Case.objects.filter(received_at__lt=first_month_end).exists():
        with transaction.atomic():
            categories = _categories(ctx)
            rng = random.Random(SEED)
            _backdate_customers(start, random.Random(SEED + 1))
            count = _seed_cases(ctx, categories, start, today, rng)
        ctx.count("cases", count)
    # Root-cause analyses of the demo cases (safe to run twice on its own).
    from complaints import demo_rca

    demo_rca.seed(ctx)


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
        days_in_month = (_months_before(month, -1) - month).days
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
        month = _months_before(month, -1)

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
