"""Cases over ten years with their status changes and messages.

Each case lives the ISO 10002 workflow of ``complaints.services.WORKFLOW`` up to
now: register → acknowledge → accept → decide → communicate → close, with
feedback closed at once, some cases closed as "not a complaint", about one in
twelve decisions rejected by the customer (internal review, sometimes taken to
an external body) and a few closed cases reopened. A step only happens if its
time has come, so recent cases are spread over the open statuses and some of
them are overdue, as in a live queue. Unit and service follow the category
(the demo taxonomy), the channel follows the demo channel mix.

Rows are written in chunks, so memory stays flat at a million cases.
"""

from __future__ import annotations

import datetime
import time
import zoneinfo
from decimal import Decimal

from django.conf import settings

from complaints import demo as complaints_demo
from complaints.demo import data as demo_data
from complaints.models import (
    Case,
    CaseMonthSummary,
    CaseMonthTally,
    CaseSequence,
    CaseSummaryMonth,
    Message,
    Transition,
)
from complaints.monitoring import summaries
from qms.models import Channel

from .base import (
    BenchContext,
    analyze,
    first_id,
    indexes_deferred,
    reset_sequences,
    scaled,
    weighted,
    write,
)

CASES = 1_000_000
YEARS = 10
CHUNK = 50_000
KIND_MIX = {
    Case.Kind.COMPLAINT: 70,
    Case.Kind.CLAIM: 15,
    Case.Kind.DISPUTE: 2,
    Case.Kind.COMPLIMENT: 7,
    Case.Kind.SUGGESTION: 6,
}
PRIORITY_MIX = {"low": 15, "normal": 70, "high": 12, "urgent": 3}
SEVERITY_MIX = {"low": 25, "medium": 55, "high": 17, "critical": 3}
RESPOND_DAYS = {Case.Kind.CLAIM: 15, Case.Kind.DISPUTE: 30}
DETAILS = [
    "It has happened three times this month.",
    "I called twice and nobody could explain it.",
    "Please fix this before the next invoice.",
    "My neighbours have the same problem.",
    "This is not the first time I write about it.",
    "I expect a written answer and compensation.",
    "The problem started after the works on our street.",
    "I would like someone to call me back.",
]
CASE_COLUMNS = [
    "id", "reference", "public_token", "kind", "status", "received_at",
    "channel_id", "customer_id", "contact_name", "contact_email", "language",
    "service_id", "category_id", "subject", "description", "severity",
    "priority", "org_unit_id", "handler_id", "confidential", "remedy_type",
    "claimed_amount", "body", "acknowledge_due_at", "response_due_at",
    "acknowledged_at", "decided_at", "communicated_at", "closed_at",
    "closure_reason", "reopen_count", "outcome", "decision_reasons",
    "remedy_given", "remedy_cost", "decided_by_id", "customer_reaction",
    "created_by_id", "updated_at",
]  # fmt: skip
TRANSITION_COLUMNS = ["case_id", "from_status", "to_status", "action", "by_id", "at"]
MESSAGE_COLUMNS = [
    "case_id", "direction", "channel_id", "at", "subject", "body", "author_id",
    "to_address", "from_address", "template",
]  # fmt: skip

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


