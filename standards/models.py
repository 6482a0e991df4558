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

from qms.concurrency import Versioned, VersionedQuerySet
from qms.models import Channel, Document, DocumentVersion
from qms.workflow import StatusChange


class Standard(Versioned):
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
    history = HistoricalRecords(excluded_fields=["row_version"])

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


class CriterionQuerySet(VersionedQuerySet):
    def linkable(self) -> CriterionQuerySet:
        """Criteria a customer need can be linked to: those of released
        versions (a draft's criteria may still vanish)."""
        return (
            self.filter(
                version__status__in=[
                    DocumentVersion.Status.APPROVED,
                    DocumentVersion.Status.SUPERSEDED,
                ],
                version__document__standard__isnull=False,
            )
            .select_related("version__document")
            .order_by("version__document__identifier", "-version__number", "order")
        )


class Criterion(Versioned):
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
    history = HistoricalRecords(excluded_fields=["row_version"])

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.behaviour[:80]

    def get_absolute_url(self) -> str:
        """Runs queries unless ``version__document__standard`` is loaded."""
        return reverse(
            "standards:criterion-detail",
            args=[self.version.document.standard.pk, self.version.number, self.pk],
        )

    @property
    def link_label(self) -> str:
        """ "STD-PHONE v2: Answers within three rings." for link pickers;
        needs ``version__document`` loaded (``Criterion.objects.linkable()``)."""
        document = self.version.document
        return f"{document.identifier} v{self.version.number}: {self.behaviour[:70]}"

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


# ---------------------------------------------------------------------------
# Evaluations of real interactions (monitoring)
# ---------------------------------------------------------------------------

# An evaluation is "compliant" when it has no critical fail and its weighted
# score reaches this many per cent; the compliance share on the results page
# and the ``standards.compliance`` measure count compliant evaluations.
PASS_SCORE = 80


class InteractionType(models.TextChoices):
    CALL = "call", _("Call listening")
    WRITTEN = "written", _("E-mail or letter review")
    CHAT = "chat", _("Chat or chatbot transcript review")
    MYSTERY = "mystery", _("Mystery shopping (visit or call)")
    TICKET = "ticket", _("Ticket review")


