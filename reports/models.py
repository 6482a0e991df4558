"""Periodic management reports (ISO 9001 §9.3): a report for a period and
optionally an organisation unit, its decisions, and who receives it.

A draft is computed live from the areas' sections; issuing freezes the report:
the JSON snapshot and the PDF are stored with SHA-256 checksums and never
change afterwards, whatever happens to the data behind them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.concurrency import Versioned, VersionedQuerySet
from qms.reporting import ReportPeriod
from qms.workflow import StatusChange


class DistributionList(models.Model):
    """Who receives issued reports: users and/or plain e-mail addresses."""

    name = models.CharField(_("name"), max_length=200)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("users"),
        blank=True,
        related_name="report_distribution_lists",
    )
    emails = models.TextField(
        _("e-mail addresses"), blank=True, help_text=_("One address per line.")
    )
    is_default = models.BooleanField(
        _("default"),
        default=False,
        help_text=_("Scheduled reports are sent to the default lists."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("distribution list")
        verbose_name_plural = _("distribution lists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def email_lines(self) -> list[str]:
        return [line.strip() for line in self.emails.splitlines() if line.strip()]


class ReportQuerySet(VersionedQuerySet):
    def issued(self) -> ReportQuerySet:
        return self.filter(status=Report.Status.ISSUED)


class Report(Versioned):
    class Kind(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        HALF = "half", _("Half-year")
        YEAR = "year", _("Year")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        ISSUED = "issued", _("Issued")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        ESTONIAN = "et", _("Estonian")

    kind = models.CharField(_("period type"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(
        _("period until"), help_text=_("The first day after the period.")
    )
    org_unit = models.ForeignKey(
        "qms.OrgUnit",
        verbose_name=_("organisation unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="management_reports",
        help_text=_("Empty: the whole organisation."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default="en"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    summary = models.TextField(_("executive summary"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: generated on schedule."),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    distribution = models.ForeignKey(
        DistributionList,
        verbose_name=_("distribution list"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    distributed_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    # The frozen report (issued only).
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    snapshot_checksum = models.CharField(
        _("snapshot SHA-256"), max_length=64, blank=True, editable=False
    )
    pdf = models.FileField(
        _("PDF"), upload_to="reports/%Y/", blank=True, editable=False
    )
    pdf_checksum = models.CharField(
        _("PDF SHA-256"), max_length=64, blank=True, editable=False
    )

    # The snapshot is frozen at issue; keeping it once in the report is enough.
    history = HistoricalRecords(excluded_fields=["row_version", "snapshot"])

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("management report")
        verbose_name_plural = _("management reports")
        # The report list: newest period first.
        ordering = ["-period_start", "-created_at", "-id"]
        indexes = [
            # The report list filtered by status and ordered by period.
            models.Index(fields=["status", "-period_start"], name="report_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="report_period_not_empty",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued")
                | (Q(issued_at__isnull=False) & ~Q(pdf_checksum="")),
                name="report_issued_is_frozen",
            ),
        ]
        permissions = [
            ("issue_report", _("Can issue management reports")),
            ("approve_report", _("Can approve management reports")),
        ]

    def __str__(self) -> str:
        return f"{self.period_label} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:report-detail", args=[self.pk])

    @property
    def period(self) -> ReportPeriod:
        return ReportPeriod(self.kind, self.period_start, self.period_end)

    @property
    def period_label(self) -> str:
        from .periods import period_label

        return period_label(self.period)

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ReportDecision(Versioned):
    """A management-review output (ISO 9001 §9.3.3), tracked until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    report = models.ForeignKey(
        Report,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="report_decisions",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["row_version"])

    class Meta:
        verbose_name = _("management decision")
        verbose_name_plural = _("management decisions")
        ordering = ["due_date", "id"]
        indexes = [
            # Open decisions carried into the next report.
            models.Index(fields=["status", "due_date"], name="decision_status_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("reports:report-detail", args=[self.report_id])

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_date < today


class ReportTransition(StatusChange):
    """Append-only log of a report's status changes (submitted, returned,
    approved, issued)."""

    report = models.ForeignKey(
        Report,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=Report.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=Report.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class DecisionTransition(StatusChange):
    """Append-only log of a management decision's status changes."""

    decision = models.ForeignKey(
        ReportDecision,
        verbose_name=_("management decision"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=ReportDecision.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=24, choices=ReportDecision.Status.choices
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("decision status change")
        verbose_name_plural = _("decision status changes")

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.from_status} → {self.to_status}"
