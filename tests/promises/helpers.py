"""Promises built through the real services (the factories in
``tests.promises.factories`` call them)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from promises import services
from promises.models import FulfilmentEvent, Promise, PromiseIndicator
from tests.promises.factories import (
    FulfilmentEventFactory,
    PromiseFactory,
    PromiseIndicatorFactory,
)

TALLINN = ZoneInfo("Europe/Tallinn")


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TALLINN)


def make_promise(owner, by=None, **fields) -> Promise:
    return PromiseFactory(owner=owner, by=by or owner, **fields)


def make_indicator(promise, **fields) -> PromiseIndicator:
    return PromiseIndicatorFactory(promise=promise, **fields)


def publish(promise, by) -> Promise:
    services.promise_transition(promise=promise, to=Promise.Status.APPROVED, by=by)
    return services.promise_transition(
        promise=promise, to=Promise.Status.PUBLISHED, by=by
    )


def add_events(indicator, moment, kept: int, broken: int, **fields):
    """``kept`` + ``broken`` events of a kept/broken indicator at ``moment``."""
    common = {"indicator": indicator, "occurred_at": moment, **fields}
    return FulfilmentEvent.objects.bulk_create(
        FulfilmentEventFactory.build_batch(kept, kept=True, **common)
        + FulfilmentEventFactory.build_batch(broken, kept=False, **common)
    )
