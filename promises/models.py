"""Customer promises (ISO 10001 codes of conduct): the register, the
indicators that make each promise measurable, fulfilment events, the periodic
review and the complaints tagged "broken promise"."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.concurrency import Versioned, VersionedQuerySet
from qms.models import Channel, Document, Segment, Service
from qms.workflow import StatusChange


class PromiseQuerySet(VersionedQuerySet):
    def published(self) -> PromiseQuerySet:
        return self.filter(status=Promise.Status.PUBLISHED)

    def review_due(self, today) -> PromiseQuerySet:
        """Live promises whose next review date has come."""
        return self.filter(next_review_date__lte=today).exclude(
            status=Promise.Status.RETIRED
        )


class Promise(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    title = models.CharField(_("short name"), max_length=200)
    text_et = models.TextField(_("promise to customers (Estonian)"))
    text_en = models.TextField(_("promise to customers (English)"), blank=True)
    text_ru = models.TextField(_("promise to customers (Russian)"), blank=True)
    remedy_et = models.TextField(_("remedy if broken (Estonian)"), blank=True)
    remedy_en = models.TextField(_("remedy if broken (English)"), blank=True)
    remedy_ru = models.TextField(_("remedy if broken (Russian)"), blank=True)
    internal_description = models.TextField(_("how we keep it (internal)"), blank=True)
    procedures = models.ManyToManyField(
        Document,
        verbose_name=_("linked procedures"),
        blank=True,
        related_name="promises",
    )
    services = models.ManyToManyField(
        Service, verbose_name=_("services"), blank=True, related_name="promises"
    )
    channels = models.ManyToManyField(
        Channel, verbose_name=_("channels"), blank=True, related_name="promises"
    )
    segments = models.ManyToManyField(
        Segment, verbose_name=_("segments"), blank=True, related_name="promises"
    )
    conditions = models.TextField(_("conditions and limits"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_promises",
    )
    capability_rationale = models.TextField(
        _("why we can keep it (people, systems, budget)"), blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    next_review_date = models.DateField(_("next review"), null=True, blank=True)
    review_reminder_sent_on = models.DateField(
        _("review reminder sent"), null=True, blank=True, editable=False
    )
    broken_in_cases = models.ManyToManyField(
        "complaints.Case",
        through="BrokenPromiseTag",
        verbose_name=_("complaints tagged broken promise"),
        blank=True,
        related_name="broken_promises",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["row_version"])

    objects = PromiseQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("customer promise")
        verbose_name_plural = _("customer promises")
        permissions = [
            ("manage_promise", _("Can edit, approve and publish any promise")),
            ("record_any_fulfilment", _("Can record fulfilment of any promise")),
        ]
        indexes = [
            # Register filter by status, charter (published) and reminders.
            models.Index(fields=["status", "title"], name="promise_status_idx"),
            # Review reminders: next_review_date reached.
            models.Index(fields=["next_review_date"], name="promise_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("promises:promise-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"P-{self.pk}"

    def text_for(self, language: str | None = None) -> str:
        """The customer-facing text in ``language`` (the active language by
        default), falling back to Estonian."""
        code = (language or get_language() or "et").split("-")[0]
        return getattr(self, f"text_{code}", "") or self.text_et

    def remedy_for(self, language: str | None = None) -> str:
        code = (language or get_language() or "et").split("-")[0]
        return getattr(self, f"remedy_{code}", "") or self.remedy_et


class PromiseTransition(StatusChange):
    """Append-only log of a promise's status changes."""

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("promise"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("promise status change")
        verbose_name_plural = _("promise status changes")

    def __str__(self) -> str:
        return f"{self.promise_id}: {self.from_status} → {self.to_status}"


class Principle(models.TextChoices):
    """ISO 10001:2018 clause 4, the guiding principles of a code."""

    COMMITMENT = "commitment", _("Commitment")
    CAPACITY = "capacity", _("Capacity")
    TRANSPARENCY = "transparency", _("Transparency")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    RESPONSIVENESS = "responsiveness", _("Responsiveness")
    INTEGRITY = "integrity", _("Information integrity")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality")
    CUSTOMER_FOCUS = "customer_focus", _("Customer focus")
    ACCOUNTABILITY = "accountability", _("Accountability")
    COMPETENCE = "competence", _("Competence")
    TIMELINESS = "timeliness", _("Timeliness")
    IMPROVEMENT = "improvement", _("Continual improvement")


class PrincipleScore(models.Model):
    """One line of the guiding-principles self-assessment of a promise."""

    class Score(models.IntegerChoices):
        NOT_MET = 0, _("0 - not addressed")
        PARTLY = 1, _("1 - partly")
        LARGELY = 2, _("2 - largely")
        FULLY = 3, _("3 - fully")

    MAX = 3

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="principle_scores"
    )
    principle = models.CharField(
        _("principle"), max_length=20, choices=Principle.choices
    )
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now)

    class Meta:
        ordering = ["promise", "principle"]
        verbose_name = _("principle score")
        verbose_name_plural = _("principle scores")
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "principle"], name="principlescore_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__lte=3), name="principlescore_0_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.promise_id} {self.principle}: {self.score}"


