"""The demo cases' lives: each case taken through the real workflow's steps
(statuses, transitions, milestones, deadlines and letters) up to now."""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from qms.calendar import WorkingCalendar, get_calendar
from qms.models import Channel

from .. import deadlines, services
from ..models import Case, DeadlineRule, Message, Transition
from .data import CHANNEL_MIX, DISPUTE_OUTCOMES, WRITTEN

Status = Case.Status
Kind = Case.Kind

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
