"""Writes of the management-report area: drafts, commentary, issue and
approval (freezing), distribution, decisions."""

from __future__ import annotations

import datetime
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from qms.reporting import ReportPeriod
from qms.workflow import Action, Workflow

from . import building, pdf
from .models import (
    DecisionTransition,
    DistributionList,
    Report,
    ReportDecision,
    ReportTransition,
)

ERR_NOT_DRAFT = _("Only a draft can be changed or issued.")
ERR_NOT_AWAITING = _("This report is not awaiting approval.")
ERR_SELF_APPROVAL = _("The author cannot approve their own report.")
ERR_DECISION_CLOSED = _("Only an open decision can be completed or cancelled.")
ERR_PERIOD_FUTURE = _("The period has not begun yet.")


def require_approval() -> bool:
    return bool(getattr(settings, "REPORTS_REQUIRE_APPROVAL", False))


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot_bytes(snapshot: dict) -> bytes:
    """The canonical JSON of a snapshot, which its checksum covers."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()


# --------------------------------------------------------------------------
# Drafts
# --------------------------------------------------------------------------


def report_create(
    *,
    period: ReportPeriod,
    unit=None,
    language: str = "en",
    by=None,
    distribution: DistributionList | None = None,
    today: datetime.date | None = None,
) -> Report:
    """A draft for ``period``; its summary starts as the draft drawn from the
    signals (breaches, significant changes, control-chart signals, overdue
    actions)."""
    today = today or timezone.localdate()
    if period.start > today:
        raise ValidationError({"period": ERR_PERIOD_FUTURE})
    content = building.build(
        period, unit=unit, language=language, today=today, with_tables=False
    )
    report = Report(
        kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        org_unit=unit,
        language=language,
        author=by,
        distribution=distribution,
        summary=content["summary_draft"],
    )
    report.full_clean()
    report.save()
    return report


def report_update(
    *,
    report: Report,
    summary: str,
    conclusions: str,
    recommendations: str,
    distribution: DistributionList | None = None,
) -> Report:
    if not report.is_draft:
        raise ValidationError(ERR_NOT_DRAFT)
    report.summary = summary
    report.conclusions = conclusions
    report.recommendations = recommendations
    report.distribution = distribution
    report.full_clean()
    report.save()
    return report


def build_content_for(period: ReportPeriod, unit=None, language: str = "en") -> dict:
    return building.build(period, unit=unit, language=language)


def report_content(report: Report, today: datetime.date | None = None) -> dict:
    """What the report shows: the frozen snapshot once issued, else the
    figures built now."""
    if report.is_issued and report.snapshot:
        return report.snapshot
    return building.build(
        report.period, unit=report.org_unit, language=report.language, today=today
    )


# --------------------------------------------------------------------------
# Issuing
# --------------------------------------------------------------------------


def _submitted(report: Report, *, by, now, **_data) -> list[str]:
    if report.author_id is None:
        report.author = by
    report.submitted_at = now
    return ["author", "submitted_at"]


def _returned(report: Report, **_data) -> list[str]:
    report.submitted_at = None
    return ["submitted_at"]


def _not_by_the_author(report: Report, *, by, **_data) -> None:
    if by is not None and report.author_id == by.pk:
        raise ValidationError(ERR_SELF_APPROVAL)


def _frozen(report: Report, *, by, now, **_data) -> list[str]:
    """Build the content once, store it and its PDF with checksums; from now
    on the report shows only what was stored."""
    changed = ["issued_at", "version", "snapshot", "snapshot_checksum"]
    changed += ["pdf", "pdf_checksum", "author", "approver"]
    if report.status == Report.Status.AWAITING_APPROVAL:
        report.approver = by
    elif report.author_id is None:
        report.author = by
    report.issued_at = now
    report.version = (
        Report.objects.issued()
        .filter(
            kind=report.kind,
            period_start=report.period_start,
            org_unit=report.org_unit,
            language=report.language,
        )
        .count()
        + 1
    )
    content = building.build(
        report.period, unit=report.org_unit, language=report.language
    )
    report.snapshot = content
    # The cover shows the issued state, so set it before rendering.
    report.status = Report.Status.ISSUED
    report.snapshot_checksum = checksum(snapshot_bytes(content))
    data = pdf.render_pdf(report, content)
    report.pdf_checksum = checksum(data)
    report.pdf.save(pdf_filename(report), ContentFile(data), save=False)
    return changed


RS = Report.Status
WORKFLOW = Workflow(
    log=ReportTransition,
    refusal=ERR_NOT_DRAFT,
    validate=True,
    actions=[
        Action(
            "issue", _("Issue"), {RS.DRAFT}, RS.ISSUED, effect=_frozen, style="primary"
        ),
        Action(
            "submit",
            _("Submit for approval"),
            {RS.DRAFT},
            RS.AWAITING_APPROVAL,
            effect=_submitted,
            style="primary",
        ),
        Action(
            "approve",
            _("Approve and issue"),
            {RS.AWAITING_APPROVAL},
            RS.ISSUED,
            guard=_not_by_the_author,
            effect=_frozen,
            style="primary",
        ),
        Action(
            "return",
            _("Return to draft"),
            {RS.AWAITING_APPROVAL},
            RS.DRAFT,
            effect=_returned,
        ),
    ],
)


def report_issue(*, report: Report, by) -> Report:
    """Issue a draft: frozen at once, or submitted for a second person's
    approval when ``REPORTS_REQUIRE_APPROVAL`` is on."""
    if not report.is_draft:
        raise ValidationError(ERR_NOT_DRAFT)
    step = "submit" if require_approval() else "issue"
    return WORKFLOW.transition(report, step, by=by)


def report_approve(*, report: Report, by) -> Report:
    if report.status != Report.Status.AWAITING_APPROVAL:
        raise ValidationError(ERR_NOT_AWAITING)
    return WORKFLOW.transition(report, "approve", by=by)


def report_return(*, report: Report, by) -> Report:
    """The approver sends the report back to its author as a draft."""
    if report.status != Report.Status.AWAITING_APPROVAL:
        raise ValidationError(ERR_NOT_AWAITING)
    return WORKFLOW.transition(report, "return", by=by)


def pdf_filename(report: Report) -> str:
    from .periods import period_code

    unit = f"-{report.org_unit.code}" if report.org_unit_id else ""
    return (
        f"management-report-{period_code(report.period)}{unit}-"
        f"{report.language}-v{report.version}.pdf"
    )


def verify(report: Report) -> bool:
    """Do the stored snapshot and PDF still match their checksums?"""
    if not report.is_issued:
        return False
    with report.pdf.open("rb") as handle:
        data = handle.read()
    return checksum(data) == report.pdf_checksum and (
        checksum(snapshot_bytes(report.snapshot)) == report.snapshot_checksum
    )


# --------------------------------------------------------------------------
# Distribution
# --------------------------------------------------------------------------


def recipients(report: Report) -> list[str]:
    """E-mail addresses of the report's list, or of the default lists."""
    if report.distribution_id:
        lists = DistributionList.objects.filter(pk=report.distribution_id)
    else:
        lists = DistributionList.objects.filter(is_default=True)
    addresses: list[str] = []
    for distribution in lists.prefetch_related("users"):
        addresses += [u.email for u in distribution.users.all() if u.email]
        addresses += distribution.email_lines()
    return sorted(set(addresses))


