"""Monthly summaries of the monitoring figures
(:mod:`complaints.monitoring.summaries`)."""

from __future__ import annotations

from django.db import models

from qms.models import Channel, OrgUnit

from .cases import Case, Category


class CaseSummaryMonth(models.Model):
    """Whether a complete month's rows in :class:`CaseMonthSummary` and
    :class:`CaseMonthTally` are up to date: served only when present and not
    ``dirty``; a change to a case of that month sets ``dirty``."""

    month = models.DateField(primary_key=True)
    dirty = models.BooleanField(default=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}{' (stale)' if self.dirty else ''}"


class _MonthDims(models.Model):
    """A local calendar month and the dimensions the figures filter by."""

    month = models.DateField()
    kind = models.CharField(max_length=20, choices=Case.Kind.choices)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, related_name="+"
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class CaseMonthSummary(_MonthDims):
    """The additive facts of :class:`complaints.monitoring.periods.PeriodRow`
    per month and dimension, each in the month of its own moment (see the
    module docstring of :mod:`complaints.monitoring.selectors`): received when
    received, on-time counts when settled, decisions when decided, closures
    when closed."""

    received = models.PositiveIntegerField(default=0)
    disputable = models.PositiveIntegerField(default=0)
    disputed = models.PositiveIntegerField(default=0)
    ack_on_time = models.PositiveIntegerField(default=0)
    ack_total = models.PositiveIntegerField(default=0)
    answer_on_time = models.PositiveIntegerField(default=0)
    answer_total = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    upheld = models.PositiveIntegerField(default=0)
    cost_n = models.PositiveIntegerField(default=0)
    cost_sum = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    cost_sum2 = models.DecimalField(max_digits=36, decimal_places=4, default=0)
    closed = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month"], name="case_month_summary_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind}: {self.received} received"


class CaseMonthTally(_MonthDims):
    """Counts per value per month and dimension: the working days to
    acknowledge and to close (``fact`` "ack_days" / "close_days", in the month
    of the event) and disputes by outcome ("dispute_outcome", in the month
    received)."""

    fact = models.CharField(max_length=20)
    value = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "fact"], name="case_month_tally_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.fact} {self.value}: {self.n}"