class CalibrationSession(models.Model):
    """Several evaluators score the same interaction to check that they apply
    the criteria alike."""

    standard = models.ForeignKey(
        Standard,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="calibrations",
    )
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("interaction reference"), max_length=100)
    interaction_date = models.DateField(_("interaction date"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-interaction_date", "-pk"]
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("standards:calibration-detail", args=[self.pk])


class EvaluationQuerySet(models.QuerySet):
    def regular(self) -> EvaluationQuerySet:
        """Evaluations of staff work; calibration scorings are exercises and
        stay out of the compliance figures."""
        return self.filter(calibration__isnull=True)


class Evaluation(models.Model):
    """An evaluator's scorecard of one interaction against the version of the
    standard in force on the interaction's date."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed by the employee")
        DISPUTED = "disputed", _("Disputed by the employee")

    standard = models.ForeignKey(
        Standard,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    interaction_type = models.CharField(
        _("interaction type"), max_length=10, choices=InteractionType.choices
    )
    reference = models.CharField(_("interaction reference"), max_length=100)
    interaction_date = models.DateField(_("interaction date"))
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated employee"),
        on_delete=models.PROTECT,
        related_name="evaluations_received",
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="evaluations_made",
    )
    org_unit = models.ForeignKey(
        "qms.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    calibration = models.ForeignKey(
        CalibrationSession,
        verbose_name=_("calibration session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    comments = models.TextField(_("comments"), blank=True)
    # Computed by ``services.compute_score`` and stored, so results aggregate
    # in SQL. ``score`` is None when every criterion was not applicable.
    score = models.DecimalField(
        _("score %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    critical_fail = models.BooleanField(_("critical fail"), default=False)
    compliant = models.BooleanField(_("compliant"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    employee_comment = models.TextField(_("employee's comment"), blank=True)
    responded_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    created_at = models.DateTimeField(_("evaluated on"), default=timezone.now)
    history = HistoricalRecords()

    objects = EvaluationQuerySet.as_manager()

    # Fields copied onto each ``CriterionScore`` for the results' aggregates.
    SCORE_COPIED_FIELDS = (
        "interaction_date",
        "channel_id",
        "employee_id",
        "org_unit_id",
        "calibration_id",
    )

    class Meta:
        ordering = ["-interaction_date", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        permissions = [
            ("view_all_evaluations", _("Can see every evaluation")),
            ("view_results", _("Can see compliance results")),
            ("respond_evaluation", _("Can confirm or dispute own evaluations")),
        ]
        indexes = [
            # Results by month and the list's month filter.
            models.Index(fields=["interaction_date"], name="evaluation_date_idx"),
            # "My evaluations" and the per-employee figures.
            models.Index(
                fields=["employee", "interaction_date"], name="evaluation_emp_idx"
            ),
            # The results page's and the measures' compliance aggregates: a
            # date range of regular evaluations read from the index alone
            # (PostgreSQL's covering index), without visiting the table.
            models.Index(
                fields=["interaction_date"],
                include=[
                    "id",
                    "channel",
                    "org_unit",
                    "employee",
                    "standard",
                    "score",
                    "critical_fail",
                    "compliant",
                ],
                condition=models.Q(calibration__isnull=True),
                name="evaluation_results_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(employee=models.F("evaluator")),
                name="evaluation_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.interaction_date})"

    def save(self, *args, **kwargs) -> None:
        """Save, and when a field the scores copy may have changed (a full
        save or one naming such a field), copy it onto the scores: one more
        query. ``QuerySet.update`` of those fields on evaluations would bypass
        this, so nothing does it."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        copied = {name.removesuffix("_id") for name in self.SCORE_COPIED_FIELDS}
        if not adding and (
            update_fields is None
            or copied.intersection(f.removesuffix("_id") for f in update_fields)
        ):
            CriterionScore.objects.filter(evaluation=self).update(**self.score_copies())

    def get_absolute_url(self) -> str:
        return reverse("standards:evaluation-detail", args=[self.pk])

    def score_copies(self) -> dict:
        """The values of ``SCORE_COPIED_FIELDS`` for this evaluation's scores."""
        return {name: getattr(self, name) for name in self.SCORE_COPIED_FIELDS}


class CriterionScore(models.Model):
    """The answer for one criterion on one evaluation."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        NA = "na", _("Not applicable")
        S1 = "1", "1"
        S2 = "2", "2"
        S3 = "3", "3"
        S4 = "4", "4"
        S5 = "5", "5"

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    answer = models.CharField(_("answer"), max_length=3, choices=Answer.choices)
    # Credit in [0, 1] (yes 1, no 0, scale (s-1)/4); None when not applicable.
    credit = models.FloatField(_("credit"), null=True, blank=True)
    # No, or a scale answer of 2 or less; None when not applicable.
    failed = models.BooleanField(_("failed"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Copies of the evaluation's fields the results filter and group by
    # (``Evaluation.SCORE_COPIED_FIELDS``), so the per-criterion figures read
    # the period's scores from one index without joining every evaluation.
    # ``Evaluation.save`` and the bulk writers keep them in step.
    interaction_date = models.DateField(_("interaction date"), editable=False)
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        editable=False,
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated employee"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        editable=False,
    )
    org_unit = models.ForeignKey(
        "qms.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        editable=False,
    )
    calibration = models.ForeignKey(
        CalibrationSession,
        verbose_name=_("calibration session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        editable=False,
    )

    class Meta:
        ordering = ["criterion__order", "criterion__pk"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="score_once_per_criterion"
            )
        ]
        indexes = [
            # The results page's and the report's per-criterion figures and
            # training needs: a date range of regular, applicable checks read
            # from the index alone (PostgreSQL's covering index).
            models.Index(
                fields=["interaction_date"],
                include=[
                    "id",
                    "criterion",
                    "failed",
                    "employee",
                    "channel",
                    "org_unit",
                ],
                condition=models.Q(calibration__isnull=True, failed__isnull=False),
                name="score_results_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_answer_display()}"


# ---------------------------------------------------------------------------
# Sampling plan
# ---------------------------------------------------------------------------


class SamplingPlan(models.Model):
    """How many interactions per employee and month are evaluated on a
    channel (optionally only in one unit)."""

    name = models.CharField(_("name"), max_length=200)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey(
        "qms.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every unit."),
    )
    per_employee_month = models.PositiveSmallIntegerField(
        _("evaluations per employee and month"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sampling plan")
        verbose_name_plural = _("sampling plans")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("standards:plan-detail", args=[self.pk])


class Interaction(models.Model):
    """An interaction imported for sampling; ``picked`` ones are to be
    evaluated."""

    plan = models.ForeignKey(
        SamplingPlan,
        verbose_name=_("sampling plan"),
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    reference = models.CharField(_("interaction reference"), max_length=100)
    date = models.DateField(_("date"))
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("month"))
    picked = models.BooleanField(_("picked for evaluation"), default=False)

    class Meta:
        ordering = ["date", "reference"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"], name="interaction_once_per_plan"
            )
        ]
        indexes = [
            # The plan page's month.
            models.Index(fields=["plan", "month"], name="interaction_plan_month_idx")
        ]

    def __str__(self) -> str:
        return self.reference


# ---------------------------------------------------------------------------
# Timeliness figures
# ---------------------------------------------------------------------------


class TimelinessFigure(models.Model):
    """An operational figure of one day and channel: how many contacts were
    measured and how many of them were within the standard's target."""

    class Metric(models.TextChoices):
        ANSWER_SECONDS = "answer_seconds", _("Phone answer time (seconds)")
        ANSWER_RINGS = "answer_rings", _("Phone answer (rings)")
        RESPONSE_HOURS = "response_hours", _("Response time (working hours)")
        RESPONSE_DAYS = "response_days", _("Response time (working days)")
        WAIT_MINUTES = "wait_minutes", _("Waiting time (minutes)")

    # The unit of a timeliness criterion a metric is measured against.
    UNIT_OF_METRIC = {
        "answer_seconds": "seconds",
        "answer_rings": "rings",
        "response_hours": "working_hours",
        "response_days": "working_days",
        "wait_minutes": "minutes",
    }

    date = models.DateField(_("date"))
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    count = models.PositiveIntegerField(_("contacts measured"))
    within_target = models.PositiveIntegerField(_("within target"))
    mean_value = models.FloatField(_("mean value"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["-date", "channel"]
        verbose_name = _("timeliness figure")
        verbose_name_plural = _("timeliness figures")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "channel", "metric"], name="timeliness_once_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(within_target__lte=models.F("count")),
                name="timeliness_within_le_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.channel} {self.get_metric_display()}"


class EvaluationTransition(StatusChange):
    """Append-only log of an evaluation's status: submitted, then confirmed
    or disputed by the employee."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=Evaluation.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=24, choices=Evaluation.Status.choices
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("evaluation status change")
        verbose_name_plural = _("evaluation status changes")

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.from_status} → {self.to_status}"
