"""Background tasks of the surveys area (run by Celery; inline without a broker)."""

from celery import shared_task
from django.utils import timezone


@shared_task
def send_wave_invitations(wave_id: int) -> int:
    """Invite every selected participant of a wave (skips those without an
    address or who declined surveys meanwhile)."""
    from .models import Wave
    from .services import invitations_pending, send_invitation

    wave = Wave.objects.get(pk=wave_id)
    sent = 0
    for participant in invitations_pending(wave).iterator(chunk_size=200):
        sent += send_invitation(participant)
    return sent


@shared_task
def send_participant_invitation(participant_id: int) -> bool:
    from .models import Participant
    from .services import send_invitation

    participant = Participant.objects.select_related("wave").get(pk=participant_id)
    return send_invitation(participant)


@shared_task
def send_survey_reminders() -> int:
    """Daily: remind non-respondents on the wave's reminder days."""
    from .services import reminders_due, send_invitation

    sent = 0
    for participant in list(reminders_due(timezone.localdate())):
        sent += send_invitation(participant, reminder=True)
    return sent
