"""Generate, issue and e-mail the management report of a period (for cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qms.models import OrgUnit
from reports import services
from reports.periods import parse_period


class Command(BaseCommand):
    help = (
        "Generate the management report of a period, issue it (unless "
        "REPORTS_REQUIRE_APPROVAL) and e-mail the PDF to the distribution list. "
        "Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period",
            default="last-month",
            help="last-month, last-quarter, last-half, last-year, YYYY-MM, "
            "YYYY-Qn, YYYY-Hn or YYYY (default: last-month)",
        )
        parser.add_argument("--unit", default="", help="organisation unit code")
        parser.add_argument("--language", default="en", choices=["en", "et"])

    def handle(self, *args, period: str, unit: str, language: str, **options):
        try:
            chosen = parse_period(period, timezone.localdate())
        except ValueError as error:
            raise CommandError(str(error)) from None
        org_unit = None
        if unit:
            org_unit = OrgUnit.objects.filter(code=unit).first()
            if org_unit is None:
                raise CommandError(f"No organisation unit with code {unit!r}.")
        report, created = services.generate(
            period=chosen, unit=org_unit, language=language
        )
        state = "created" if created else "already existed"
        self.stdout.write(
            f"Report {report.pk} for {chosen.start:%Y-%m-%d}..{chosen.end:%Y-%m-%d} "
            f"{state}: {report.get_status_display()}, "
            f"sent: {'yes' if report.distributed_at else 'no'}."
        )
