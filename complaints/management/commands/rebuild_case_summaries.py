"""Recompute the monthly summaries behind the complaints figures."""

import time

from django.core.management.base import BaseCommand

from complaints.monitoring import summaries


class Command(BaseCommand):
    help = (
        "Recompute every complete month of the complaints summaries (monitoring, "
        "dashboard, reports). Saves through the application keep them up to date "
        "by themselves; run this after loading cases around it (SQL, COPY) or "
        "after changing HOLIDAYS_COUNTRY or HOLIDAYS_SUBDIVISION, which change "
        "the working-day figures of past months."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        rows = summaries.rebuild()
        self.stdout.write(
            f"Rebuilt the complaints summaries: {rows:,} rows "
            f"in {time.perf_counter() - started:.1f} s."
        )
