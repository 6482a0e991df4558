"""Communication standards: per-channel rules of staff behaviour under document
control (the text and approval live in ``qms.Document`` versions), their
criteria per version, and staff acknowledgements of reading a version."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.models import Channel, Document, DocumentVersion


class Standard(models.Model):
    """A communication standard; its title, owner and versions are those of
    its controlled document."""

    document = models.OneToOneField(
        Document,
        verbose_name=_("controlled document"),
        on_delete=models.PROTECT,
        related_name="standard",
    )
    channels = models.ManyToManyField(
        Channel, verbose_name=_("channels"), related_name="standards"
    )
    purpose = models.TextField(_("purpose"))
    scope = models.TextField(_("scope"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document__identifier"]
        verbose_name = _("communication standard")
        verbose_name_plural = _("communication standards")

    def __str__(self) -> str:
        return self.document.title

    def get_absolute_url(self) -> str:
        return reverse("standards:standard-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def owner(self):
        return self.document.owner


class Criterion(models.Model):
    """A concrete, observable behaviour a version of a standard requires."""

    class Scoring(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no / not applicable")
        SCALE = "scale", _("Scale 1-5")

    class Unit(models.TextChoices):
        RINGS = "rings", _("rings")
        SECONDS = "seconds", _("seconds")
        MINUTES = "minutes", _("minutes")
        WORKING_HOURS = "working_hours", _("working hours")
        WORKING_DAYS = "working_days", _("working days")

    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    behaviour = models.TextField(
        _("observable behaviour"),
        help_text=_("What an evaluator can see or hear the employee do."),
    )
    good_example = models.TextField(_("good example"), blank=True)
    bad_example = models.TextField(_("bad example"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    scoring = models.CharField(
        _("scoring type"),
        max_length=10,
        choices=Scoring.choices,
        default=Scoring.YES_NO,
    )
    is_critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_("Failing a critical criterion fails the whole evaluation."),
    )
    target_value = models.DecimalField(
        _("timeliness target"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(
        _("target unit"), max_length=20, choices=Unit.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.behaviour[:80]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (self.target_value is None) != (not self.target_unit):
            raise ValidationError(
                _("A timeliness target needs both a value and a unit.")
            )


class Acknowledgement(models.Model):
    """An employee confirmed having read a version of a standard."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="standard_acknowledgements",
    )
    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    at = models.DateTimeField(_("read on"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("acknowledgement of reading")
        verbose_name_plural = _("acknowledgements of reading")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version"], name="acknowledgement_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.version}"
