"""Promises built through the real services."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from promises import services
from promises.models import FulfilmentEvent, Promise, PromiseIndicator

TALLINN = ZoneInfo("Europe/Tallinn")


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TALLINN)


def make_promise(owner, by=None, **fields) -> Promise:
    fields.setdefault("title", "E-mail answered within one working day")
    fields.setdefault("text_et", "Vastame e-kirjale ühe tööpäeva jooksul.")
    fields.setdefault("text_en", "We answer your e-mail within one working day.")
    fields.setdefault("text_ru", "Мы отвечаем в течение одного рабочего дня.")
    fields.setdefault("remedy_en", "We call you the same day.")
    return services.promise_save(promise=Promise(owner=owner, **fields), by=by or owner)


def make_indicator(promise, **fields) -> PromiseIndicator:
    fields.setdefault("name", "Answered within 1 working day")
    fields.setdefault("kind", PromiseIndicator.Kind.TIME)
    if fields["kind"] == PromiseIndicator.Kind.TIME:
        fields.setdefault("time_limit", 1)
        fields.setdefault("time_unit", PromiseIndicator.TimeUnit.WORKING_DAYS)
    fields.setdefault("target_share", "0.950")
    return services.indicator_save(
        indicator=PromiseIndicator(promise=promise, **fields)
    )


def publish(promise, by) -> Promise:
    services.promise_transition(promise=promise, to=Promise.Status.APPROVED, by=by)
    return services.promise_transition(
        promise=promise, to=Promise.Status.PUBLISHED, by=by
    )


def add_events(indicator, moment, kept: int, broken: int, **fields):
    """``kept`` + ``broken`` events of a kept/broken indicator at ``moment``."""
    return FulfilmentEvent.objects.bulk_create(
        [
            FulfilmentEvent(
                indicator=indicator, occurred_at=moment, kept=True, **fields
            )
            for _ in range(kept)
        ]
        + [
            FulfilmentEvent(
                indicator=indicator, occurred_at=moment, kept=False, **fields
            )
            for _ in range(broken)
        ]
    )
