"""The needs registry: needs in segments with their status history."""

from __future__ import annotations

import datetime

from needs.demo import PATH, SOURCES, THEMES
from needs.models import Need, NeedTransition

from .base import BenchContext, analyze, first_id, reset_sequences, scaled, write

NEEDS = 2_000
STATUS_MIX = {
    "identified": 12, "validated": 8, "reviewed": 8, "accepted": 40,
    "addressed": 15, "rejected": 7, "deferred": 10,
}  # fmt: skip


def generate(conn, scale: float, rng, ctx: BenchContext) -> None:
    n = scaled(NEEDS, scale, minimum=5)
    quality = ctx.users["quality"]
    owners = [ctx.users["owner"], quality]
    segments = [s.pk for s in ctx.demo.segments.values()]
    services = [s.pk for s in ctx.demo.services.values()]
    statuses, weights = list(STATUS_MIX), list(STATUS_MIX.values())
    today = ctx.now.date()
    first = first_id(Need)
    needs, links, transitions = [], [], []
    for i in range(n):
        pk = first + i
        identified = today - datetime.timedelta(days=rng.randint(5, 3650))
        status = rng.choices(statuses, weights)[0]
        at = datetime.datetime.combine(identified, datetime.time(9), ctx.now.tzinfo)
        steps = (
            PATH[: PATH.index(status) + 1] if status in PATH else [*PATH[:3], status]
        )
        previous = ""
        for day, step in enumerate(steps):
            transitions.append((pk, previous, step, quality, at + day * 7 * (
                datetime.timedelta(days=1))))  # fmt: skip
            previous = step
        decided = status in Need.DECIDED_STATUSES
        needs.append(
            (pk, f"{rng.choice(THEMES)} (B{i + 1:05d})",
             rng.choice(services) if rng.random() < 0.7 else None,
             rng.choice(Need.RequirementClass.values),
             rng.choice(Need.Expectation.values), rng.choice(Need.Kano.values),
             rng.randint(1, 5), rng.randint(1, 5), rng.choice(SOURCES), identified,
             quality, rng.choice(owners) if rng.random() < 0.85 else None,
             today + datetime.timedelta(days=rng.randint(-90, 300)), status,
             status if decided else "",
             "" if status in ("accepted",) or not decided else "Not this year.",
             quality if decided else None, at if decided else None, at)
        )  # fmt: skip
        for segment in rng.sample(segments, k=rng.randint(1, 2)):
            links.append((pk, segment))
    write(
        Need,
        ["id", "statement", "service_id", "requirement_class", "expectation",
         "kano", "importance", "performance", "source", "identified_on",
         "raised_by_id", "owner_id", "next_review_date", "status", "decision",
         "decision_reason", "decided_by_id", "decided_at", "created_at"],
        needs,
    )  # fmt: skip
    write(Need.segments.through, ["need_id", "segment_id"], links)
    write(NeedTransition, ["need_id", "from_status", "to_status", "by_id", "at"],
          transitions)  # fmt: skip
    reset_sequences(Need, NeedTransition)
    analyze(Need, NeedTransition)
    ctx.count("needs", n)
