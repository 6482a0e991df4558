"""Customer needs and requirements (ISO 9001 8.2, ISO 10004): the registry,
the "can we meet it" review, the decision and the traceability links."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.concurrency import Versioned, VersionedQuerySet
from qms.models import Segment, Service
from qms.workflow import StatusChange


class NeedQuerySet(VersionedQuerySet):
    def overdue_for_review(self, today: datetime.date) -> NeedQuerySet:
        return self.filter(next_review_date__lt=today).exclude(
            status__in=Need.CLOSED_STATUSES
        )

    def accepted(self) -> NeedQuerySet:
        return self.filter(status__in=[Need.Status.ACCEPTED, Need.Status.ADDRESSED])

    def unanswered(self) -> NeedQuerySet:
        return self.accepted().exclude(links__kind=NeedLink.Kind.ANSWERS)

    def unmeasured(self) -> NeedQuerySet:
        return self.accepted().exclude(links__kind=NeedLink.Kind.MEASURES)


class Need(Versioned):
    class RequirementClass(models.TextChoices):
        STATED = "stated", _("Stated by the customer")
        IMPLIED = "implied", _("Not stated but necessary")
        STATUTORY = "statutory", _("Statutory or regulatory")
        ORGANISATION = "organisation", _("Set by the organisation")

    class Expectation(models.TextChoices):
        EXPLICIT = "explicit", _("Explicit")
        IMPLICIT = "implicit", _("Implicit")
        LATENT = "latent", _("Latent")

    class Kano(models.TextChoices):
        MUST_BE = "must_be", _("Must-be")
        PERFORMANCE = "performance", _("Performance")
        ATTRACTIVE = "attractive", _("Attractive")
        INDIFFERENT = "indifferent", _("Indifferent")
        REVERSE = "reverse", _("Reverse")

    class Source(models.TextChoices):
        SURVEY = "survey", _("Survey")
        COMPLAINT = "complaint", _("Complaint")
        INTERVIEW = "interview", _("Interview")
        FOCUS_GROUP = "focus_group", _("Focus group")
        CONTRACT = "contract", _("Contract")
        LEGISLATION = "legislation", _("Legislation")
        STAFF = "staff", _("Staff observation")
        MARKET = "market", _("Market research")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        VALIDATED = "validated", _("Validated")
        REVIEWED = "reviewed", _("Reviewed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")
        ADDRESSED = "addressed", _("Addressed")
        RETIRED = "retired", _("Retired")

    CLOSED_STATUSES = (Status.REJECTED, Status.RETIRED)
    DECIDED_STATUSES = (Status.ACCEPTED, Status.REJECTED, Status.DEFERRED)

    statement = models.TextField(_("statement"))
    segments = models.ManyToManyField(
        Segment, verbose_name=_("segments"), blank=True, related_name="needs"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service or product"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
    )
    requirement_class = models.CharField(
        _("requirement class"),
        max_length=20,
        choices=RequirementClass.choices,
        default=RequirementClass.STATED,
    )
    expectation = models.CharField(
        _("expectation type"),
        max_length=20,
        choices=Expectation.choices,
        default=Expectation.EXPLICIT,
    )
    kano = models.CharField(
        _("Kano class"), max_length=20, choices=Kano.choices, blank=True
    )
    importance = models.PositiveSmallIntegerField(_("importance (1-5)"), default=3)
    performance = models.PositiveSmallIntegerField(
        _("current performance (1-5)"), default=3
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source record type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_id = models.CharField(_("source record"), max_length=64, blank=True)
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_needs",
    )
    next_review_date = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED
    )
    conflicts_with = models.ManyToManyField(
        "self", verbose_name=_("conflicts with"), blank=True, symmetrical=True
    )
    conflict_resolved = models.BooleanField(_("conflict resolved"), default=False)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Status.choices, blank=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    links_need_review = models.BooleanField(
        _("linked records need review"),
        default=False,
        help_text=_("Set when the statement changes; cleared once reviewed."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[segments], excluded_fields=["row_version"])

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-identified_on", "-id"]
        verbose_name = _("customer need")
        verbose_name_plural = _("customer needs")
        permissions = [("manage_need", _("Can review and decide any need"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=5),
                name="need_importance_1_5",
            ),
            models.CheckConstraint(
                condition=Q(performance__gte=1, performance__lte=5),
                name="need_performance_1_5",
            ),
        ]
        indexes = [
            # Registry list: default ordering.
            models.Index(fields=["-identified_on", "-id"], name="need_list_idx"),
            # Registry filter "overdue for review" and the monitoring share.
            models.Index(fields=["status", "next_review_date"], name="need_review_idx"),
        ]

    def __str__(self) -> str:
        return f"N-{self.pk}: {self.statement[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("needs:need-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"N-{self.pk}"

    @property
    def high_gap(self) -> bool:
        """High importance, low performance: the grid marks these."""
        return self.importance > 3 and self.performance < 3


class NeedTransition(StatusChange):
    """Append-only log of a need's status changes."""

    need = models.ForeignKey(
        Need,
        verbose_name=_("need"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("need status change")
        verbose_name_plural = _("need status changes")

    def __str__(self) -> str:
        return f"{self.need_id}: {self.from_status} → {self.to_status}"


class NeedReview(models.Model):
    """The "can we meet it" review (ISO 9001 8.2.3) before committing."""

    class Result(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="reviews")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)
    result = models.CharField(
        _("can we meet it"), max_length=10, choices=Result.choices
    )
    conditions = models.TextField(_("conditions"), blank=True)
    rationale = models.TextField(_("rationale"))

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        verbose_name = _("need review")
        verbose_name_plural = _("need reviews")

    def __str__(self) -> str:
        return f"{self.need_id}: {self.get_result_display()}"


class NeedLink(models.Model):
    """What answers or measures a need: a service, an improvement plan, and
    later promises, standard criteria and survey questions."""

    class Kind(models.TextChoices):
        ANSWERS = "answers", _("Answers the need")
        MEASURES = "measures", _("Measures the need")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT
    )
    target_id = models.CharField(_("record"), max_length=64)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("need link")
        verbose_name_plural = _("need links")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "kind", "target_type", "target_id"],
                name="needlink_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target_label}"

    @property
    def target(self):
        """The linked record (runs a query)."""
        model = self.target_type.model_class()
        return model._default_manager.filter(pk=self.target_id).first()

    @property
    def target_label(self) -> str:
        target = self.target
        return str(target) if target is not None else f"#{self.target_id}"
