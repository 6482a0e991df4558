"""Answers: every answer (personal link, public link, staff entry) goes
through :func:`response_submit`; an unfinished one is kept as the
participant's draft."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..followups import create_follow_ups
from ..models import (
    Answer,
    Participant,
    Question,
    Questionnaire,
    Response,
    TargetGroup,
    Wave,
)

D = Participant.Disposition

ERR_ALREADY_ANSWERED = _("This survey has already been answered with this link.")


def public_fingerprint(wave: Wave, browser_id: str) -> str:
    """A keyed hash of the browser's repeat-protection id: repeat answers from
    one browser can be refused without storing anything that identifies it."""
    key = f"{settings.SECRET_KEY}:surveys-public".encode()
    message = f"{wave.public_token}:{browser_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def visible(question: Question, values: Mapping[str, object]) -> bool:
    """Conditional display: shown unless its condition is not met by the
    answers so far (``values`` by question code)."""
    if not question.show_if_id:
        return True
    parent_value = values.get(question.show_if.code)
    return parent_value is not None and int(parent_value) in {
        int(v) for v in question.show_if_values
    }


def _answer_rows(
    *, response: Response, questions: Iterable[Question], values: Mapping[str, object]
) -> list[Answer]:
    rows = []
    for question in questions:
        value = values.get(question.code)
        if value in (None, "", []) or not visible(question, values):
            continue
        base = {"response": response, "wave_id": response.wave_id, "question": question}
        if question.type == Question.Type.MULTIPLE:
            options = {o.value: o for o in question.options.all()}
            for v in value:
                rows.append(Answer(**base, value_int=int(v), option=options[int(v)]))
        elif question.type == Question.Type.SINGLE:
            options = {o.value: o for o in question.options.all()}
            rows.append(
                Answer(**base, value_int=int(value), option=options[int(value)])
            )
        elif question.type in Question.INTEGER_TYPES:
            rows.append(Answer(**base, value_int=int(value)))
        elif question.type == Question.Type.NUMERIC:
            rows.append(Answer(**base, value_num=float(value)))
        else:
            rows.append(Answer(**base, text=str(value)))
    return rows


def response_submit(
    *,
    wave: Wave,
    questions: list[Question],
    values: Mapping[str, object],
    language: str,
    source: str,
    participant: Participant | None = None,
    group: TargetGroup | None = None,
    started_at: datetime.datetime | None = None,
    entered_by=None,
    fingerprint: str = "",
) -> Response:
    """Store one set of answers (already validated by the form) atomically:
    one response per participant (checked under a row lock and by the unique
    participant link), the participant marked complete and their draft
    deleted, the questionnaire locked. In an anonymous wave the response keeps
    only the target group."""
    now = timezone.now()
    with transaction.atomic():
        if participant is not None:
            participant = Participant.objects.select_for_update().get(pk=participant.pk)
            if participant.disposition == D.COMPLETE:
                raise ValidationError(ERR_ALREADY_ANSWERED)
            group_id = participant.group_id
            started_at = started_at or participant.draft_started_at
        else:
            group_id = group.pk if group else None
            if (
                fingerprint
                and Response.objects.filter(
                    wave=wave, public_fingerprint=fingerprint
                ).exists()
            ):
                raise ValidationError(ERR_ALREADY_ANSWERED)
        response = Response(
            wave=wave,
            group_id=group_id,
            participant=None
            if (wave.anonymous or participant is None)
            else participant,
            source=source,
            language=language,
            # In anonymous waves the times are kept to the day only, so they
            # cannot be matched with the participant's completion time.
            started_at=None if wave.anonymous else started_at,
            submitted_at=_day(now) if wave.anonymous else now,
            duration_seconds=(
                int((now - started_at).total_seconds()) if started_at else None
            ),
            entered_by=entered_by,
            public_fingerprint=fingerprint,
        )
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError as exc:
            raise ValidationError(ERR_ALREADY_ANSWERED) from exc
        Answer.objects.bulk_create(
            _answer_rows(response=response, questions=questions, values=values),
            batch_size=500,
        )
        if participant is not None:
            participant.disposition = D.COMPLETE
            participant.completed_at = _day(now) if wave.anonymous else now
            participant.draft = {}
            fields = ["disposition", "completed_at", "draft"]
            if wave.anonymous:
                # With the start time and the duration, the exact submission
                # time (the response's history) could be matched again.
                participant.draft_started_at = None
                fields.append("draft_started_at")
            participant.save(update_fields=fields)
        # A questionnaire is never unlocked: when the one already loaded with
        # the wave (the answer page's select_related) is locked, skip the UPDATE.
        loaded = wave.questionnaire if Wave.questionnaire.is_cached(wave) else None
        if loaded is None or not loaded.locked:
            Questionnaire.objects.filter(pk=wave.questionnaire_id, locked=False).update(
                locked=True
            )
        # Close the loop: a low score from a known respondent opens a task.
        create_follow_ups(response)
    return response


def _day(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=12, minute=0, second=0, microsecond=0)


def draft_save(
    *, participant: Participant, values: Mapping[str, object], page: int
) -> None:
    """Keep an unfinished answer on the participant (disposition: partial)."""
    draft = {**participant.draft, **values, "_page": page}
    participant.draft = draft
    fields = ["draft"]
    if participant.draft_started_at is None:
        participant.draft_started_at = timezone.now()
        fields.append("draft_started_at")
    if participant.disposition in (D.SELECTED, D.INVITED, D.OPENED, D.BOUNCED):
        participant.disposition = D.PARTIAL
        fields.append("disposition")
    participant.save(update_fields=fields)


def participant_opened(*, participant: Participant) -> None:
    if participant.disposition in (D.SELECTED, D.INVITED, D.BOUNCED):
        participant.disposition = D.OPENED
        participant.opened_at = timezone.now()
        participant.save(update_fields=["disposition", "opened_at"])
