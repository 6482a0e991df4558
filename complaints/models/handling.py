"""How cases are handled: deadline rules, reference numbers, the log of
status changes and the pauses of the clock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.workflow import StatusChange

from .cases import Case


class DeadlineRule(models.Model):
    """How long the organisation has to acknowledge and to answer a case."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        WORKING_HOURS = "working_hours", _("working hours")

    kind = models.CharField(_("kind"), max_length=20, choices=Case.Kind.choices)
    priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=Case.Priority.choices,
        blank=True,
        help_text=_("Empty: applies to every priority without a rule of its own."),
    )
    acknowledge_within = models.PositiveSmallIntegerField(
        _("acknowledge within"), default=1
    )
    acknowledge_unit = models.CharField(
        _("unit"), max_length=20, choices=Unit.choices, default=Unit.WORKING_DAYS
    )
    respond_within = models.PositiveSmallIntegerField(_("respond within"), default=15)
    respond_unit = models.CharField(
        _("unit"), max_length=20, choices=Unit.choices, default=Unit.CALENDAR_DAYS
    )
    note = models.CharField(_("basis"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "priority"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "priority"], name="deadlinerule_unique_kind_priority"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.priority or '*'}"


class CaseSequence(models.Model):
    """The last reference number used per year (K-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Transition(StatusChange):
    """Append-only log of a case's status changes."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=Case.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=Case.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("case status change")
        verbose_name_plural = _("case status changes")
        indexes = [
            # Monitoring: reopen rate and time-in-status per period.
            models.Index(fields=["to_status", "at"], name="transition_to_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.from_status} → {self.to_status}"


class Pause(models.Model):
    """An interval in which the clock stood still (waiting for the customer)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField(_("paused"))
    ended_at = models.DateTimeField(_("resumed"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["started_at"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_at__isnull=True),
                name="pause_one_open_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.started_at:%Y-%m-%d}"
