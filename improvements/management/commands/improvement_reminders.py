from django.core.management.base import BaseCommand

from improvements.services import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail owners of improvement actions due in three days or overdue "
        "(at most once a day per action; safe to run twice)."
    )

    def handle(self, *args, **options) -> None:
        run = send_reminders()
        self.stdout.write(
            f"Sent {run.due_soon} due-soon and {run.overdue} overdue reminder(s)."
        )
