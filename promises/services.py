"""Writes of the promises area: register, status, indicators, fulfilment
events, self-assessment, reviews and broken-promise tags."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms import measures
from qms.calendar import WorkingCalendar, get_calendar
from qms.workflow import Action, Workflow

from .models import (
    BrokenPromiseTag,
    FulfilmentEvent,
    PrincipleScore,
    Promise,
    PromiseIndicator,
    PromiseReview,
    PromiseTransition,
)

S = Promise.Status

ERR_TRANSITION = _("A promise that is “%(from)s” cannot become “%(to)s”.")
ERR_NO_INDICATOR = _(
    "A promise cannot be published without at least one indicator: add how it "
    "is measured first."
)
ERR_NO_TEXT = _("Write the promise in Estonian, English and Russian before approval.")
ERR_REASON = _("Give a reason for sending the promise back or retiring it.")
ERR_TIME_FIELDS = _("A time indicator needs a limit and a unit.")
ERR_LEVEL_FIELDS = _("A level indicator needs a threshold and a direction.")
ERR_MEASURE = _("Choose a share measure of the registry.")
ERR_TIMES_MISSING = _("Give when the clock started and when it stopped.")
ERR_TIMES_ORDER = _("The clock cannot stop before it started.")
ERR_VALUE_MISSING = _("Give the measured value.")
ERR_KEPT_MISSING = _("Say whether the promise was kept.")
ERR_DERIVED = _(
    "This indicator is derived from a measure; its events cannot be entered."
)
ERR_EXCLUSION_REASON = _("Give a reason for excluding the event.")
ERR_DUPLICATE = _("An event with this reference exists already.")
ERR_ALREADY_TAGGED = _("This complaint is already tagged with this promise.")


def _texts_complete(promise: Promise, **_data) -> None:
    if not (promise.text_et and promise.text_en and promise.text_ru):
        raise ValidationError(ERR_NO_TEXT)


def _has_indicator(promise: Promise, **_data) -> None:
    if not promise.indicators.exists():
        raise ValidationError(ERR_NO_INDICATOR)


def _reason_unless_draft(promise: Promise, *, comment: str, **_data) -> None:
    # Withdrawing what was approved or published needs a reason; a draft
    # may be retired without one.
    if promise.status != S.DRAFT and not comment:
        raise ValidationError(ERR_REASON)


def _published(promise: Promise, *, now, **_data) -> list[str]:
    promise.published_at = now
    return ["published_at"]


WORKFLOW = Workflow(
    log=PromiseTransition,
    refusal=ERR_TRANSITION,
    actions=[
        Action(
            "approve",
            _("Approve"),
            {S.DRAFT},
            S.APPROVED,
            guard=_texts_complete,
            style="primary",
        ),
        Action(
            "publish",
            _("Publish"),
            {S.APPROVED},
            S.PUBLISHED,
            guard=_has_indicator,
            effect=_published,
            style="primary",
        ),
        Action(
            "return_to_draft",
            _("Return to draft"),
            {S.APPROVED, S.PUBLISHED, S.RETIRED},
            S.DRAFT,
            needs_comment=ERR_REASON,
        ),
        Action(
            "retire",
            _("Retire"),
            {S.DRAFT, S.APPROVED, S.PUBLISHED},
            S.RETIRED,
            guard=_reason_unless_draft,
            style="outline-danger",
        ),
    ],
)

WORKING_UNITS = (
    PromiseIndicator.TimeUnit.WORKING_HOURS,
    PromiseIndicator.TimeUnit.WORKING_DAYS,
)


def promise_save(
    *, promise: Promise, by, services=None, channels=None, segments=None,
    procedures=None,
) -> Promise:  # fmt: skip
    """Create or save a promise with its scope; a new one starts as a draft."""
    creating = promise.pk is None
    promise.full_clean(exclude=["services", "channels", "segments", "procedures"])
    promise._history_user = by
    with transaction.atomic():
        promise.save()
        for name, values in (
            ("services", services),
            ("channels", channels),
            ("segments", segments),
            ("procedures", procedures),
        ):
            if values is not None:
                getattr(promise, name).set(values)
        if creating:
            WORKFLOW.log_created(promise, by=by)
    return promise


def promise_transition(*, promise: Promise, to: str, by, comment: str = "") -> Promise:
    """The one way a promise changes status (see :data:`WORKFLOW`)."""
    return WORKFLOW.transition_to(promise, to, by=by, comment=comment)


def indicator_save(*, indicator: PromiseIndicator) -> PromiseIndicator:
    K = PromiseIndicator.Kind
    if indicator.kind == K.TIME and (
        indicator.time_limit is None or not indicator.time_unit
    ):
        raise ValidationError({"time_limit": ERR_TIME_FIELDS})
    if indicator.kind == K.LEVEL and (
        indicator.threshold is None or not indicator.direction
    ):
        raise ValidationError({"threshold": ERR_LEVEL_FIELDS})
    if indicator.kind == K.MEASURE:
        try:
            measure = measures.get(indicator.source_measure)
        except KeyError:
            measure = None
        if measure is None or measure.kind != measures.SHARE:
            raise ValidationError({"source_measure": ERR_MEASURE})
    indicator.full_clean()
    indicator.save()
    return indicator


# Fulfilment ---------------------------------------------------------------


def elapsed(
    indicator: PromiseIndicator,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    calendar: WorkingCalendar | None = None,
) -> float:
    """Time from start to stop in the indicator's unit. Working hours count
    only opening hours of working days; working days count the working days
    after the start day up to the stop day (so "within 1 working day" means
    by the end of the next working day). Runs one query without ``calendar``."""
    U = PromiseIndicator.TimeUnit
    unit = indicator.time_unit
    if unit in WORKING_UNITS and calendar is None:
        calendar = get_calendar(
            timezone.localtime(started_at).date(), timezone.localtime(ended_at).date()
        )
    if unit == U.WORKING_HOURS:
        return (
            calendar.working_time_between(started_at, ended_at).total_seconds() / 3600
        )
    if unit == U.WORKING_DAYS:
        return float(
            calendar.working_days_between(
                timezone.localtime(started_at).date(),
                timezone.localtime(ended_at).date(),
            )
        )
    seconds = (ended_at - started_at).total_seconds()
    return (
        seconds
        / {
            U.SECONDS: 1,
            U.MINUTES: 60,
            U.CALENDAR_HOURS: 3600,
            U.CALENDAR_DAYS: 86400,
        }[unit]
    )


def evaluate(
    event: FulfilmentEvent, calendar: WorkingCalendar | None = None
) -> FulfilmentEvent:
    """Fill ``kept`` (and ``elapsed``) from what the indicator measures;
    ``ValidationError`` when the event lacks what its kind needs."""
    indicator = event.indicator
    K = PromiseIndicator.Kind
    if indicator.kind == K.MEASURE:
        raise ValidationError(ERR_DERIVED)
    if indicator.kind == K.TIME:
        if event.started_at is None or event.ended_at is None:
            raise ValidationError(ERR_TIMES_MISSING)
        if event.ended_at < event.started_at:
            raise ValidationError({"ended_at": ERR_TIMES_ORDER})
        event.elapsed = elapsed(indicator, event.started_at, event.ended_at, calendar)
        event.kept = event.elapsed <= indicator.time_limit
        if event.occurred_at is None:
            event.occurred_at = event.started_at
    elif indicator.kind == K.LEVEL:
        if event.value is None:
            raise ValidationError({"value": ERR_VALUE_MISSING})
        if indicator.direction == PromiseIndicator.Direction.AT_LEAST:
            event.kept = event.value >= indicator.threshold
        else:
            event.kept = event.value <= indicator.threshold
    elif event.kept is None:
        raise ValidationError({"kept": ERR_KEPT_MISSING})
    if event.occurred_at is None:
        event.occurred_at = timezone.now()
    if event.excluded and not event.exclusion_reason.strip():
        raise ValidationError({"exclusion_reason": ERR_EXCLUSION_REASON})
    return event


def event_record(
    *, event: FulfilmentEvent, by, calendar: WorkingCalendar | None = None
) -> FulfilmentEvent:
    """Evaluate and save one fulfilment event."""
    evaluate(event, calendar)
    event.recorded_by = by
    event.full_clean()
    event.save()
    return event


def events_record_all(*, events: list[FulfilmentEvent], by) -> list[FulfilmentEvent]:
    """Save already evaluated events in one transaction (imports)."""
    for event in events:
        event.recorded_by = by
    with transaction.atomic():
        return FulfilmentEvent.objects.bulk_create(events)


def event_exclude(*, event: FulfilmentEvent, reason: str, by) -> FulfilmentEvent:
    reason = reason.strip()
    if not reason:
        raise ValidationError(ERR_EXCLUSION_REASON)
    event.excluded = True
    event.exclusion_reason = reason
    event.save(update_fields=["excluded", "exclusion_reason"])
    return event


def event_include(*, event: FulfilmentEvent, by) -> FulfilmentEvent:
    event.excluded = False
    event.exclusion_reason = ""
    event.save(update_fields=["excluded", "exclusion_reason"])
    return event


# Self-assessment, review, tags ----------------------------------------------


def assessment_save(*, promise: Promise, scores: dict[str, tuple[int, str]], by):
    """Replace the principle scores: ``{principle: (score, evidence)}``."""
    now = timezone.now()
    with transaction.atomic():
        for principle, (score, evidence) in scores.items():
            PrincipleScore.objects.update_or_create(
                promise=promise,
                principle=principle,
                defaults={
                    "score": score,
                    "evidence": evidence,
                    "assessed_by": by,
                    "assessed_at": now,
                },
            )


def review_record(*, review: PromiseReview, by) -> PromiseReview:
    """Record a review; its next review date moves to the promise, and a
    decision to withdraw retires the promise."""
    review.reviewed_by = by
    review.full_clean()
    promise = review.promise
    with transaction.atomic():
        review.save()
        promise.next_review_date = review.next_review_date
        promise.review_reminder_sent_on = None
        promise._history_user = by
        promise.save(update_fields=["next_review_date", "review_reminder_sent_on"])
        if (
            review.decision == PromiseReview.Decision.WITHDRAW
            and promise.status != S.RETIRED
        ):
            promise_transition(
                promise=promise,
                to=S.RETIRED,
                by=by,
                comment=review.decision_notes or str(_("Withdrawn at review.")),
            )
    return review


def case_tag(*, promise: Promise, case, by) -> BrokenPromiseTag:
    if BrokenPromiseTag.objects.filter(promise=promise, case=case).exists():
        raise ValidationError(ERR_ALREADY_TAGGED)
    return BrokenPromiseTag.objects.create(promise=promise, case=case, tagged_by=by)


def case_untag(*, promise: Promise, case, by) -> None:
    BrokenPromiseTag.objects.filter(promise=promise, case=case).delete()
