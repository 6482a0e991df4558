"""Scheduled management reports (Celery beat; inline without a broker)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import services
from .periods import parse_period


@shared_task
def generate_scheduled_report(period: str = "last-month", language: str = "en") -> int:
    """Generate, issue and e-mail the report of ``period``; returns its id."""
    report, _created = services.generate(
        period=parse_period(period, timezone.localdate()), language=language
    )
    return report.pk
