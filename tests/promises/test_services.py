"""Status control, publishing rules, indicators, reviews and case tags."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from promises import services
from promises.models import (
    Promise,
    PromiseIndicator,
    PromiseReview,
    PromiseTransition,
)
from tests.factories import register_case

from .helpers import make_indicator, make_promise, publish

S = Promise.Status


def test_publishing_is_refused_without_an_indicator(quality_manager):
    promise = make_promise(quality_manager)
    services.promise_transition(promise=promise, to=S.APPROVED, by=quality_manager)
    with pytest.raises(ValidationError) as error:
        services.promise_transition(promise=promise, to=S.PUBLISHED, by=quality_manager)
    assert str(services.ERR_NO_INDICATOR) in error.value.messages
    promise.refresh_from_db()
    assert promise.status == S.APPROVED
    assert not PromiseTransition.objects.filter(
        promise=promise, to_status=S.PUBLISHED
    ).exists()


def test_publishing_with_an_indicator_logs_every_step(quality_manager):
    promise = make_promise(quality_manager)
    make_indicator(promise)
    publish(promise, quality_manager)
    promise.refresh_from_db()
    assert promise.status == S.PUBLISHED
    assert promise.published_at is not None
    steps = list(promise.transitions.values_list("from_status", "to_status"))
    assert steps == [("", S.DRAFT), (S.DRAFT, S.APPROVED), (S.APPROVED, S.PUBLISHED)]
    assert promise.history.count() >= 3


def test_draft_cannot_jump_to_published(quality_manager):
    promise = make_promise(quality_manager)
    make_indicator(promise)
    with pytest.raises(ValidationError, match="cannot become"):
        services.promise_transition(promise=promise, to=S.PUBLISHED, by=quality_manager)


def test_approval_needs_the_text_in_three_languages(quality_manager):
    promise = make_promise(quality_manager, text_ru="")
    with pytest.raises(ValidationError) as error:
        services.promise_transition(promise=promise, to=S.APPROVED, by=quality_manager)
    assert str(services.ERR_NO_TEXT) in error.value.messages


def test_retiring_a_published_promise_needs_a_reason(quality_manager):
    promise = make_promise(quality_manager)
    make_indicator(promise)
    publish(promise, quality_manager)
    with pytest.raises(ValidationError):
        services.promise_transition(promise=promise, to=S.RETIRED, by=quality_manager)
    services.promise_transition(
        promise=promise, to=S.RETIRED, by=quality_manager, comment="Service ended."
    )
    assert promise.status == S.RETIRED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": PromiseIndicator.Kind.TIME, "time_limit": None}, "time_limit"),
        ({"kind": PromiseIndicator.Kind.LEVEL}, "threshold"),
        (
            {"kind": PromiseIndicator.Kind.MEASURE, "source_measure": "x.y"},
            "source_measure",
        ),
        (
            {
                "kind": PromiseIndicator.Kind.MEASURE,
                "source_measure": "complaints.cases",
            },
            "source_measure",
        ),
    ],
)
def test_indicator_needs_what_its_kind_measures(quality_manager, fields, field):
    promise = make_promise(quality_manager)
    with pytest.raises(ValidationError) as error:
        make_indicator(promise, **fields)
    assert field in error.value.message_dict
    assert not promise.indicators.exists()


def test_withdraw_decision_retires_the_promise_and_moves_review_date(quality_manager):
    promise = make_promise(quality_manager)
    make_indicator(promise)
    publish(promise, quality_manager)
    services.review_record(
        review=PromiseReview(
            promise=promise,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
            performance_summary="Kept in 91 % of cases.",
            decision=PromiseReview.Decision.WITHDRAW,
            decision_notes="The channel is closed.",
            next_review_date=datetime.date(2027, 7, 1),
        ),
        by=quality_manager,
    )
    promise.refresh_from_db()
    assert promise.status == S.RETIRED
    assert promise.next_review_date == datetime.date(2027, 7, 1)
    assert promise.transitions.last().comment == "The channel is closed."


def test_review_period_must_be_in_order(quality_manager):
    promise = make_promise(quality_manager)
    with pytest.raises(ValidationError):
        services.review_record(
            review=PromiseReview(
                promise=promise,
                period_start=datetime.date(2026, 6, 1),
                period_end=datetime.date(2026, 1, 1),
                performance_summary="x",
                decision=PromiseReview.Decision.KEEP,
            ),
            by=quality_manager,
        )
    assert not PromiseReview.objects.exists()


def test_a_case_is_tagged_once_per_promise(quality_manager):
    promise = make_promise(quality_manager)
    case = register_case(by=quality_manager)
    services.case_tag(promise=promise, case=case, by=quality_manager)
    with pytest.raises(ValidationError):
        services.case_tag(promise=promise, case=case, by=quality_manager)
    assert promise.broken_in_cases.count() == 1
    services.case_untag(promise=promise, case=case, by=quality_manager)
    assert promise.broken_in_cases.count() == 0


def test_excluding_needs_a_reason(quality_manager):
    from .helpers import add_events

    promise = make_promise(quality_manager)
    indicator = make_indicator(promise, kind=PromiseIndicator.Kind.KEPT)
    from .helpers import at

    (event,) = add_events(indicator, at(2026, 3, 2), 0, 1)
    with pytest.raises(ValidationError):
        services.event_exclude(event=event, reason="  ", by=quality_manager)
    services.event_exclude(event=event, reason="Customer asked to wait", by=None)
    event.refresh_from_db()
    assert event.excluded and event.exclusion_reason == "Customer asked to wait"
