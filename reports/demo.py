"""Demo data of the management reports: a default distribution list, the
issued report of the last full quarter with two decisions, and a draft for
the current month. Runs after every area's demo (reports is the last app in
INSTALLED_APPS) so the figures rest on their data. Safe to run twice."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import services
from .models import DistributionList, Report, ReportDecision
from .periods import last_full, period_of


def seed(ctx) -> None:
    users = ctx.users
    quality, executive = users["quality"], users["exec"]
    today = timezone.localdate()
    board, created = DistributionList.objects.get_or_create(
        name="Management board",
        defaults={"is_default": True, "emails": "board@example.org"},
    )
    if created:
        board.users.set([quality, executive])
        ctx.count("distribution lists")

    quarter = last_full("quarter", today)
    issued = Report.objects.filter(
        kind="quarter", period_start=quarter.start, org_unit=None
    ).first()
    if issued is None:
        issued = services.report_create(
            period=quarter, by=quality, distribution=board, today=today
        )
        issued.conclusions = (
            "Complaint volume and timeliness are the two themes of the quarter; "
            "the answer deadline was missed more often than the target allows."
        )
        issued.recommendations = (
            "Staff the written channel for the autumn billing peak and review "
            "the root causes behind repeated billing complaints."
        )
        issued.save()
        issued = services.report_issue(report=issued, by=quality)
        ctx.count("reports")
    if not issued.decisions.exists():
        for text, owner, days in (
            (
                "Add two agents to the written service team for the billing peak.",
                users["lead"],
                30,
            ),
            (
                "Root-cause analysis of 'wrong amount' billing complaints.",
                users["owner"],
                45,
            ),
        ):
            ReportDecision.objects.create(
                report=issued,
                text=text,
                owner=owner,
                due_date=quarter.end + datetime.timedelta(days=days),
            )
            ctx.count("report decisions")

    month = period_of("month", today)
    if not Report.objects.filter(kind="month", period_start=month.start).exists():
        services.report_create(
            period=month, by=quality, distribution=board, today=today
        )
        ctx.count("reports")
