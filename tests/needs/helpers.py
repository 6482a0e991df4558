"""Needs built through the real services (the factories in
``tests.needs.factories`` call them)."""

from needs import services
from needs.models import Need
from tests.needs.factories import NeedFactory, NeedReviewFactory


def make_need(by=None, **fields) -> Need:
    return NeedFactory(by=by, **fields)


def review(need, by, result="yes"):
    return NeedReviewFactory(need=need, reviewed_by=by, result=result)


def accept(need, by) -> Need:
    services.need_transition(need=need, to=Need.Status.VALIDATED, by=by)
    review(need, by)
    need.refresh_from_db()
    return services.need_transition(need=need, to=Need.Status.ACCEPTED, by=by)
