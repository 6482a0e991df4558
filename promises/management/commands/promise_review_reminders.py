"""E-mail promise owners whose review is due (also run daily by Celery beat)."""

from django.core.management.base import BaseCommand

from promises.reminders import send_review_reminders


class Command(BaseCommand):
    help = "Remind the owners of promises whose next review date is near or past."

    def handle(self, *args, **options) -> None:
        sent = send_review_reminders()
        self.stdout.write(f"{sent} review reminders sent.")
