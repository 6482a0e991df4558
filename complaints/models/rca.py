"""Root-cause analysis (5 Whys, Ishikawa, Pareto): the analyses of cases,
their why steps and Ishikawa causes, and the root-cause taxonomies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.concurrency import Versioned, VersionedQuerySet
from qms.workflow import StatusChange

from .cases import Case


class RootCauseCategory(models.Model):
    """Managed taxonomy of root causes (two levels), so closed cases can be
    counted by cause across analyses (Pareto by root cause)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("main category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("root-cause category")
        verbose_name_plural = _("root-cause categories")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="rootcausecategory_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name} / {self.name}"
        return self.name


class IshikawaCategory(models.Model):
    """A bone of the fishbone diagram (6M by default; editable in admin)."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("Ishikawa category")
        verbose_name_plural = _("Ishikawa categories")

    def __str__(self) -> str:
        return self.name


class RootCauseAnalysisQuerySet(VersionedQuerySet):
    def open(self) -> RootCauseAnalysisQuerySet:
        return self.filter(status=RootCauseAnalysis.Status.OPEN)

    def concluded(self) -> RootCauseAnalysisQuerySet:
        return self.filter(status=RootCauseAnalysis.Status.CONCLUDED)


class RootCauseAnalysis(Versioned):
    """One problem (one case or a group treated as one) and why it happened."""

    # Where its workflow is declared (qms.workflow.workflow_for).
    WORKFLOW_MODULE = "complaints.rca.services"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONCLUDED = "concluded", _("Concluded")

    title = models.CharField(_("title"), max_length=200)
    problem_what = models.TextField(
        _("what happened"), help_text=_("The effect, in the customer's terms.")
    )
    problem_where = models.CharField(
        _("where"),
        max_length=300,
        blank=True,
        help_text=_("Service, place, unit or channel."),
    )
    problem_when = models.CharField(
        _("when"),
        max_length=300,
        blank=True,
        help_text=_("Since when, how often, in which period."),
    )
    problem_how_many = models.CharField(
        _("how many"),
        max_length=300,
        blank=True,
        help_text=_("Cases, customers or money affected."),
    )
    cases = models.ManyToManyField(
        Case,
        verbose_name=_("cases"),
        blank=True,
        related_name="root_cause_analyses",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.PROTECT,
        related_name="led_analyses",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team"),
        blank=True,
        related_name="root_cause_analyses",
    )
    uses_five_whys = models.BooleanField(_("5 Whys"), default=False)
    uses_ishikawa = models.BooleanField(_("Ishikawa"), default=False)
    uses_pareto = models.BooleanField(_("Pareto"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    conclusion = models.TextField(_("conclusion"), blank=True)
    verified_root_causes = models.TextField(
        _("verified root causes"),
        blank=True,
        help_text=_("One cause per line, each confirmed by evidence."),
    )
    root_cause_category = models.ForeignKey(
        RootCauseCategory,
        verbose_name=_("root-cause category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="analyses",
    )
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concluded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["row_version", "updated_at"])

    objects = RootCauseAnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("root-cause analysis")
        verbose_name_plural = _("root-cause analyses")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="concluded")
                | (~Q(conclusion="") & ~Q(verified_root_causes="")),
                name="rca_concluded_has_conclusion",
            ),
        ]
        indexes = [
            # Analyses list filtered by status, newest first.
            models.Index(fields=["status", "-created_at"], name="rca_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("complaints:analysis-detail", args=[self.pk])

    @property
    def is_concluded(self) -> bool:
        return self.status == self.Status.CONCLUDED

    @property
    def root_cause_lines(self) -> list[str]:
        return [
            line.strip()
            for line in self.verified_root_causes.splitlines()
            if line.strip()
        ]

    @property
    def effect(self) -> str:
        """Short form of the problem statement (the fishbone's head)."""
        first = self.problem_what.strip().splitlines()[0] if self.problem_what else ""
        return first[:80] or self.title


class AnalysisTransition(StatusChange):
    """Append-only log of an analysis's status changes (concluded, reopened)."""

    analysis = models.ForeignKey(
        RootCauseAnalysis,
        verbose_name=_("analysis"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=RootCauseAnalysis.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=24, choices=RootCauseAnalysis.Status.choices
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("analysis status change")
        verbose_name_plural = _("analysis status changes")

    def __str__(self) -> str:
        return f"{self.analysis_id}: {self.from_status} → {self.to_status}"


class WhyStep(models.Model):
    """One link of a 5 Whys chain (the chain is as long as it needs to be)."""

    analysis = models.ForeignKey(
        RootCauseAnalysis, on_delete=models.CASCADE, related_name="why_steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    question = models.CharField(_("why?"), max_length=500)
    answer = models.TextField(_("because"))
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("What shows this answer is true.")
    )
    is_root_cause = models.BooleanField(_("root cause"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["analysis", "order", "pk"]
        verbose_name = _("why step")
        verbose_name_plural = _("why steps")
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "order"], name="whystep_unique_order"
            ),
            models.UniqueConstraint(
                fields=["analysis"],
                condition=Q(is_root_cause=True),
                name="whystep_one_root_cause",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.question}"


class IshikawaCause(models.Model):
    """A cause (or sub-cause) on a bone of the fishbone, with its status."""

    class Status(models.TextChoices):
        HYPOTHESIS = "hypothesis", _("Hypothesis")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    analysis = models.ForeignKey(
        RootCauseAnalysis, on_delete=models.CASCADE, related_name="causes"
    )
    category = models.ForeignKey(
        IshikawaCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="causes",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("sub-cause of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_causes",
    )
    text = models.CharField(_("cause"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.HYPOTHESIS
    )
    evidence = models.TextField(_("evidence"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category__sort_order", "category__name", "pk"]
        verbose_name = _("Ishikawa cause")
        verbose_name_plural = _("Ishikawa causes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="ishikawacause_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.text
