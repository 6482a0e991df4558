"""Celery tasks of the improvement system (scheduled by beat)."""

from dataclasses import asdict

from celery import shared_task


@shared_task(name="improvements.tasks.send_improvement_reminders")
def send_improvement_reminders() -> dict:
    """Remind action owners before due dates and while overdue."""
    from improvements.services import send_reminders

    return asdict(send_reminders())
