"""Send the daily complaint reminders and escalations (safe to run twice)."""

from django.core.management.base import BaseCommand

from complaints.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail handlers their cases due soon and escalate overdue cases to the "
        "head of the unit; each case at most once a day."
    )

    def handle(self, *args, **options) -> None:
        result = send_reminders()
        self.stdout.write(f"Sent {result}.")
        if result.skipped_no_address:
            self.stderr.write(
                "No e-mail address to send to for: "
                + ", ".join(result.skipped_no_address)
            )
