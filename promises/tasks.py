"""Celery tasks of the promises area (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="promises.tasks.send_promise_review_reminders")
def send_promise_review_reminders() -> int:
    from promises.reminders import send_review_reminders

    return send_review_reminders()