class PromiseIndicator(Versioned):
    """How a promise is measured. Every kind reduces to a share of events kept
    out of the events that count (excluded ones left out)."""

    class Kind(models.TextChoices):
        TIME = "time", _("Time between two events within a limit")
        KEPT = "kept", _("Kept or broken per event")
        LEVEL = "level", _("Measured value meets a threshold")
        MEASURE = "measure", _("Derived from a registered measure")

    class TimeUnit(models.TextChoices):
        SECONDS = "seconds", _("seconds")
        MINUTES = "minutes", _("minutes")
        CALENDAR_HOURS = "calendar_hours", _("calendar hours")
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        WORKING_HOURS = "working_hours", _("working hours")
        WORKING_DAYS = "working_days", _("working days")

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("at least the threshold")
        AT_MOST = "at_most", _("at most the threshold")

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start_label = models.CharField(_("clock starts at"), max_length=100, blank=True)
    end_label = models.CharField(_("clock stops at"), max_length=100, blank=True)
    time_limit = models.FloatField(_("time limit"), null=True, blank=True)
    time_unit = models.CharField(
        _("time unit"), max_length=20, choices=TimeUnit.choices, blank=True
    )
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, blank=True
    )
    value_unit = models.CharField(_("unit of the value"), max_length=40, blank=True)
    source_measure = models.CharField(
        _("measure"),
        max_length=100,
        blank=True,
        help_text=_("A share measure of the registry, e.g. from complaints."),
    )
    target_share = models.DecimalField(
        _("target share"),
        max_digits=4,
        decimal_places=3,
        default=0.95,
        help_text=_("Share of events that must be kept, e.g. 0.950."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["promise", "id"]
        verbose_name = _("promise indicator")
        verbose_name_plural = _("promise indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_share__gt=0, target_share__lte=1),
                name="indicator_target_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def target(self) -> float:
        return float(self.target_share)

    @property
    def is_derived(self) -> bool:
        return self.kind == self.Kind.MEASURE

    def limit_text(self) -> str:
        if self.kind == self.Kind.TIME and self.time_limit is not None:
            return f"≤ {self.time_limit:g} {self.get_time_unit_display()}"
        if self.kind == self.Kind.LEVEL and self.threshold is not None:
            sign = "≥" if self.direction == self.Direction.AT_LEAST else "≤"
            return f"{sign} {self.threshold:g} {self.value_unit}".strip()
        return ""


class FulfilmentEvent(models.Model):
    """One occasion the promise applied: kept or broken, or excluded (with a
    reason) so it does not count."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by staff")
        IMPORT = "import", _("CSV import")
        API = "api", _("REST API")

    indicator = models.ForeignKey(
        PromiseIndicator, on_delete=models.PROTECT, related_name="events"
    )
    occurred_at = models.DateTimeField(_("occurred"))
    started_at = models.DateTimeField(_("clock started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("clock stopped"), null=True, blank=True)
    elapsed = models.FloatField(_("elapsed (indicator unit)"), null=True, blank=True)
    value = models.FloatField(_("measured value"), null=True, blank=True)
    kept = models.BooleanField(_("kept"))
    reason = models.CharField(_("why it was broken"), max_length=300, blank=True)
    excluded = models.BooleanField(_("excluded"), default=False)
    exclusion_reason = models.CharField(
        _("reason for exclusion"), max_length=300, blank=True
    )
    reference = models.CharField(_("external reference"), max_length=64, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("fulfilment event")
        verbose_name_plural = _("fulfilment events")
        constraints = [
            # The API and imports may resend an event: one row per reference.
            models.UniqueConstraint(
                fields=["indicator", "reference"],
                condition=~Q(reference=""),
                name="event_unique_reference",
            ),
            models.CheckConstraint(
                condition=Q(excluded=False) | ~Q(exclusion_reason=""),
                name="event_excluded_has_reason",
            ),
        ]
        indexes = [
            # Monitoring: events of an indicator grouped by period.
            models.Index(
                fields=["indicator", "occurred_at"], name="event_indicator_time_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.occurred_at:%Y-%m-%d %H:%M}"


class BrokenPromiseTag(models.Model):
    """A complaint tagged as a promise broken (owned here, not by complaints)."""

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="case_tags"
    )
    case = models.ForeignKey(
        "complaints.Case", on_delete=models.CASCADE, related_name="promise_tags"
    )
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tagged by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    tagged_at = models.DateTimeField(_("tagged"), default=timezone.now)

    class Meta:
        ordering = ["-tagged_at", "-id"]
        verbose_name = _("broken-promise tag")
        verbose_name_plural = _("broken-promise tags")
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "case"], name="brokenpromisetag_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.promise_id} ↔ {self.case_id}"


class PromiseReview(models.Model):
    """The periodic review of a promise (ISO 10001 8.4)."""

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep as it is")
        CHANGE = "change", _("Change")
        WITHDRAW = "withdraw", _("Withdraw")

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="reviews"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    performance_summary = models.TextField(_("performance"))
    complaints_summary = models.TextField(_("complaints"), blank=True)
    context_changes = models.TextField(_("changes in law or context"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decision_notes = models.TextField(_("reasons and changes"), blank=True)
    next_review_date = models.DateField(_("next review"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        verbose_name = _("promise review")
        verbose_name_plural = _("promise reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="promisereview_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.promise_id} {self.period_start}-{self.period_end}"
