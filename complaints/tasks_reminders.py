"""Celery task for the daily complaint reminders (scheduled by beat at 07:30).

Kept apart from ``complaints/tasks.py``; Celery's autodiscovery only imports
modules named ``tasks``, so the worker must import this one too (see the
``CELERY_IMPORTS`` setting or an import in ``complaints/tasks.py``).
"""

from dataclasses import asdict

from celery import shared_task


@shared_task(name="complaints.tasks_reminders.send_complaint_reminders")
def send_complaint_reminders() -> dict:
    """Remind handlers and escalate overdue cases; returns what was sent."""
    from complaints.reminders import send_reminders

    return asdict(send_reminders())
