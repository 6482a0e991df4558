"""Complaints, claims, disputes and feedback handled by one ISO 10002 workflow."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.concurrency import Versioned, VersionedQuerySet
from qms.models import Channel, Customer, Language, OrgUnit, Service
from qms.workflow import StatusChange


class Category(models.Model):
    """Two-level taxonomy of what cases are about (managed in admin)."""

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

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="category_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name} / {self.name}"
        return self.name


class CaseQuerySet(VersionedQuerySet):
    # Writes that go around Case.save keep the monthly summaries of the
    # monitoring figures right too (complaints.summaries).

    def update(self, **kwargs) -> int:
        rows = super().update(**kwargs)
        from .summaries import fields_touch_summaries, invalidate_all

        if rows and fields_touch_summaries(kwargs):
            invalidate_all()
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        from .summaries import cases_bulk_created

        cases_bulk_created(objs)
        return objs

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        from .summaries import fields_touch_summaries, invalidate_all

        if rows and fields_touch_summaries(fields):
            invalidate_all()
        return rows

    bulk_update.alters_data = True

    def open(self) -> CaseQuerySet:
        return self.exclude(status=Case.Status.CLOSED)

    def awaiting_answer(self) -> CaseQuerySet:
        """Cases whose answer the customer is still waiting for (the response
        deadline runs; once the decision is communicated it has been met)."""
        return self.filter(status__in=Case.AWAITING_ANSWER, paused_since__isnull=True)

    def overdue(self, now: datetime.datetime) -> CaseQuerySet:
        """Awaiting an answer, not paused, and past the response deadline."""
        return self.awaiting_answer().filter(response_due_at__lt=now)

    def due_soon(self, now: datetime.datetime, within: datetime.timedelta):
        return self.awaiting_answer().filter(
            response_due_at__gte=now, response_due_at__lt=now + within
        )


class Case(Versioned):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        CLAIM = "claim", _("Claim")
        DISPUTE = "dispute", _("Dispute")
        COMPLIMENT = "compliment", _("Compliment")
        SUGGESTION = "suggestion", _("Suggestion")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        INVESTIGATING = "investigating", _("Investigating")
        DECIDED = "decided", _("Decision made")
        COMMUNICATED = "communicated", _("Decision communicated")
        REVIEW = "review", _("Internal review")
        CLOSED = "closed", _("Closed")

    # The response deadline runs in these statuses (internal review owes the
    # customer a new answer).
    AWAITING_ANSWER = (
        Status.RECEIVED,
        Status.ACKNOWLEDGED,
        Status.INVESTIGATING,
        Status.DECIDED,
        Status.REVIEW,
    )

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld")
        PARTLY = "partly", _("Partly upheld")
        NOT_UPHELD = "not_upheld", _("Not upheld")

    class Reaction(models.TextChoices):
        ACCEPTS = "accepts", _("Accepts")
        REJECTS = "rejects", _("Rejects")
        NO_REPLY = "no_reply", _("No reply")

    class ClosureReason(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        NOT_A_COMPLAINT = "not_a_complaint", _("Not a complaint")
        DUPLICATE = "duplicate", _("Duplicate")
        ESCALATED = "escalated", _("Taken to an external body")
        FEEDBACK = "feedback", _("Feedback recorded")

    class RemedyType(models.TextChoices):
        REPAIR = "repair", _("Repair")
        REPLACEMENT = "replacement", _("Replacement")
        PRICE_REDUCTION = "price_reduction", _("Price reduction")
        REFUND = "refund", _("Refund")
        COMPENSATION = "compensation", _("Compensation")

    class Body(models.TextChoices):
        CONSUMER_COMMITTEE = "consumer_committee", _("Consumer Disputes Committee")
        MEDIATOR = "mediator", _("Mediator")
        COURT = "court", _("Court")
        OTHER = "other", _("Other body")

    class Method(models.TextChoices):
        MEDIATION = "mediation", _("Mediation")
        RECOMMENDATION = "recommendation", _("Recommendation")
        BINDING = "binding", _("Binding decision")

    class DisputeOutcome(models.TextChoices):
        SETTLED = "settled", _("Settled")
        FOR_CUSTOMER = "for_customer", _("In the customer's favour")
        PARTLY_FOR_CUSTOMER = "partly", _("Partly in the customer's favour")
        FOR_US = "for_us", _("In our favour")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Identity and intake
    reference = models.CharField(
        _("reference"), max_length=20, unique=True, editable=False
    )
    public_token = models.CharField(
        max_length=43, editable=False, default=secrets.token_urlsafe
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPLAINT
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("Empty for an anonymous case."),
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("reply e-mail"), blank=True)
    contact_phone = models.CharField(_("reply phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ESTONIAN
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service or product"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    remedy_sought = models.TextField(_("what the customer asks for"), blank=True)

    # Initial assessment
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    safety_related = models.BooleanField(_("risk to health or safety"), default=False)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_cases",
    )
    subject_employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee the case is about"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_about",
        help_text=_("This person may neither handle nor decide the case."),
    )
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only the handler and quality managers see a confidential case."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("related cases"), blank=True, symmetrical=True
    )

    # Claim (reklamatsioon)
    remedy_type = models.CharField(
        _("remedy requested"), max_length=20, choices=RemedyType.choices, blank=True
    )
    claimed_amount = models.DecimalField(
        _("amount claimed (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    guarantee_reference = models.CharField(
        _("guarantee or invoice reference"), max_length=100, blank=True
    )

    # Dispute (ISO 10003)
    origin = models.ForeignKey(
        "self",
        verbose_name=_("grew from case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
    )
    body = models.CharField(
        _("external body"), max_length=20, choices=Body.choices, blank=True
    )
    body_name = models.CharField(_("name of the body"), max_length=200, blank=True)
    body_reference = models.CharField(_("body's reference"), max_length=100, blank=True)
    notice_date = models.DateField(_("notice received"), null=True, blank=True)
    method = models.CharField(
        _("resolution method"), max_length=20, choices=Method.choices, blank=True
    )
    dispute_outcome = models.CharField(
        _("dispute outcome"), max_length=20, choices=DisputeOutcome.choices, blank=True
    )
    outcome_implemented_on = models.DateField(
        _("outcome carried out on"), null=True, blank=True
    )
    outcome_proof = models.TextField(_("proof the outcome was carried out"), blank=True)

    # Deadlines (the clock stops while paused)
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"), null=True)
    response_due_at = models.DateTimeField(_("respond by"), null=True)
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)

    # Milestones
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    communicated_at = models.DateTimeField(
        _("decision communicated"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    # Decision
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True
    )
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    remedy_given = models.TextField(_("remedy given"), blank=True)
    remedy_cost = models.DecimalField(
        _("cost of the remedy (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_cases",
    )
    customer_reaction = models.CharField(
        _("customer's reaction"), max_length=10, choices=Reaction.choices, blank=True
    )
    # Pareto by root cause (complaints.rca.pareto_by_root_cause) groups on it;
    # the FK's own index serves that query and the "without one" update.
    root_cause_category = models.ForeignKey(
        "RootCauseCategory",
        verbose_name=_("root-cause category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_cases",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The public form's one-time token: a second submit of the same form (a
    # double click, a retried request) finds this case instead of a new one.
    submission_token = models.UUIDField(
        _("submission token"), null=True, blank=True, unique=True, editable=False
    )
    # Set when the personal data was anonymised (erasure request or retention
    # period, qms.personal_data); the case and its figures stay.
    anonymised_at = models.DateTimeField(
        _("personal data anonymised"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(
        excluded_fields=[
            "public_token",
            "updated_at",
            "submission_token",
            "anonymised_at",
            "row_version",
        ]
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("handle_case", _("Can handle cases (assess, decide, communicate)")),
            ("view_all_cases", _("Can see the cases of every unit")),
            ("view_confidential_case", _("Can see confidential cases")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handler__isnull=True)
                | Q(subject_employee__isnull=True)
                | ~Q(handler=models.F("subject_employee")),
                name="case_handler_not_subject",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="not_upheld") | ~Q(decision_reasons=""),
                name="case_rejection_has_reasons",
            ),
        ]
        indexes = [
            # Work queue default: newest first, and every filter below with it.
            models.Index(fields=["-received_at", "-id"], name="case_received_idx"),
            models.Index(fields=["status", "-received_at"], name="case_status_idx"),
            models.Index(fields=["kind", "-received_at"], name="case_kind_idx"),
            models.Index(fields=["channel", "-received_at"], name="case_channel_idx"),
            models.Index(fields=["category", "-received_at"], name="case_category_idx"),
            models.Index(fields=["org_unit", "-received_at"], name="case_unit_idx"),
            models.Index(fields=["handler", "-received_at"], name="case_handler_idx"),
            # Overdue / due-soon filters and the daily reminder command.
            models.Index(fields=["status", "response_due_at"], name="case_due_idx"),
            # Work queue sorted by deadline or by priority.
            models.Index(fields=["response_due_at", "id"], name="case_due_sort_idx"),
            models.Index(fields=["priority", "-received_at"], name="case_priority_idx"),
            # "My cases" and reminders: a handler's open cases by deadline.
            models.Index(
                fields=["handler", "status", "response_due_at"],
                name="case_handler_due_idx",
            ),
            # Recurring problems (cases per category and day): an index-only
            # scan of the period, with the monitoring filters' columns.
            models.Index(
                fields=["received_at"],
                include=["kind", "category", "channel", "org_unit"],
                condition=Q(category__isnull=False),
                name="case_recurring_idx",
            ),
            # Monitoring figures of the current month (and the refresh of a
            # stale summarised month) read cases by the moment of each fact.
            *(
                models.Index(
                    fields=[moment],
                    condition=Q(**{f"{moment}__isnull": False}),
                    name=f"case_{moment.removesuffix('_at')}_idx",
                )
                for moment in (
                    "acknowledged_at",
                    "acknowledge_due_at",
                    "communicated_at",
                    "decided_at",
                    "closed_at",
                )
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        """Save, and mark the complete months whose summarised figures this
        save changes as stale (none, and no query, for a current-month case)."""
        from .summaries import before_save, case_saved

        before_save(self)
        super().save(*args, **kwargs)

        case_saved(self)

    def get_absolute_url(self) -> str:
        return reverse("complaints:case-detail", args=[self.reference])

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember the loaded facts the monthly summaries depend on, so a save
        knows which summarised months it changes without another query."""
        case = super().from_db(db, field_names, values)
        from .summaries import remember_loaded

        remember_loaded(case)
        return case

    @property
    def is_feedback(self) -> bool:
        return self.kind in (self.Kind.COMPLIMENT, self.Kind.SUGGESTION)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


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


