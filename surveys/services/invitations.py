"""Invitation and reminder e-mails: each in the participant's language, with
the personal link and the opt-out link."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..models import LANGUAGES, Participant, Wave
from .participants import ERR_NOT_APPROVED

S = Wave.Status
D = Participant.Disposition

ERR_NOT_IN_FIELDWORK = _("Invitations go out only while the wave is in fieldwork.")

# Dispositions that still wait for an answer (reminders go to these).
WAITING = (D.INVITED, D.OPENED, D.PARTIAL)


def personal_url(participant: Participant) -> str:
    path = reverse("surveys_public:answer", args=[participant.token])
    return f"{settings.SITE_URL}{path}"


def opt_out_url(participant: Participant) -> str:
    path = reverse("surveys_public:opt-out", args=[participant.token])
    return f"{settings.SITE_URL}{path}"


def send_invitation(participant: Participant, *, reminder: bool = False) -> bool:
    """Send one invitation (or reminder) in the participant's language and
    record it. Returns False when there is no address."""
    if not participant.email:
        return False
    wave = participant.wave
    language = participant.language if participant.language in LANGUAGES else "et"
    with translation.override(language):
        context = {
            "participant": participant,
            "wave": wave,
            "url": personal_url(participant),
            "opt_out_url": opt_out_url(participant),
            "reminder": reminder,
            "closes_on": wave.closes_on,
        }
        subject = render_to_string("surveys/email/invitation_subject.txt", context)
        body = render_to_string("surveys/email/invitation.txt", context)
    send_mail(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [participant.email],
    )
    now = timezone.now()
    if reminder:
        participant.reminders_sent += 1
        participant.last_reminded_at = now
        participant.save(update_fields=["reminders_sent", "last_reminded_at"])
    else:
        participant.invited_at = now
        if participant.disposition == D.SELECTED:
            participant.disposition = D.INVITED
        participant.save(update_fields=["invited_at", "disposition"])
    return True


def invitations_send(*, wave: Wave) -> None:
    """Queue the invitations of a wave in fieldwork (a Celery task; inline
    when no broker is configured)."""
    if wave.status != S.FIELDWORK:
        raise ValidationError(
            ERR_NOT_IN_FIELDWORK if wave.status == S.APPROVED else ERR_NOT_APPROVED
        )
    from ..tasks import send_wave_invitations

    send_wave_invitations.delay(wave.pk)


def invitations_pending(wave: Wave):
    """Participants selected but not yet invited, with an address and consent."""
    return (
        wave.participants.filter(disposition=D.SELECTED)
        .exclude(email="")
        .exclude(customer__consent_surveys=False)
        .select_related("wave")
    )


def reminders_due(today: datetime.date):
    """Participants of waves in fieldwork whose next reminder day has come."""
    candidates = (
        Participant.objects.filter(
            wave__status=S.FIELDWORK,
            disposition__in=WAITING,
            invited_at__isnull=False,
        )
        .exclude(wave__reminder_days=[])
        .exclude(email="")
        .exclude(customer__consent_surveys=False)
        .filter(Q(wave__closes_on__isnull=True) | Q(wave__closes_on__gte=today))
        .select_related("wave")
    )
    for participant in candidates.iterator(chunk_size=500):
        days = participant.wave.reminder_days
        if participant.reminders_sent >= len(days):
            continue
        due = timezone.localtime(participant.invited_at).date() + datetime.timedelta(
            days=int(days[participant.reminders_sent])
        )
        if due <= today:
            yield participant
