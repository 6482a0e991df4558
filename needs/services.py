"""Writes of the needs registry: register, edit, review, decide, link."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Need, NeedLink, NeedReview, NeedTransition

S = Need.Status
ALLOWED: dict[str, tuple[str, ...]] = {
    S.IDENTIFIED: (S.VALIDATED, S.REJECTED, S.DEFERRED),
    S.VALIDATED: (S.REVIEWED, S.REJECTED, S.DEFERRED),
    S.REVIEWED: (S.ACCEPTED, S.REJECTED, S.DEFERRED),
    S.DEFERRED: (S.REVIEWED, S.REJECTED),
    S.ACCEPTED: (S.ADDRESSED, S.RETIRED),
    S.ADDRESSED: (S.RETIRED,),
    S.REJECTED: (S.IDENTIFIED,),
    S.RETIRED: (),
}

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
            NeedTransition.objects.create(
                need=need, from_status="", to_status=need.status, by=by
            )
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
    """Move a need along its lifecycle; the one way its status changes."""
    if to not in ALLOWED.get(need.status, ()):
        raise ValidationError(
            ERR_TRANSITION
            % {
                "from": need.get_status_display(),
                "to": S(to).label if to in S.values else to,
            }
        )
    comment = comment.strip()
    if to in (S.REJECTED, S.DEFERRED) and not comment:
        raise ValidationError(ERR_REASON)
    if to in (S.REVIEWED, S.ACCEPTED):
        latest = need.reviews.order_by("-reviewed_at", "-id").first()
        if latest is None:
            raise ValidationError(ERR_REVIEW_FIRST)
        if to == S.ACCEPTED and latest.result == NeedReview.Result.NO:
            raise ValidationError(ERR_REVIEW_NO)
    with transaction.atomic():
        NeedTransition.objects.create(
            need=need, from_status=need.status, to_status=to, by=by, comment=comment
        )
        need.status = to
        if to in Need.DECIDED_STATUSES:
            need.decision = to
            need.decision_reason = comment
            need.decided_by = by
            need.decided_at = timezone.now()
        need._history_user = by
        need.save()
    return need


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