class Message(models.Model):
    """Everything said to or by the customer, and internal notes kept apart."""

    class Direction(models.TextChoices):
        INCOMING = "in", _("From the customer")
        OUTGOING = "out", _("To the customer")
        NOTE = "note", _("Internal note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(
        _("direction"), max_length=5, choices=Direction.choices
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_address = models.CharField(_("sent to"), max_length=300, blank=True)
    from_address = models.CharField(_("from"), max_length=300, blank=True)
    template = models.CharField(_("template"), max_length=40, blank=True)
    # Message-ID of an e-mail, so the same message is never imported twice.
    external_id = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="message_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_direction_display()} {self.at:%Y-%m-%d}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Random directory: names never collide and cannot be guessed.
    return f"cases/{instance.case.received_at:%Y}/{secrets.token_hex(16)}/{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("complaints:attachment", args=[self.case.reference, self.pk])


# --------------------------------------------------------------------------
# Root-cause analysis (5 Whys, Ishikawa, Pareto)
# --------------------------------------------------------------------------


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
    WORKFLOW_MODULE = "complaints.rca"

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


# --------------------------------------------------------------------------
# Monthly summaries of the monitoring figures (complaints.summaries)
# --------------------------------------------------------------------------


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
    """The additive facts of :class:`complaints.monitoring.PeriodRow` per month
    and dimension, each in the month of its own moment (see the module
    docstring of :mod:`complaints.monitoring`): received when received, on-time
    counts when settled, decisions when decided, closures when closed."""

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
