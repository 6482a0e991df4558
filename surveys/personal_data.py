"""The surveys area's personal data for qms.personal_data.

An identified wave links a participant to a customer (or an e-mail
address); their response, its answers (free text included) and the
follow-up after a low score hang off that participant. An anonymous wave
stores no link from a response to a participant (see
:func:`surveys.services.response_submit`), so nothing of it can be found or
needs erasing.

Anonymising blanks the participant's address, detaches the customer, drops
any unfinished answers and scrubs contact data (the customer's name, e-mail
address and phone number, and any address or number) from free-text answers
and follow-up outcomes; scores, dispositions and dates stay for the results
and response rates. Retention: ``surveys.participant`` days after the wave
closed.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qms import personal_data
from qms.personal_data import Record, Source, scrub

from . import aggregates
from .models import Answer, FollowUp, Participant, Response

KEY = "surveys.participant"


def _participants_of(customer):
    match = Q(customer=customer)
    if customer.email:
        match |= Q(email__iexact=customer.email)
    return Participant.objects.filter(match)


def _answer_value(answer: Answer):
    if answer.text:
        return answer.text
    if answer.value_num is not None:
        return answer.value_num
    return answer.value_int


def records(customer) -> list[Record]:
    """The customer's participations, their responses with every answer, and
    the follow-ups (four queries)."""
    participants = list(
        _participants_of(customer)
        .select_related("wave__series", "group", "case")
        .order_by("wave__opens_on", "pk")
    )
    found = []
    for p in participants:
        wave = p.wave
        found.append(
            Record(
                source=KEY,
                label=f"{wave.series.name}: {wave.name}",
                url=wave.get_absolute_url(),
                at=p.invited_at or p.completed_at,
                data={
                    "series": wave.series.name,
                    "wave": wave.name,
                    "group": p.group.name if p.group else "",
                    "email": p.email,
                    "language": p.language,
                    "disposition": p.get_disposition_display(),
                    "invited_at": p.invited_at,
                    "completed_at": p.completed_at,
                    "complaint": p.case.reference if p.case else "",
                    **{
                        f"saved answer {code}": value
                        for code, value in p.draft.items()
                        if not code.startswith("_")
                    },
                },
            )
        )
    by_participant = {p.pk: p for p in participants}
    responses = list(
        Response.objects.filter(participant__in=by_participant).order_by("pk")
    )
    answers: dict[int, dict[str, object]] = {r.pk: {} for r in responses}
    for answer in (
        Answer.objects.filter(response__in=responses)
        .select_related("question")
        .order_by("question__order", "pk")
    ):
        values = answers[answer.response_id]
        key = f"answer {answer.question.code}"
        value = _answer_value(answer)
        if answer.question.type == answer.question.Type.MULTIPLE:
            values.setdefault(key, []).append(value)
        else:
            values[key] = value
    wave_of = {r.pk: by_participant[r.participant_id].wave for r in responses}
    for response in responses:
        wave = wave_of[response.pk]
        found.append(
            Record(
                source=KEY,
                label=f"{wave.name}: R-{response.pk}",
                url=wave.get_absolute_url(),
                at=response.submitted_at,
                data={
                    "wave": wave.name,
                    "source": response.get_source_display(),
                    "language": response.language,
                    "submitted_at": response.submitted_at,
                    **answers[response.pk],
                },
            )
        )
    for follow_up in FollowUp.objects.filter(response__in=responses).order_by("pk"):
        found.append(
            Record(
                source=KEY,
                label=f"{follow_up.reason} (R-{follow_up.response_id})",
                url=wave_of[follow_up.response_id].get_absolute_url(),
                at=follow_up.created_at,
                data={
                    "follow-up": follow_up.reason,
                    "status": follow_up.get_status_display(),
                    "outcome": follow_up.outcome,
                    "done_at": follow_up.done_at,
                },
            )
        )
    return found


def _known(customer, participant: Participant) -> tuple[str, ...]:
    """What identifies the person in free text."""
    names = [participant.email]
    if customer is not None:
        names += [customer.name, customer.contact_person, customer.email]
        names += [customer.phone]
    return tuple(n for n in names if n)


def _anonymise(participants, customer=None) -> int:
    """Anonymise ``participants`` (each with the names of its own customer,
    or of ``customer`` when given); a few queries per participant."""
    count = 0
    waves: set[int] = set()
    for participant in participants.select_related("customer"):
        waves.add(participant.wave_id)
        known = _known(customer or participant.customer, participant)
        for answer in Answer.objects.filter(response__participant=participant).exclude(
            text=""
        ):
            cleaned = scrub(answer.text, *known)
            if cleaned != answer.text:
                Answer.objects.filter(pk=answer.pk).update(text=cleaned)
        for follow_up in FollowUp.objects.filter(response__participant=participant):
            # update(): no new history row holding the old outcome.
            FollowUp.objects.filter(pk=follow_up.pk).update(
                outcome=scrub(follow_up.outcome, *known)
            )
            for old in FollowUp.history.filter(id=follow_up.pk).exclude(outcome=""):
                old.outcome = scrub(old.outcome, *known)
                old.save()
        Participant.objects.filter(pk=participant.pk).update(
            email="", customer=None, draft={}
        )
        count += 1
    # Scrubbed texts can change the stored figures (non-empty texts).
    aggregates.invalidate(waves)
    return count


def anonymise(customer) -> int:
    return _anonymise(_participants_of(customer), customer)


def expire(cutoff: datetime.datetime) -> int:
    """Anonymise the participants of waves that closed before ``cutoff``
    (those still identified; so each once)."""
    participants = Participant.objects.filter(wave__closes_on__lt=cutoff.date()).filter(
        Q(customer__isnull=False) | ~Q(email="")
    )
    return _anonymise(participants)


def register_sources() -> None:
    personal_data.register(
        Source(
            key=KEY,
            label=_("Survey participations, answers and follow-ups"),
            records=records,
            anonymise=anonymise,
            expire=expire,
        )
    )


# Found at start-up by the core's autodiscovery (qms.apps).
register_sources()
