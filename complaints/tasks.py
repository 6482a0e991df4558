"""Background tasks of the complaints area (run by Celery; inline without a broker)."""

from dataclasses import asdict

from celery import shared_task
from django.conf import settings


@shared_task
def fetch_complaint_mail() -> dict:
    """Import new e-mails of the complaints mailbox (nothing when none is set)."""
    from complaints.intake_email import fetch_mail

    if not settings.COMPLAINTS_MAIL_URL:
        return {}
    return asdict(fetch_mail())


@shared_task
def send_complaint_reminders() -> dict:
    """Remind handlers and escalate overdue cases; returns what was sent
    (scheduled by beat at 07:30)."""
    from complaints.reminders import send_reminders

    return asdict(send_reminders())