def report_distribute(*, report: Report) -> int:
    """E-mail the issued PDF (attached, with a link) to the distribution list;
    returns the number of recipients."""
    if not report.is_issued:
        raise ValidationError(ERR_NOT_DRAFT)
    to = recipients(report)
    if not to:
        return 0
    link = settings.SITE_URL + reverse("reports:report-pdf", args=[report.pk])
    with translation.override(report.language):
        context = {"report": report, "link": link}
        subject = render_to_string("reports/email/issued_subject.txt", context)
        body = render_to_string("reports/email/issued_body.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, None, [], bcc=to)
    with report.pdf.open("rb") as handle:
        message.attach(pdf_filename(report), handle.read(), "application/pdf")
    message.send()
    report.distributed_at = timezone.now()
    report.save(update_fields=["distributed_at"])
    return len(to)


def generate(
    *,
    period: ReportPeriod,
    unit=None,
    language: str = "en",
    today: datetime.date | None = None,
) -> tuple[Report, bool]:
    """The scheduled run: create the report, issue it when no approval is
    required, e-mail it. Safe to run twice: an issued report of the same
    period, unit and language is reused, not duplicated. Returns the report
    and whether it was created now."""
    existing = (
        Report.objects.filter(
            kind=period.kind,
            period_start=period.start,
            org_unit=unit,
            language=language,
        )
        .exclude(status=Report.Status.DRAFT)
        .first()
    )
    if existing:
        return existing, False
    report = report_create(period=period, unit=unit, language=language, today=today)
    if not require_approval():
        report = WORKFLOW.transition(report, "issue", by=None)
        report_distribute(report=report)
    else:
        report = WORKFLOW.transition(report, "submit", by=None)
    return report, True


# --------------------------------------------------------------------------
# Decisions
# --------------------------------------------------------------------------


def decision_save(*, decision: ReportDecision) -> ReportDecision:
    decision.full_clean()
    decision.save()
    return decision


def _completed(
    decision: ReportDecision, *, outcome: str = "", today=None, **_data
) -> list[str]:
    decision.outcome = outcome
    decision.completed_on = today or timezone.localdate()
    return ["outcome", "completed_on"]


def _reopened(decision: ReportDecision, **_data) -> list[str]:
    decision.completed_on = None
    return ["completed_on"]


DS = ReportDecision.Status
DECISION_WORKFLOW = Workflow(
    log=DecisionTransition,
    refusal=ERR_DECISION_CLOSED,
    validate=True,
    actions=[
        Action(
            "complete",
            _("Mark done"),
            {DS.OPEN},
            DS.DONE,
            effect=_completed,
            style="primary",
        ),
        Action("cancel", _("Cancel"), {DS.OPEN}, DS.CANCELLED, effect=_completed),
        Action(
            "reopen", _("Reopen"), {DS.DONE, DS.CANCELLED}, DS.OPEN, effect=_reopened
        ),
    ],
)


def decision_close(
    *, decision: ReportDecision, status: str, outcome: str, today=None, by=None
) -> ReportDecision:
    if decision.status != ReportDecision.Status.OPEN:
        raise ValidationError(ERR_DECISION_CLOSED)
    return DECISION_WORKFLOW.transition_to(
        decision, status, by=by, outcome=outcome, today=today
    )


def decision_reopen(*, decision: ReportDecision, by=None) -> ReportDecision:
    return DECISION_WORKFLOW.transition(decision, "reopen", by=by)
