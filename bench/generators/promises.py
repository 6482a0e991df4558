"""Customer promises with their indicators and ten years of fulfilment events.

The promises are the demo's eleven (``promises.demo.SPECS``: texts, owners,
channels, services, indicator definitions), created through the ORM with
their history; the events — the bulk — go in by COPY. Each indicator gets a
share of the events in proportion to its demo volume, spread over ten years
with the volume growing; the kept rate follows the spec's drift, time events
carry their clock start, stop and elapsed time in the indicator's unit
(``promises.demo._time_event``, the working-time calendar included), level
events a measured value on the right side of the threshold, and about 1 %
are excluded with a reason.
"""

from __future__ import annotations

import datetime

from simple_history.utils import bulk_create_with_history

from promises import demo as promises_demo
from promises.models import FulfilmentEvent, Promise, PromiseIndicator
from qms.calendar import get_calendar
from qms.models import Channel

from .base import (
    BenchContext,
    analyze,
    first_id,
    indexes_deferred,
    reset_sequences,
    scaled,
    write,
)

EVENTS = 200_000
YEARS = 10
K = PromiseIndicator.Kind
COLUMNS = [
    "id", "indicator_id", "occurred_at", "started_at", "ended_at", "elapsed",
    "value", "kept", "reason", "excluded", "exclusion_reason", "reference",
    "source", "recorded_by_id", "recorded_at",
]  # fmt: skip


def _promises(ctx: BenchContext) -> list[tuple[promises_demo.Spec, PromiseIndicator]]:
    """The demo's promises with their indicators, made once: a second run
    adds events to the same indicators, as a year of operation would."""
    titles = [s.title for s in promises_demo.SPECS]
    by_title = {p.title: p for p in Promise.objects.filter(title__in=titles)}
    if not by_title:
        _create_promises(ctx)
        by_title = {p.title: p for p in Promise.objects.filter(title__in=titles)}
    indicators = {
        i.promise_id: i
        for i in PromiseIndicator.objects.filter(promise__in=by_title.values())
    }
    return [
        (spec, indicators[by_title[spec.title].pk])
        for spec in promises_demo.SPECS
        if by_title[spec.title].pk in indicators
    ]


def _create_promises(ctx: BenchContext) -> None:
    users = ctx.demo.users
    channels = {c.code: c for c in Channel.objects.all()}
    services = ctx.demo.services
    published = ctx.now - datetime.timedelta(days=365 * YEARS)
    promises = [
        Promise(
            title=s.title, text_et=s.et, text_en=s.en, text_ru=s.ru,
            remedy_et=s.remedy[0], remedy_en=s.remedy[1], remedy_ru=s.remedy[2],
            internal_description="Measured from the source system.",
            conditions="Working days in Estonia; public holidays excluded.",
            owner=users[s.owner], status=s.status,
            published_at=published if s.status == Promise.Status.PUBLISHED else None,
            next_review_date=ctx.now.date() + datetime.timedelta(days=30 + 20 * i),
        )
        for i, s in enumerate(promises_demo.SPECS)
    ]  # fmt: skip
    bulk_create_with_history(promises, Promise, batch_size=100)
    by_title = {
        p.title: p
        for p in Promise.objects.filter(
            title__in=[s.title for s in promises_demo.SPECS]
        )
    }
    for spec in promises_demo.SPECS:
        promise = by_title[spec.title]
        promise.channels.set([channels[c] for c in spec.channels if c in channels])
        promise.services.set([services[c] for c in spec.services if c in services])
        if spec.indicator:
            PromiseIndicator.objects.create(promise=promise, **spec.indicator)
    ctx.count("promises", len(promises))


def generate(conn, scale: float, rng, ctx: BenchContext) -> None:
    pairs = [
        (spec, ind)
        for spec, ind in _promises(ctx)
        if ind.kind != K.MEASURE and spec.per_month
    ]
    total = scaled(EVENTS, scale, minimum=len(pairs) * 5)
    volume = sum(spec.per_month for spec, _ in pairs)
    calendar = get_calendar()
    recorder = ctx.users["agent"]
    now = ctx.now
    span = 365 * YEARS * 86400
    first = first_id(FulfilmentEvent)
    made = 0

    def rows():
        nonlocal made
        pk = first
        for spec, indicator in pairs:
            n = max(5, round(total * spec.per_month / volume))
            low, high = spec.p
            for _ in range(n):
                # Volume grows over the years: more recent events are likelier.
                age = span * (1 - rng.random() ** 0.8)
                start = now - datetime.timedelta(seconds=age + 3600)
                share = 1 - age / span  # 0 ten years ago, 1 now
                p = low + (high - low) * share
                if spec.late and age < spec.late * 30 * 86400:
                    p = spec.late_p
                kept = rng.random() < p
                started = ended = elapsed = value = None
                if indicator.kind == K.TIME:
                    started = start
                    timed = promises_demo._time_event(
                        rng, indicator, start, kept, calendar
                    )
                    ended, elapsed = timed["ended_at"], timed["elapsed"]
                    if ended > now:  # not finished yet: move it back
                        shift = ended - now + datetime.timedelta(hours=1)
                        start = started = start - shift
                        ended -= shift
                elif indicator.kind == K.LEVEL:
                    t = indicator.threshold
                    value = round(
                        t + rng.uniform(0.05, 1.5)
                        if kept
                        else t - rng.uniform(0.05, 0.8),
                        2,
                    )
                excluded = rng.random() < 0.01
                yield (
                    pk, indicator.pk, start, started, ended, elapsed, value, kept,
                    "" if kept else rng.choice(spec.reasons or ("",)), excluded,
                    rng.choice(promises_demo.EXCLUSION_REASONS) if excluded else "",
                    f"B{pk}", FulfilmentEvent.Source.IMPORT, recorder,
                    ended or start,
                )  # fmt: skip
                pk += 1
                made += 1

    with indexes_deferred(FulfilmentEvent):
        write(FulfilmentEvent, COLUMNS, rows())
    reset_sequences(FulfilmentEvent)
    analyze(FulfilmentEvent, PromiseIndicator)
    ctx.count("promise events", made)
