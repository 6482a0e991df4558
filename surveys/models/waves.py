"""A wave (one run of a series) with its plan, the log of its status changes
and its target groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.concurrency import Versioned
from qms.models import Segment
from qms.workflow import StatusChange

from .common import new_token
from .questionnaires import Questionnaire, Series


class Wave(Versioned):
    """One run of a series, with its plan (ISO 10004 §6): approved before
    fieldwork starts."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft plan")
        APPROVED = "approved", _("Plan approved")
        FIELDWORK = "fieldwork", _("In fieldwork")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Sampling(models.TextChoices):
        CENSUS = "census", _("Census (everyone)")
        SIMPLE_RANDOM = "simple_random", _("Simple random sample")
        STRATIFIED = "stratified", _("Stratified, proportional")

    class Mode(models.TextChoices):
        WEB_LINK = "web_link", _("Web link")
        EMAIL = "email", _("E-mail invitation")
        PHONE = "phone", _("Phone interview entered by staff")
        PAPER = "paper", _("Paper entered by staff")

    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.PROTECT, related_name="waves"
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="waves",
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The plan.
    goal = models.TextField(_("goal"), blank=True)
    research_questions = models.TextField(
        _("questions the survey must answer"), blank=True
    )
    sampling = models.CharField(
        _("sampling method"),
        max_length=20,
        choices=Sampling.choices,
        default=Sampling.STRATIFIED,
    )
    confidence = models.DecimalField(
        _("confidence level"), max_digits=4, decimal_places=3, default=0.95
    )
    margin_of_error = models.DecimalField(
        _("margin of error"), max_digits=4, decimal_places=3, default=0.05
    )
    expected_response_rate = models.DecimalField(
        _("expected response rate"), max_digits=4, decimal_places=3, default=0.30
    )
    mode = models.CharField(
        _("data-collection mode"),
        max_length=20,
        choices=Mode.choices,
        default=Mode.EMAIL,
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("No link between an answer and the person is stored."),
    )
    public_link = models.BooleanField(
        _("open public link"),
        default=False,
        help_text=_("A generic link anyone can answer, protected against repeats."),
    )
    public_token = models.CharField(
        _("public link token"), max_length=64, default=new_token, unique=True
    )
    opens_on = models.DateField(_("fieldwork starts"), null=True, blank=True)
    closes_on = models.DateField(_("fieldwork ends"), null=True, blank=True)
    # Days after the invitation on which a reminder goes to non-respondents.
    reminder_days = models.JSONField(_("reminder days"), default=list, blank=True)
    analysis_plan = models.TextField(_("analysis plan"), blank=True)
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    # Responses faster than this are flagged as speeders.
    min_seconds = models.PositiveIntegerField(
        _("minimum plausible completion time (s)"), default=60
    )
    sample_seed = models.PositiveIntegerField(_("random seed of the sample"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["row_version"])

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        permissions = [
            ("approve_wave", _("Can approve a survey plan")),
            ("enter_response", _("Can type in phone and paper answers")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gt=0, confidence__lt=1),
                name="wave_confidence_0_1",
            ),
            models.CheckConstraint(
                condition=Q(margin_of_error__gt=0, margin_of_error__lt=1),
                name="wave_margin_0_1",
            ),
            models.CheckConstraint(
                condition=Q(
                    expected_response_rate__gt=0, expected_response_rate__lte=1
                ),
                name="wave_response_rate_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:wave-detail", args=[self.pk])


class WaveTransition(StatusChange):
    """Append-only log of a wave's status changes."""

    wave = models.ForeignKey(
        Wave,
        verbose_name=_("wave"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=Wave.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=Wave.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("wave status change")
        verbose_name_plural = _("wave status changes")

    def __str__(self) -> str:
        return f"{self.wave_id}: {self.from_status} → {self.to_status}"


class TargetGroup(models.Model):
    """A group (stratum) of the plan: usually a customer segment, with its
    population size and the sample it needs."""

    wave = models.ForeignKey(
        Wave, verbose_name=_("wave"), on_delete=models.CASCADE, related_name="groups"
    )
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    population = models.PositiveIntegerField(_("population size"))
    # Computed from the plan (Cochran with finite-population correction, or
    # proportional allocation) and stored so the plan is a fixed record.
    required_sample = models.PositiveIntegerField(_("required responses"), default=0)
    invitations = models.PositiveIntegerField(_("invitations needed"), default=0)

    class Meta:
        ordering = ["wave", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(fields=["wave", "name"], name="group_name_per_wave")
        ]

    def __str__(self) -> str:
        return self.name
