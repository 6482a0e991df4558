"""Shared core records: organisation, customers, channels, services, calendar and
controlled documents (ISO 9001 7.5)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.areas import Area
from qms.concurrency import Versioned, VersionedQuerySet
from qms.workflow import StatusChange


class Language(models.TextChoices):
    ESTONIAN = "et", "Eesti"
    ENGLISH = "en", "English"
    RUSSIAN = "ru", "Русский"


class OrgUnit(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_units",
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="orgunit_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def descendant_ids(self) -> set[int]:
        """This unit's id and all units below it. Runs one query."""
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in OrgUnit.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, stack = set(), [self.pk]
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(children.get(pk, []))
        return found


class Membership(models.Model):
    """The unit a staff member works in (scope of 'their unit's cases')."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.unit}"


class Segment(models.Model):
    """A customer target group that surveys, needs and promises refer to."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer segment")
        verbose_name_plural = _("customer segments")

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    """A way customers reach the organisation (seeded, editable in admin)."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Paper letter")
        CHATBOT = "chatbot", _("Chatbot")
        CHAT = "chat", _("Live chat")
        IN_PERSON = "in_person", _("In person")
        WEB_FORM = "web_form", _("Web form")
        TICKET_SYSTEM = "ticket_system", _("Ticket system")
        SOCIAL_MEDIA = "social_media", _("Social media")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_written = models.BooleanField(
        _("written channel"),
        default=False,
        help_text=_("Written channels leave a text record (e-mail, letter, forms)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service or product the organisation provides."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service or product")
        verbose_name_plural = _("services and products")

    def __str__(self) -> str:
        return self.name


class CustomerQuerySet(VersionedQuerySet):
    def search(self, text: str) -> CustomerQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(reference__iexact=text)
            | Q(email__icontains=text)
            | Q(phone__icontains=text)
            | Q(registry_code__iexact=text)
        )


class Customer(Versioned):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    reference = models.CharField(
        _("customer number"), max_length=20, unique=True, editable=False
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON
    )
    name = models.CharField(_("name"), max_length=200)
    registry_code = models.CharField(
        _("personal or registry code"), max_length=40, blank=True
    )
    contact_person = models.CharField(
        _("contact person"),
        max_length=200,
        blank=True,
        help_text=_("For organisations: who we talk to."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=Language.choices,
        default=Language.ESTONIAN,
    )
    segments = models.ManyToManyField(
        Segment, verbose_name=_("segments"), blank=True, related_name="customers"
    )
    consent_surveys = models.BooleanField(_("may be invited to surveys"), default=False)
    consent_email = models.BooleanField(_("may be contacted by e-mail"), default=True)
    consent_phone = models.BooleanField(_("may be contacted by phone"), default=True)
    consent_updated_at = models.DateTimeField(
        _("consent last changed"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    erased_at = models.DateTimeField(
        _("personal data erased"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(m2m_fields=[segments], excluded_fields=["row_version"])

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            # Customer list: default ordering and name search prefix.
            models.Index(fields=["name", "id"], name="customer_name_idx"),
            # Customer search by e-mail (intake forms look customers up by it).
            models.Index(fields=["email"], name="customer_email_idx"),
            # Customer search by personal/registry code.
            models.Index(fields=["registry_code"], name="customer_regcode_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    def get_absolute_url(self) -> str:
        return reverse("qms:customer-detail", args=[self.pk])


class ClosureDay(models.Model):
    """A day the organisation is closed besides weekends and public holidays."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}"


class Document(Versioned):
    """A controlled document (ISO 9001 7.5.2): identity and metadata; its text
    lives in versions."""

    class Kind(models.TextChoices):
        PROCESS = "process", _("Process description")
        POLICY = "policy", _("Policy")
        PROCEDURE = "procedure", _("Procedure")
        GUIDELINE = "guideline", _("Guideline")
        FORM = "form", _("Form or template")
        OTHER = "other", _("Other")

    identifier = models.CharField(_("identifier"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.CharField(
        _("area"), max_length=20, choices=Area.choices, default=Area.GENERAL
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_documents",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"), default=12
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["row_version"])

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("controlled document")
        verbose_name_plural = _("controlled documents")
        constraints = [
            # Each area has exactly one process description.
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(kind="process"),
                name="document_one_process_description_per_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("qms:document-detail", args=[self.pk])


class DocumentVersionQuerySet(VersionedQuerySet):
    def released(self) -> DocumentVersionQuerySet:
        """Approved versions, including those a later version superseded."""
        return self.filter(
            status__in=[
                DocumentVersion.Status.APPROVED,
                DocumentVersion.Status.SUPERSEDED,
            ]
        )

    def effective_on(self, day: datetime.date) -> DocumentVersionQuerySet:
        """Per document, the released version whose effective date is the latest
        on or before ``day`` (may still be ordered/limited by the caller)."""
        return self.released().filter(effective_from__lte=day)


class DocumentVersion(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    body = models.TextField(_("text"))
    change_reason = models.TextField(_("reason for change"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="authored_document_versions",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(
        _("submitted for review"), null=True, blank=True
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_document_versions",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["row_version"])

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        permissions = [("approve_documentversion", _("Can approve document versions"))]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="documentversion_unique_number"
            ),
            # At most one version of a document is being worked on at a time.
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status__in=["draft", "in_review"]),
                name="documentversion_one_open_per_document",
            ),
            # A released version always says who approved it and from when.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review"])
                | Q(
                    approver__isnull=False,
                    approved_at__isnull=False,
                    effective_from__isnull=False,
                ),
                name="documentversion_released_has_approval",
            ),
        ]
        indexes = [
            # Effective-version lookup: released versions of a document by date.
            models.Index(
                fields=["document", "status", "effective_from"],
                name="docversion_effective_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.identifier} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("qms:document-version", args=[self.document_id, self.number])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.IN_REVIEW)


class DocumentTransition(StatusChange):
    """Append-only log of a version's status changes (who, when, from, to, why)."""

    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=24, choices=DocumentVersion.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=24, choices=DocumentVersion.Status.choices
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("document status change")
        verbose_name_plural = _("document status changes")

    def __str__(self) -> str:
        return f"{self.version}: {self.from_status} → {self.to_status}"


class ErasureLog(models.Model):
    """A customer's personal data was erased on request: who, when, why and
    how many records of each kind were anonymised (qms.personal_data)."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="erasures",
    )
    customer_reference = models.CharField(_("customer number"), max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("erased at"), default=timezone.now)
    reason = models.TextField(_("reason"))
    counts = models.JSONField(_("records anonymised"), default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("erasure log entry")
        verbose_name_plural = _("erasure log")
        permissions = [
            (
                "manage_personal_data",
                "Can find, export and erase a customer's personal data",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_reference} {self.at:%Y-%m-%d}"