def generate(conn, scale: float, rng, ctx: BenchContext) -> None:
    n = scaled(CASES, scale, minimum=50)
    categories = complaints_demo._categories(ctx.demo)
    leaves = []  # (category id, unit id, service id, subjects, weight)
    for _code, _name, unit, service, children in demo_data.TAXONOMY:
        for code, _child, per_month, _season in children:
            leaves.append(
                (
                    categories[code].pk,
                    ctx.demo.units[unit].pk,
                    ctx.demo.services[service].pk if service else None,
                    demo_data.SUBJECTS[code],
                    per_month,
                )
            )
    channels = {c.code: (c.pk, c.is_written) for c in Channel.objects.all()}
    mix = {c: w for c, w in demo_data.CHANNEL_MIX.items() if c in channels}
    life = _Life(rng, ctx, leaves, channels, mix)

    # Received times: volume grows over the years (u**0.8 leans to the recent).
    span = YEARS * 365 * 86400
    start = ctx.now - datetime.timedelta(seconds=span)
    offsets = sorted(rng.random() ** 0.8 * span for _ in range(n))
    first = first_id(Case)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    sequence: dict[int, int] = dict(CaseSequence.objects.values_list("year", "last"))
    with indexes_deferred(Case, Transition, Message):
        for chunk_start in range(0, n, CHUNK):
            cases, transitions, messages = [], [], []
            for i in range(chunk_start, min(n, chunk_start + CHUNK)):
                received = start + datetime.timedelta(seconds=offsets[i])
                year = received.astimezone(tz).year
                sequence[year] = sequence.get(year, 0) + 1
                reference = f"K-{year}-{sequence[year]:06d}"
                life.case(first + i, reference, received, cases, transitions, messages)
            write(Case, CASE_COLUMNS, cases)
            write(Transition, TRANSITION_COLUMNS, transitions)
            write(Message, MESSAGE_COLUMNS, messages)
            ctx.count("transitions", len(transitions))
            ctx.count("messages", len(messages))
            ctx.say(f"  cases {min(n, chunk_start + CHUNK):,}/{n:,}")
    for year, last in sequence.items():
        CaseSequence.objects.update_or_create(year=year, defaults={"last": last})
    reset_sequences(Case, Transition, Message)
    analyze(Case, Transition, Message)
    # COPY went around Case.save: build the monthly summaries of the
    # monitoring figures, so the benchmark measures the warm state.
    took = time.perf_counter()
    rows = summaries.rebuild()
    analyze(CaseMonthSummary, CaseMonthTally, CaseSummaryMonth)
    ctx.say(f"  monthly summaries: {rows:,} rows in {time.perf_counter() - took:.1f} s")
    ctx.case_ids = range(first, first + n)
    ctx.count("cases", n)


class _Life:
    """Builds one case's row, transitions and messages up to ``now``."""

    def __init__(self, rng, ctx: BenchContext, leaves, channels, mix) -> None:
        self.rng = rng
        self.ctx = ctx
        self.now = ctx.now
        self.leaves = leaves
        self.leaf_weights = [leaf[4] for leaf in leaves]
        self.channels = channels
        self.kinds = weighted(rng, KIND_MIX)
        self.channel_codes = weighted(rng, mix)
        self.priorities = weighted(rng, PRIORITY_MIX)
        self.severities = weighted(rng, SEVERITY_MIX)
        self.customers = ctx.customer_ids
        self.handlers = ctx.handlers
        self.quality = ctx.users["quality"]

    def case(self, pk, reference, received, cases, transitions, messages) -> None:
        rng, now = self.rng, self.now
        kind = next(self.kinds)
        category, unit, service, subjects, _w = rng.choices(
            self.leaves, self.leaf_weights
        )[0]
        channel, written = self.channels[next(self.channel_codes)]
        handler = rng.choice(self.handlers)
        customer = rng.choice(self.customers) if rng.random() < 0.85 else None
        contact_name = "" if customer else "Anonymous caller"
        email = f"c{customer}@example.org" if customer else ""
        if kind == Case.Kind.COMPLIMENT:
            subject = "Thank you for the quick help"
        elif kind == Case.Kind.SUGGESTION:
            subject = "Suggestion: " + rng.choice(subjects).lower()
        else:
            subject = rng.choice(subjects)
        description = f"{subject}. {rng.choice(DETAILS)} {rng.choice(DETAILS)}"
        ack_due = received + D
        respond_due = received + RESPOND_DAYS.get(kind, 15) * D
        created_by = None if written and rng.random() < 0.5 else handler
        row = {
            "status": Case.Status.RECEIVED,
            "acknowledged_at": None,
            "decided_at": None,
            "communicated_at": None,
            "closed_at": None,
            "closure_reason": "",
            "reopen_count": 0,
            "outcome": "",
            "decision_reasons": "",
            "remedy_given": "",
            "remedy_cost": None,
            "decided_by": None,
            "reaction": "",
            "handler": None,
        }
        steps: list[tuple] = []

        def step(action, to, at, by=handler):
            steps.append((pk, row["status"] if steps else "", to, action, by, at))
            row["status"] = to

        step("register", Case.Status.RECEIVED, received, created_by)
        if written:
            messages.append(
                (pk, "in", channel, received, subject, description, None, "",
                 email, "")
            )  # fmt: skip
        at = received + rng.uniform(0.2, 30) * H
        last = received
        try:
            if at > now:
                raise _Stop
            row["handler"] = handler
            if kind in (Case.Kind.COMPLIMENT, Case.Kind.SUGGESTION):
                step("record_feedback", Case.Status.CLOSED, at)
                row.update(closed_at=at, closure_reason="feedback")
                last = at
                raise _Stop
            step("acknowledge", Case.Status.ACKNOWLEDGED, at)
            row["acknowledged_at"] = last = at
            if email:
                messages.append(
                    (pk, "out", channel, at, f"We received your case {reference}",
                     "Thank you, we will answer within 15 days.", handler, email,
                     "", "acknowledgement")
                )  # fmt: skip
            at += rng.uniform(0.1, 3) * D
            if at > now:
                raise _Stop
            if rng.random() < 0.04:
                step("not_a_complaint", Case.Status.CLOSED, at)
                row.update(closed_at=at, closure_reason="not_a_complaint")
                last = at
                raise _Stop
            step("accept", Case.Status.INVESTIGATING, at)
            last = at
            if rng.random() < 0.3:
                messages.append(
                    (pk, "note", None, at + H, "", "Checked the account history.",
                     handler, "", "", "")
                )  # fmt: skip
            rounds = 0
            while True:
                rounds += 1
                # A few cases take much longer than the deadline (overdue).
                slow = rng.random() < 0.06
                at += rng.uniform(1, 30 if slow else 11) * D
                if at > now:
                    raise _Stop
                self._decide(row, kind, handler, at, rounds)
                step("decide", Case.Status.DECIDED, at)
                last = at
                at += rng.uniform(0.05, 1) * D
                if at > now:
                    raise _Stop
                step("communicate", Case.Status.COMMUNICATED, at)
                row["communicated_at"] = last = at
                if email:
                    messages.append(
                        (pk, "out", channel, at, f"Our decision on {reference}",
                         "We have looked into your case carefully.", handler,
                         email, "", "decision")
                    )  # fmt: skip
                at += rng.uniform(2, 14) * D
                if at > now:
                    raise _Stop
                roll = rng.random()
                if rounds == 1 and roll < 0.08:
                    step("customer_rejects", Case.Status.REVIEW, at)
                    row["reaction"] = "rejects"
                    last = at
                    continue
                if rounds > 1 and roll < 0.2:
                    step("escalate", Case.Status.CLOSED, at)
                    row.update(closed_at=at, closure_reason="escalated")
                    row["reaction"] = "rejects"
                    last = at
                    break
                accepts = roll < 0.7
                step("customer_accepts" if accepts else "no_reply",
                     Case.Status.CLOSED, at)  # fmt: skip
                row.update(closed_at=at, closure_reason="resolved")
                row["reaction"] = "accepts" if accepts else "no_reply"
                last = at
                if row["reopen_count"] == 0 and rng.random() < 0.01:
                    at += rng.uniform(1, 20) * D
                    if at > now:
                        break
                    step("reopen", Case.Status.INVESTIGATING, at, self.quality)
                    row.update(closed_at=None, closure_reason="", reaction="")
                    row["reopen_count"] = 1
                    last = at
                    continue
                break
        except _Stop:
            pass
        transitions.extend(steps)
        claim = kind == Case.Kind.CLAIM
        cases.append(
            (
                pk, reference, f"{rng.getrandbits(128):032x}", kind, row["status"],
                received, channel, customer, contact_name, email,
                "et", service, category, subject, description, next(self.severities),
                next(self.priorities), unit, row["handler"],
                rng.random() < 0.01,
                "refund" if claim else "",
                Decimal(rng.randrange(1000, 50000)) / 100 if claim else None,
                "consumer_committee" if kind == Case.Kind.DISPUTE else "",
                ack_due, respond_due, row["acknowledged_at"], row["decided_at"],
                row["communicated_at"], row["closed_at"], row["closure_reason"],
                row["reopen_count"], row["outcome"], row["decision_reasons"],
                row["remedy_given"], row["remedy_cost"], row["decided_by"],
                row["reaction"], created_by, last,
            )
        )  # fmt: skip

    def _decide(self, row, kind, handler, at, rounds) -> None:
        rng = self.rng
        roll = rng.random()
        outcome = "upheld" if roll < 0.38 else "partly" if roll < 0.58 else "not_upheld"
        if rounds > 1 and outcome == "not_upheld" and rng.random() < 0.3:
            outcome = "partly"
        row.update(
            outcome=outcome,
            decision_reasons="Our check found the service and the invoice in order."
            if outcome == "not_upheld"
            else "The service fell short of what we promised.",
            decided_at=at,
            decided_by=handler,
            reaction="",
        )
        if outcome != "not_upheld" and (kind == Case.Kind.CLAIM or roll < 0.45):
            row["remedy_given"] = "Credit note"
            row["remedy_cost"] = Decimal(rng.randrange(500, 20000)) / 100
        else:
            row["remedy_given"] = ""
            row["remedy_cost"] = None


class _Stop(Exception):
    """The case's life has reached now."""
