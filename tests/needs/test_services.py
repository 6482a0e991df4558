"""Lifecycle, review and decision rules, change impact and coverage."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from needs import selectors, services
from needs.models import Need, NeedReview
from tests.factories import ServiceFactory

from .helpers import accept, make_need, review

S = Need.Status


def test_new_need_is_identified_and_logged(quality_manager):
    need = make_need(by=quality_manager)
    assert need.status == S.IDENTIFIED
    assert need.raised_by == quality_manager
    assert list(need.transitions.values_list("to_status", flat=True)) == [S.IDENTIFIED]


def test_ratings_outside_one_to_five_are_refused_by_the_database(db):
    need = make_need()
    with pytest.raises(IntegrityError), transaction.atomic():
        Need.objects.filter(pk=need.pk).update(importance=6)


def test_accept_needs_a_review(quality_manager):
    need = make_need(by=quality_manager)
    services.need_transition(need=need, to=S.VALIDATED, by=quality_manager)
    with pytest.raises(ValidationError) as error:
        services.need_transition(need=need, to=S.REVIEWED, by=quality_manager)
    assert services.ERR_REVIEW_FIRST in error.value.messages


def test_review_moves_a_validated_need_on_and_accept_records_the_decision(
    quality_manager,
):
    need = make_need(by=quality_manager)
    services.need_transition(need=need, to=S.VALIDATED, by=quality_manager)
    review(need, quality_manager)
    need.refresh_from_db()
    assert need.status == S.REVIEWED
    services.need_transition(
        need=need, to=S.ACCEPTED, by=quality_manager, comment="Fits the plan."
    )
    need.refresh_from_db()
    assert need.status == S.ACCEPTED
    assert need.decision == S.ACCEPTED
    assert need.decided_by == quality_manager
    assert need.decided_at is not None
    assert need.transitions.count() == 4


def test_a_need_we_cannot_meet_cannot_be_accepted(quality_manager):
    need = make_need(by=quality_manager)
    services.need_transition(need=need, to=S.VALIDATED, by=quality_manager)
    review(need, quality_manager, result=NeedReview.Result.NO)
    need.refresh_from_db()
    with pytest.raises(ValidationError):
        services.need_transition(need=need, to=S.ACCEPTED, by=quality_manager)


@pytest.mark.parametrize("to", [S.REJECTED, S.DEFERRED])
def test_reject_and_defer_need_a_reason(quality_manager, to):
    need = make_need(by=quality_manager)
    with pytest.raises(ValidationError) as error:
        services.need_transition(need=need, to=to, by=quality_manager, comment=" ")
    assert str(services.ERR_REASON) in error.value.messages
    services.need_transition(need=need, to=to, by=quality_manager, comment="Later.")
    need.refresh_from_db()
    assert need.status == to
    assert need.decision_reason == "Later."


def test_invalid_transition_is_refused_with_a_readable_message(quality_manager):
    need = make_need(by=quality_manager)
    with pytest.raises(ValidationError) as error:
        services.need_transition(need=need, to=S.ADDRESSED, by=quality_manager)
    assert error.value.messages == [
        "A need that is “Identified” cannot become “Addressed”."
    ]
    need.refresh_from_db()
    assert need.status == S.IDENTIFIED


def test_coverage_lists_accepted_needs_nothing_answers_or_measures(quality_manager):
    answered = accept(make_need(by=quality_manager), quality_manager)
    bare = accept(make_need(by=quality_manager), quality_manager)
    make_need(by=quality_manager)  # not accepted: not listed
    services.link_add(need=answered, target=ServiceFactory(), kind="answers")
    listing = selectors.coverage()
    assert list(listing["unanswered"]) == [bare]
    assert set(listing["unmeasured"]) == {answered, bare}


def test_changed_statement_lists_links_for_review(quality_manager):
    need = accept(make_need(by=quality_manager), quality_manager)
    link = services.link_add(need=need, target=ServiceFactory(), kind="answers")
    need.refresh_from_db()
    need.performance = 2
    services.need_save(need=need, by=quality_manager)
    assert not Need.objects.get(pk=need.pk).links_need_review
    need.statement = "Bills should be easy to read on a phone."
    services.need_save(need=need, by=quality_manager)
    need.refresh_from_db()
    assert need.links_need_review
    assert list(selectors.links_for_review()) == [link]
    services.links_reviewed(need=need, by=quality_manager)
    assert list(selectors.links_for_review()) == []


def test_conflicting_needs_are_listed_until_resolved(quality_manager):
    first = make_need(by=quality_manager)
    second = make_need(by=quality_manager, statement="Bills must be short.")
    services.need_save(need=first, by=quality_manager, conflicts=[second])
    assert selectors.open_conflicts(first) == [second]
    assert selectors.open_conflicts(second) == [first]
    services.conflict_resolve(need=first, by=quality_manager)
    assert selectors.open_conflicts(first) == []


def test_a_new_conflict_reopens_a_resolved_one(quality_manager):
    first = make_need(by=quality_manager)
    second = make_need(by=quality_manager, statement="Bills must be short.")
    third = make_need(by=quality_manager, statement="Bills must be on paper.")
    services.need_save(need=first, by=quality_manager, conflicts=[second])
    services.conflict_resolve(need=first, by=quality_manager)
    services.need_save(need=first, by=quality_manager, conflicts=[second, third])
    first.refresh_from_db()
    assert not first.conflict_resolved
    assert set(selectors.open_conflicts(first)) == {second, third}
