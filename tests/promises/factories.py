"""factory_boy factories for the promises area (conventions in
``tests/factories.py``).

Service-backed:

- :class:`PromiseFactory` creates through ``services.promise_save`` (full
  validation, the history user, the first status logged); ``by`` (default:
  the owner) and the scope lists ``services``, ``channels``, ``segments``,
  ``procedures`` are passed to it. A promise starts as a draft: approving
  and publishing go through ``services.promise_transition`` (see
  ``tests.promises.helpers.publish``), never by setting ``status``.
- :class:`PromiseIndicatorFactory` saves through ``services.indicator_save``,
  which checks that the indicator has what its kind measures. A time
  indicator defaults to "within 1 working day"; a level indicator needs its
  ``threshold`` and ``direction``, a derived one its ``source_measure``.
- :class:`PromiseReviewFactory` records through ``services.review_record``:
  the review's next date moves to the promise and "withdraw" retires it.

Written as stored: :class:`FulfilmentEventFactory` (an event already
evaluated, as the imports write them; ``services.event_record`` evaluates
raw clock times), :class:`PrincipleScoreFactory` and
:class:`BrokenPromiseTagFactory`. For many events at once,
``FulfilmentEvent.objects.bulk_create(FulfilmentEventFactory.build_batch(n,
indicator=...))``.
"""

import datetime

import factory
from django.utils import timezone

from promises import services
from promises.models import (
    BrokenPromiseTag,
    FulfilmentEvent,
    Principle,
    PrincipleScore,
    Promise,
    PromiseIndicator,
    PromiseReview,
)
from tests.complaints.factories import CaseFactory
from tests.factories import UserFactory

SCOPE = ("services", "channels", "segments", "procedures")


class PromiseFactory(factory.django.DjangoModelFactory):
    """A draft promise written in the three languages."""

    class Meta:
        model = Promise

    title = "E-mail answered within one working day"
    text_et = "Vastame e-kirjale ühe tööpäeva jooksul."
    text_en = "We answer your e-mail within one working day."
    text_ru = "Мы отвечаем в течение одного рабочего дня."
    remedy_en = "We call you the same day."
    owner = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, by=None, **kwargs):
        scope = {name: kwargs.pop(name) for name in SCOPE if name in kwargs}
        promise = model_class(*args, **kwargs)
        return services.promise_save(promise=promise, by=by or promise.owner, **scope)


def _time(value, otherwise=None):
    """``value`` for a time indicator, ``otherwise`` for the other kinds."""
    return factory.LazyAttribute(
        lambda o: value if o.kind == PromiseIndicator.Kind.TIME else otherwise
    )


class PromiseIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromiseIndicator

    promise = factory.SubFactory(PromiseFactory)
    name = "Answered within 1 working day"
    kind = PromiseIndicator.Kind.TIME
    time_limit = _time(1)
    time_unit = _time(PromiseIndicator.TimeUnit.WORKING_DAYS, "")
    target_share = "0.950"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.indicator_save(indicator=model_class(*args, **kwargs))


class FulfilmentEventFactory(factory.django.DjangoModelFactory):
    """An evaluated event of a kept/broken indicator: kept unless told."""

    class Meta:
        model = FulfilmentEvent

    indicator = factory.SubFactory(
        PromiseIndicatorFactory, kind=PromiseIndicator.Kind.KEPT
    )
    occurred_at = factory.LazyFunction(timezone.now)
    kept = True


class PrincipleScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrincipleScore

    promise = factory.SubFactory(PromiseFactory)
    principle = Principle.COMMITMENT
    score = PrincipleScore.Score.LARGELY
    evidence = "Signed by the board."
    assessed_by = factory.SelfAttribute("promise.owner")


class PromiseReviewFactory(factory.django.DjangoModelFactory):
    """Last year's review deciding to keep the promise as it is."""

    class Meta:
        model = PromiseReview

    promise = factory.SubFactory(PromiseFactory)
    period_end = factory.LazyFunction(timezone.localdate)
    period_start = factory.LazyAttribute(
        lambda o: o.period_end - datetime.timedelta(days=365)
    )
    performance_summary = "Kept in 97 % of the cases."
    decision = PromiseReview.Decision.KEEP
    reviewed_by = factory.SelfAttribute("promise.owner")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        by = kwargs.pop("reviewed_by")
        return services.review_record(review=model_class(*args, **kwargs), by=by)


class BrokenPromiseTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrokenPromiseTag

    promise = factory.SubFactory(PromiseFactory)
    case = factory.SubFactory(CaseFactory)
    tagged_by = factory.SelfAttribute("promise.owner")
