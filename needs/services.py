"""Writes of the needs registry: register, edit, review, decide, link."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from qms.workflow import Action, Workflow

from .models import Need, NeedLink, NeedReview, NeedTransition

S = Need.Status
ERR_TRANSITION = _("A need that is “%(from)s” cannot become “%(to)s”.")
ERR_REASON = _("Give a reason to reject or defer a need.")
ERR_REVIEW_FIRST = _("Review whether we can meet the need before this step.")
ERR_REVIEW_NO = _(
    "The latest review says we cannot meet the need: it cannot be accepted."
)


def need_save(*, need: Need, by, segments=None, conflicts=None) -> Need:
    """Register a new need or save an edited one. A changed statement flags the
    linked records for review (change impact)."""
    creating = need.pk is None
    if creating and need.raised_by_id is None and by is not None:
        need.raised_by = by
    if not creating:
        old = Need.objects.filter(pk=need.pk).values_list("statement", flat=True)
        if old and old[0] != need.statement and need.links.exists():
            need.links_need_review = True
    need.full_clean(exclude=["segments", "conflicts_with"])
    need._history_user = by
    with transaction.atomic():
        need.save()
        if segments is not None:
            need.segments.set(segments)
        if conflicts is not None:
            conflicts = [c for c in conflicts if c.pk != need.pk]
            before = set(need.conflicts_with.values_list("pk", flat=True))
            need.conflicts_with.set(conflicts)
            if {c.pk for c in conflicts} - before and need.conflict_resolved:
                # A new conflict reopens the question.
                need.conflict_resolved = False
                need.save(update_fields=["conflict_resolved"])
        if creating:
            WORKFLOW.log_created(need, by=by)
    return need


def need_capture(*, source_record: models.Model, statement: str, by, **fields) -> Need:
    """A need recorded from a source record (a complaint, a survey answer) that
    keeps a generic link back to it."""
    need = Need(
        statement=statement,
        source_type=ContentType.objects.get_for_model(source_record),
        source_id=str(source_record.pk),
        **fields,
    )
    return need_save(need=need, by=by)


def need_transition(*, need: Need, to: str, by, comment: str = "") -> Need:
    """Move a need along its lifecycle; the one way its status changes (see
    :data:`WORKFLOW`)."""
    return WORKFLOW.transition_to(need, to, by=by, comment=comment)


def _reviewed(need: Need, **_data) -> None:
    if not need.reviews.exists():
        raise ValidationError(ERR_REVIEW_FIRST)


def _reviewed_yes(need: Need, **_data) -> None:
    latest = need.reviews.order_by("-reviewed_at", "-id").first()
    if latest is None:
        raise ValidationError(ERR_REVIEW_FIRST)
    if latest.result == NeedReview.Result.NO:
        raise ValidationError(ERR_REVIEW_NO)


def _decided(status: str):
    def effect(need: Need, *, by, now, comment: str, **_data) -> list[str]:
        need.decision = status
        need.decision_reason = comment
        need.decided_by = by
        need.decided_at = now
        return ["decision", "decision_reason", "decided_by", "decided_at"]

    return effect


def _action(name, label, sources, target, **options) -> Action:
    if target in Need.DECIDED_STATUSES:
        options.setdefault("effect", _decided(target))
    return Action(name, label, sources, target, **options)


WORKFLOW = Workflow(
    log=NeedTransition,
    refusal=ERR_TRANSITION,
    actions=[
        _action("validate", _("Validate"), {S.IDENTIFIED}, S.VALIDATED),
        _action(
            "review",
            _("Mark reviewed"),
            {S.VALIDATED, S.DEFERRED},
            S.REVIEWED,
            guard=_reviewed,
        ),
        _action("accept", _("Accept"), {S.REVIEWED}, S.ACCEPTED, guard=_reviewed_yes),
        _action("address", _("Mark addressed"), {S.ACCEPTED}, S.ADDRESSED),
        _action(
            "reject",
            _("Reject"),
            {S.IDENTIFIED, S.VALIDATED, S.REVIEWED, S.DEFERRED},
            S.REJECTED,
            needs_comment=ERR_REASON,
            style="outline-danger",
        ),
        _action(
            "defer",
            _("Defer"),
            {S.IDENTIFIED, S.VALIDATED, S.REVIEWED},
            S.DEFERRED,
            needs_comment=ERR_REASON,
        ),
        _action("retire", _("Retire"), {S.ACCEPTED, S.ADDRESSED}, S.RETIRED),
        _action("reopen", _("Reopen"), {S.REJECTED}, S.IDENTIFIED),
    ],
)


def need_review(*, need: Need, by, result: str, rationale: str, conditions: str = ""):
    """Record a "can we meet it" review; a validated need becomes reviewed."""
    review = NeedReview(
        need=need, reviewed_by=by, result=result, rationale=rationale,
        conditions=conditions,
    )  # fmt: skip
    review.full_clean()
    with transaction.atomic():
        review.save()
        if need.status in (S.VALIDATED, S.DEFERRED):
            need_transition(need=need, to=S.REVIEWED, by=by, comment=rationale)
    return review


def link_add(
    *, need: Need, target: models.Model, kind: str, note: str = ""
) -> NeedLink:
    link = NeedLink(
        need=need,
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        note=note,
    )
    link.full_clean()
    link.save()
    return link


def link_remove(*, link: NeedLink) -> None:
    link.delete()


def links_reviewed(*, need: Need, by) -> Need:
    need.links_need_review = False
    need._history_user = by
    need.save(update_fields=["links_need_review"])
    return need


def conflict_resolve(*, need: Need, by, resolved: bool = True) -> Need:
    need.conflict_resolved = resolved
    need._history_user = by
    need.save(update_fields=["conflict_resolved"])
    return need
