"""Read the complaints mailbox once (safe to run twice: nothing is imported twice)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from complaints.intake_email import fetch_mail


class Command(BaseCommand):
    help = (
        "Import new e-mails of the complaints mailbox as cases, or as messages of "
        "the cases they quote."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--url",
            help="Mailbox to read instead of COMPLAINTS_MAIL_URL "
            "(imaps://user:pass@host:993/INBOX or maildir:///path).",
        )

    def handle(self, *args, url: str | None = None, **options) -> None:
        try:
            summary = fetch_mail(url)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Complaint mail: {summary}.")
