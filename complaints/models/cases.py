"""Cases and their categories: the register every other part hangs on."""

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
    # monitoring figures right too (complaints.monitoring.summaries).

    def update(self, **kwargs) -> int:
        rows = super().update(**kwargs)
        from complaints.monitoring.summaries import (
            fields_touch_summaries,
            invalidate_all,
        )

        if rows and fields_touch_summaries(kwargs):
            invalidate_all()
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        from complaints.monitoring.summaries import cases_bulk_created

        cases_bulk_created(objs)
        return objs

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        from complaints.monitoring.summaries import (
            fields_touch_summaries,
            invalidate_all,
        )

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
    # Pareto by root cause (complaints.rca.selectors.pareto_breakdown) groups
    # on it; the FK's own index serves that query and the "without one" update.
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
        from complaints.monitoring.summaries import before_save, case_saved

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
        from complaints.monitoring.summaries import remember_loaded

        remember_loaded(case)
        return case

    @property
    def is_feedback(self) -> bool:
        return self.kind in (self.Kind.COMPLIMENT, self.Kind.SUGGESTION)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED
