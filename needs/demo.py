"""Demo registry: about 150 needs across segments and sources, some overdue
for review, some accepted but uncovered. Deterministic, safe to run twice."""

from __future__ import annotations

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .models import Need, NeedLink, NeedReview, NeedTransition
from .services import WORKFLOW

SEED = 20266
COUNT = 150
MARKER = "[demo]"

THEMES = [
    "Bills are easy to read and explain every charge",
    "Someone answers the phone within two minutes",
    "Appointments can be booked online in the evening",
    "Outages are announced a day in advance by text message",
    "Written answers come in the customer's own language",
    "One contact person follows a business account",
    "Repairs are done at a time agreed with the customer",
    "Fees are published before the contract is signed",
    "The service office is accessible by wheelchair",
    "Complaints are answered within the legal deadline",
    "Personal data is handled as the GDPR requires",
    "Meter readings can be sent through the mobile app",
    "Invoices can be split between housing association members",
    "New customers get a short start-up guide",
    "Public bodies receive e-invoices in the state format",
]
SOURCES = [s for s, _label in Need.Source.choices]
STATUS_PLAN = [
    # status, share of the demo needs
    (Need.Status.IDENTIFIED, 0.15),
    (Need.Status.VALIDATED, 0.10),
    (Need.Status.REVIEWED, 0.10),
    (Need.Status.ACCEPTED, 0.35),
    (Need.Status.ADDRESSED, 0.12),
    (Need.Status.REJECTED, 0.08),
    (Need.Status.DEFERRED, 0.10),
]
PATH = [
    Need.Status.IDENTIFIED,
    Need.Status.VALIDATED,
    Need.Status.REVIEWED,
    Need.Status.ACCEPTED,
    Need.Status.ADDRESSED,
]


def _status(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for status, share in STATUS_PLAN:
        total += share
        if roll < total:
            return status
    return Need.Status.ACCEPTED


def seed(ctx) -> None:
    if Need.objects.filter(statement__endswith=MARKER).exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    users = ctx.users
    quality = users.get("quality")
    owners = [u for u in (users.get("owner"), quality) if u is not None]
    segments = list(ctx.segments.values())
    services = list(ctx.services.values())
    service_type = ContentType.objects.get_for_model(services[0]) if services else None
    with transaction.atomic():
        for number in range(COUNT):
            _one(number, rng, today, quality, owners, segments, services, service_type)
    ctx.count("customer needs", COUNT)


def _one(number, rng, today, quality, owners, segments, services, service_type):
    identified = today - datetime.timedelta(days=rng.randint(5, 400))
    status = _status(rng)
    need = Need.objects.create(
        statement=f"{rng.choice(THEMES)} (N{number + 1:03d}) {MARKER}",
        service=rng.choice(services) if services and rng.random() < 0.7 else None,
        requirement_class=rng.choice(Need.RequirementClass.values),
        expectation=rng.choice(Need.Expectation.values),
        kano=rng.choice(Need.Kano.values),
        importance=rng.randint(1, 5),
        performance=rng.randint(1, 5),
        source=rng.choice(SOURCES),
        identified_on=identified,
        raised_by=quality,
        # Some needs have no owner yet: the monitoring page counts them.
        owner=rng.choice(owners) if owners and rng.random() < 0.85 else None,
        # About one in five is overdue for review.
        next_review_date=today + datetime.timedelta(days=rng.randint(-90, 300)),
        status=status,
    )
    if segments:
        need.segments.set(rng.sample(segments, k=rng.randint(1, min(2, len(segments)))))
    at = timezone.make_aware(datetime.datetime.combine(identified, datetime.time(9)))
    steps = PATH[: PATH.index(status) + 1] if status in PATH else [*PATH[:3], status]
    previous = ""
    for day, step in enumerate(steps):
        moment = at + datetime.timedelta(days=day * rng.randint(2, 9))
        NeedTransition.objects.create(
            need=need,
            from_status=previous,
            to_status=step,
            action=WORKFLOW.step_between(previous, step),
            by=quality,
            at=moment,
        )
        if step == Need.Status.REVIEWED and quality is not None:
            NeedReview.objects.create(
                need=need,
                reviewed_by=quality,
                reviewed_at=moment,
                result=rng.choice(["yes", "yes", "partly"]),
                rationale="Capacity and budget checked with the service owner.",
            )
        if step in Need.DECIDED_STATUSES:
            reason = "" if step == Need.Status.ACCEPTED else "Not in this year's plan."
            Need.objects.filter(pk=need.pk).update(
                decision=step, decision_reason=reason, decided_by=quality,
                decided_at=moment,
            )  # fmt: skip
        previous = step
    if status in (Need.Status.ACCEPTED, Need.Status.ADDRESSED) and service_type:
        # About a third of accepted needs stay uncovered for the coverage view.
        if rng.random() < 0.67:
            NeedLink.objects.create(
                need=need,
                kind=NeedLink.Kind.ANSWERS,
                target_type=service_type,
                target_id=str(rng.choice(services).pk),
            )
        if rng.random() < 0.4:
            NeedLink.objects.create(
                need=need,
                kind=NeedLink.Kind.MEASURES,
                target_type=service_type,
                target_id=str(rng.choice(services).pk),
            )
