"""Data quality: speeders and straight-liners, and logged exclusions of a
response from every figure."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import aggregates, results
from ..models import Question, Response, Wave

# A straight-liner gave the same answer to at least this many grid items
# (fewer when the questionnaire has fewer, but never below three).
STRAIGHT_LINE_MIN_ITEMS = 5


ERR_REASON_REQUIRED = gettext_lazy("Say why the response is excluded.")
ERR_ALREADY_EXCLUDED = gettext_lazy("This response is already excluded.")
ERR_NOT_EXCLUDED = gettext_lazy("This response is not excluded.")


def straight_line_items(wave: Wave) -> int:
    """How many identical grid answers make a straight-liner in this wave."""
    grid = Question.objects.filter(
        questionnaire_id=wave.questionnaire_id, type__in=results.GRID_TYPES
    ).count()
    return max(3, min(STRAIGHT_LINE_MIN_ITEMS, grid))


def response_exclude(*, response: Response, reason: str, by) -> Response:
    """Exclude ``response`` from every figure, saying why; the change is kept
    in the response's history. ``ValidationError`` without a reason or when
    it is already excluded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(ERR_REASON_REQUIRED, code="reason_required")
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.excluded:
            raise ValidationError(ERR_ALREADY_EXCLUDED, code="already_excluded")
        locked.excluded = True
        locked.exclusion_reason = reason[:200]
        locked.excluded_by = by
        locked.excluded_at = timezone.now()
        locked._change_reason = reason[:100]
        locked._history_user = by
        locked.save(
            update_fields=["excluded", "exclusion_reason", "excluded_by", "excluded_at"]
        )
        aggregates.invalidate([locked.wave_id])
    return locked


def response_include(*, response: Response, by) -> Response:
    """Undo an exclusion: the response counts again. Who excluded it and why
    stays in the history."""
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if not locked.excluded:
            raise ValidationError(ERR_NOT_EXCLUDED, code="not_excluded")
        locked.excluded = False
        locked.exclusion_reason = ""
        locked.excluded_by = None
        locked.excluded_at = None
        locked._change_reason = _("Exclusion undone")
        locked._history_user = by
        locked.save(
            update_fields=["excluded", "exclusion_reason", "excluded_by", "excluded_at"]
        )
        aggregates.invalidate([locked.wave_id])
    return locked
