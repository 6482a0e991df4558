"""Anonymise personal data older than its record type's retention period."""

from django.core.management.base import BaseCommand

from qms.personal_data import apply_retention, retention_days


class Command(BaseCommand):
    help = (
        "Anonymise personal data past the retention periods in "
        "PERSONAL_DATA_RETENTION_DAYS (records and statistics stay). Safe to "
        "run twice."
    )

    def handle(self, *args, **options) -> None:
        done = apply_retention()
        periods = retention_days()
        parts = [
            f"{key}: {count} anonymised (older than {periods[key]} days)"
            for key, count in done.items()
        ]
        self.stdout.write("; ".join(parts) or "no retention periods set")
