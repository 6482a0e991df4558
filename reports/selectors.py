"""Reads of the management-report pages, each with its joins built in."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Report, ReportDecision


def reports() -> QuerySet[Report]:
    return Report.objects.select_related("org_unit", "author", "approver")


def decisions() -> QuerySet[ReportDecision]:
    return ReportDecision.objects.select_related("owner", "report").order_by(
        "due_date", "pk"
    )


def decisions_of(report: Report) -> list[ReportDecision]:
    """The decisions recorded on ``report`` (the outputs of its review)."""
    return list(decisions().filter(report=report))
