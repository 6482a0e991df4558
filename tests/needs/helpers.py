"""Needs built through the real services."""

from needs import services
from needs.models import Need


def make_need(by=None, **fields) -> Need:
    fields.setdefault("statement", "Bills should be easy to read.")
    fields.setdefault("source", Need.Source.SURVEY)
    segments = fields.pop("segments", None)
    return services.need_save(need=Need(**fields), by=by, segments=segments)


def review(need, by, result="yes"):
    return services.need_review(
        need=need, by=by, result=result, rationale="We have the people."
    )


def accept(need, by) -> Need:
    services.need_transition(need=need, to=Need.Status.VALIDATED, by=by)
    review(need, by)
    need.refresh_from_db()
    return services.need_transition(need=need, to=Need.Status.ACCEPTED, by=by)
