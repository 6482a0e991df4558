"""The improvement system every area feeds (ISO 9001 §10.2, §10.3; B.2.6
items 10-13): proposals, improvement plans (CAPA) with their actions, and
effectiveness checks computed from a registered measure.

Origins are generic relations (content type + id) so any area's record can
raise a proposal or a plan without this app importing that area.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.areas import Area
from qms.concurrency import Versioned, VersionedQuerySet
from qms.workflow import StatusChange


def _evidence_path(instance: Action, filename: str) -> str:
    # Kept under the media root's private part, one folder per plan, like the
    # complaints attachments; served only through a view that checks access.
    return (
        f"improvements/plan-{instance.plan_id}/action-{instance.pk or 'new'}/{filename}"
    )


class Proposal(Versioned):
    """An improvement proposal from anyone on staff (B.2.9)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        PLANNED = "planned", _("Turned into a plan")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    area = models.CharField(
        _("area"), max_length=20, choices=Area.choices, default=Area.GENERAL
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="improvement_proposals",
        verbose_name=_("proposer"),
    )
    origin_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("origin type"),
    )
    # Text so that records with any kind of primary key can be origins.
    origin_id = models.CharField(_("origin id"), max_length=64, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    plan = models.ForeignKey(
        "Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("plan"),
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["row_version"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("improvement proposal")
        verbose_name_plural = _("improvement proposals")
        permissions = [("decide_proposal", _("Can decide improvement proposals"))]
        indexes = [
            # Overview "awaiting decision" and the proposal list's status filter.
            models.Index(fields=["status", "-created_at"], name="proposal_status_idx"),
            # "My proposals".
            models.Index(
                fields=["proposer", "-created_at"], name="proposal_proposer_idx"
            ),
            # Origin card: proposals raised from one record.
            models.Index(
                fields=["origin_type", "origin_id"], name="proposal_origin_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(decision_reason=""),
                name="proposal_rejection_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvements:proposal-detail", args=[self.pk])

    @property
    def awaiting_decision(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.UNDER_REVIEW)


class PlanQuerySet(VersionedQuerySet):
    def due_for_check(self, today: datetime.date) -> PlanQuerySet:
        """Implemented plans whose follow-up window has ended and that have no
        effectiveness check yet."""
        return self.filter(
            status__in=[Plan.Status.IMPLEMENTED, Plan.Status.EFFECTIVENESS_CHECK],
            implemented_on__isnull=False,
            follow_up_days__isnull=False,
            follow_up_end__lte=today,
            checks__isnull=True,
        )


class Plan(Versioned):
    """An improvement plan (CAPA, ISO 9001 §10.2) with its effectiveness
    criterion, fixed before implementation."""

    class Type(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CORRECTIVE = "corrective", _("Corrective action")
        PREVENTIVE = "preventive", _("Preventive action")
        SYSTEM = "system", _("System improvement")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        EFFECTIVENESS_CHECK = "effectiveness_check", _("Effectiveness check")
        CLOSED_EFFECTIVE = "closed_effective", _("Closed: effective")
        CLOSED_NOT_EFFECTIVE = "closed_not_effective", _("Closed: not effective")

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    scope = models.TextField(_("scope"), blank=True)
    type = models.CharField(
        _("type"), max_length=20, choices=Type.choices, default=Type.CORRECTIVE
    )
    area = models.CharField(
        _("area"), max_length=20, choices=Area.choices, default=Area.GENERAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_improvement_plans",
        verbose_name=_("owner"),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="improvement_plans",
        verbose_name=_("team"),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.PLANNED
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # Effectiveness criterion (fixed before implementation).
    measure_key = models.CharField(_("indicator"), max_length=100, blank=True)
    measure_filters = models.JSONField(_("indicator filters"), default=dict, blank=True)
    baseline_start = models.DateField(_("baseline from"), null=True, blank=True)
    baseline_end = models.DateField(
        _("baseline until"),
        null=True,
        blank=True,
        help_text=_("Exclusive: the first day after the baseline period."),
    )
    target = models.FloatField(_("target"), null=True, blank=True)
    follow_up_days = models.PositiveIntegerField(
        _("follow-up window (days)"), null=True, blank=True
    )
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    # Denormalised implemented_on + follow_up_days, so "due for check" is a
    # plain indexed filter instead of date arithmetic in SQL.
    follow_up_end = models.DateField(_("follow-up until"), null=True, blank=True)
    reopen_count = models.PositiveIntegerField(_("times reopened"), default=0)
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follow-up of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["row_version"])

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        permissions = [
            ("approve_plan", _("Can approve improvement plans")),
            ("verify_effectiveness", _("Can verify the effectiveness of plans")),
            ("manage_plan", _("Can manage every improvement plan")),
        ]
        indexes = [
            # Plan list filters and the overview's counts by status.
            models.Index(fields=["status", "-created_at"], name="plan_status_idx"),
            models.Index(fields=["owner", "-created_at"], name="plan_owner_idx"),
            models.Index(fields=["type", "-created_at"], name="plan_type_idx"),
            # Overview: plans due for their effectiveness check.
            models.Index(fields=["status", "follow_up_end"], name="plan_due_check_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("owner")),
                name="plan_approver_not_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvements:plan-detail", args=[self.pk])

    @property
    def has_criterion(self) -> bool:
        return bool(
            self.measure_key
            and self.baseline_start
            and self.baseline_end
            and self.follow_up_days
        )

    @property
    def criterion_locked(self) -> bool:
        return self.status != self.Status.PLANNED

    @property
    def is_closed(self) -> bool:
        return self.status in (
            self.Status.CLOSED_EFFECTIVE,
            self.Status.CLOSED_NOT_EFFECTIVE,
        )


class PlanOrigin(models.Model):
    """A record a plan answers: a case, a root-cause analysis, a proposal…"""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="origins", verbose_name=_("plan")
    )
    origin_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("origin type"),
    )
    origin_id = models.CharField(_("origin id"), max_length=64)
    origin = GenericForeignKey("origin_type", "origin_id")

    class Meta:
        ordering = ["id"]
        verbose_name = _("plan origin")
        verbose_name_plural = _("plan origins")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "origin_type", "origin_id"], name="plan_origin_unique"
            )
        ]
        indexes = [
            # "Plans raised from this record" on an origin's page.
            models.Index(fields=["origin_type", "origin_id"], name="planorigin_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.origin_type}:{self.origin_id}"


class ProposalTransition(StatusChange):
    """One status change of a proposal: reviewed, decided, turned into a plan."""

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        related_name="transitions",
        verbose_name=_("proposal"),
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=Proposal.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=24, choices=Proposal.Status.choices
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("proposal status change")
        verbose_name_plural = _("proposal status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class PlanTransition(StatusChange):
    """One status change of a plan: who, when, from, to, why."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        related_name="transitions",
        verbose_name=_("plan"),
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=Plan.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=Plan.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("plan status change")
        verbose_name_plural = _("plan status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ActionQuerySet(VersionedQuerySet):
    def open(self) -> ActionQuerySet:
        return self.filter(status__in=Action.OPEN_STATUSES)

    def overdue(self, today: datetime.date) -> ActionQuerySet:
        return self.open().filter(due_date__lt=today)


class Action(Versioned):
    """One thing to do in a plan, with an owner, a due date and evidence."""

    class Type(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CORRECTIVE = "corrective", _("Corrective")
        PREVENTIVE = "preventive", _("Preventive")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="actions", verbose_name=_("plan")
    )
    description = models.TextField(_("description"))
    type = models.CharField(
        _("type"), max_length=20, choices=Type.choices, default=Type.CORRECTIVE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="improvement_actions",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    evidence = models.TextField(_("evidence of completion"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to=_evidence_path, max_length=300, blank=True
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Reminders go out at most once a day per action.
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["row_version", "last_reminded_on"])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        indexes = [
            # "My actions".
            models.Index(
                fields=["owner", "status", "due_date"], name="action_owner_idx"
            ),
            # Overview "overdue actions" and the reminder run.
            models.Index(fields=["status", "due_date"], name="action_due_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("improvements:action-edit", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date < today


class ActionTransition(StatusChange):
    """One status change of a plan's action: started, done, cancelled,
    reopened."""

    action_item = models.ForeignKey(
        Action,
        on_delete=models.PROTECT,
        related_name="transitions",
        verbose_name=_("action"),
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=Action.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=Action.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("action status change")
        verbose_name_plural = _("action status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class EffectivenessCheck(models.Model):
    """The before/after comparison of a plan's indicator, with every number
    behind its verdict (ISO 9001 §10.2.1 d)."""

    class Verdict(models.TextChoices):
        IMPROVEMENT = "improvement", _("Significant improvement")
        NO_CHANGE = "no_change", _("No significant change")
        DETERIORATION = "deterioration", _("Significant deterioration")
        NOT_TESTABLE = "not_testable", _("Not enough data to test")

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="checks", verbose_name=_("plan")
    )
    measure_key = models.CharField(_("indicator"), max_length=100)
    measure_filters = models.JSONField(_("indicator filters"), default=dict)
    kind = models.CharField(_("kind"), max_length=10)
    higher_is_better = models.BooleanField(_("higher is better"))
    baseline_start = models.DateField(_("baseline from"))
    baseline_end = models.DateField(_("baseline until"))
    follow_up_start = models.DateField(_("follow-up from"))
    follow_up_end = models.DateField(_("follow-up until"))
    # Sufficient statistics of each period (the fields of qms.measures.Point).
    baseline_stats = models.JSONField(_("baseline statistics"))
    follow_up_stats = models.JSONField(_("follow-up statistics"))
    baseline_value = models.FloatField(_("baseline value"), null=True)
    follow_up_value = models.FloatField(_("follow-up value"), null=True)
    effect_name = models.CharField(_("effect"), max_length=40)
    effect = models.FloatField(_("effect estimate"), null=True)
    effect_low = models.FloatField(_("effect: lower confidence limit"), null=True)
    effect_high = models.FloatField(_("effect: upper confidence limit"), null=True)
    p_value = models.FloatField(_("p-value"), null=True)
    method = models.CharField(_("method"), max_length=60)
    warning = models.CharField(_("warning"), max_length=60, blank=True)
    target = models.FloatField(_("target"), null=True)
    target_met = models.BooleanField(_("target met"), null=True)
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("effectiveness check")
        verbose_name_plural = _("effectiveness checks")
        indexes = [
            # Overview: verdict history.
            models.Index(fields=["-checked_at"], name="check_checked_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_verdict_display()}"

    @property
    def effective(self) -> bool:
        """The plan worked: a significant improvement that also reaches the
        target when one was set."""
        return self.verdict == self.Verdict.IMPROVEMENT and self.target_met is not False
