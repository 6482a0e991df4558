"""Import of historical cases from a CSV file (UTF-8, comma or semicolon).

Every row is checked before anything is written, and the file is imported
whole or not at all. Errors name the row (the header is row 1) and the column.
Imported cases send no e-mail.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.imports import (  # noqa: F401 - messages re-exported for callers
    ERR_EMPTY_FILE,
    ERR_ENCODING,
    ERR_MISSING_COLUMN,
    ERR_NO_ROWS,
    ERR_TOO_MANY_VALUES,
    ERR_UNKNOWN_COLUMN,
    Importer,
    ImportResult,
    Row,
)
from qms.models import Channel, Customer, Language, OrgUnit, Service
from qms.parsers import (  # noqa: F401 - messages re-exported for callers
    ERR_CHOICE,
    ERR_EMAIL,
    ERR_FUTURE,
    ERR_MOMENT,
    ERR_REQUIRED,
    ERR_UNKNOWN_CODE,
    Lookup,
)

from . import deadlines, services
from .intake_email import default_intake_unit
from .models import Case, CaseSequence, Category, Transition

COLUMNS = [
    "reference",
    "received_at",
    "kind",
    "channel",
    "category",
    "service",
    "customer",
    "contact_name",
    "contact_email",
    "contact_phone",
    "subject",
    "description",
    "status",
    "closed_at",
    "outcome",
    "decision_reasons",
    "org_unit",
    "language",
]
REQUIRED_COLUMNS = ["received_at", "kind", "channel", "description"]

ERR_DATE = ERR_MOMENT
ERR_REFERENCE_FORMAT = _("A reference has the form K-YYYY-NNNNNN.")
ERR_REFERENCE_TAKEN = _("A case with this reference already exists.")
ERR_REFERENCE_TWICE = _("The reference appears twice in the file (rows %(rows)s).")
ERR_CLOSED_BEFORE_RECEIVED = _("The case cannot be closed before it was received.")
ERR_CLOSED_NEEDS = _("A closed case needs this column too.")
ERR_ONLY_WHEN_CLOSED = _("Only a closed case has this value.")
ERR_ALREADY_IMPORTED = _(
    "Case %(reference)s has the same time, channel and description: "
    "this row seems to be imported already."
)
ERR_REASONS_NEEDED = _("A decision that does not fully uphold the case needs reasons.")

REFERENCE_RE = re.compile(r"^K-(\d{4})-(\d{6})$")
PREVIEW_LIMIT = 50


@dataclass
class RowPreview:
    row: int
    reference: str
    received_at: datetime.datetime
    kind: str
    channel: str
    subject: str
    status: str
    org_unit: str


class CaseImporter(Importer):
    """Historical cases, one a row; a closed one needs its closing time and
    outcome. Rows matching a stored case are refused, so running an import
    twice adds nothing."""

    columns = COLUMNS
    required_columns = REQUIRED_COLUMNS
    model = Case
    refuse_extra_values = True

    def __init__(self, *, by) -> None:
        self.by = by

    def prepare(self) -> None:
        self.channels = Lookup(Channel.objects.all())
        self.categories = Lookup(Category.objects.all())
        self.services = Lookup(Service.objects.all())
        self.units = Lookup(OrgUnit.objects.all())
        self.customers = Lookup(
            Customer.objects.filter(reference__in=self.values_of("customer")),
            "reference",
        )
        self.taken = set(
            Case.objects.filter(reference__in=self.values_of("reference")).values_list(
                "reference", flat=True
            )
        )
        self._default_unit = None

    def default_unit(self) -> OrgUnit:
        if self._default_unit is None:
            self._default_unit = default_intake_unit()
        return self._default_unit

    def build(self, row: Row) -> Case | None:
        reference = row.get("reference")
        if reference:
            if not REFERENCE_RE.match(reference):
                row.error("reference", ERR_REFERENCE_FORMAT)
            elif reference in self.taken:
                row.error("reference", ERR_REFERENCE_TAKEN)
        case = Case(
            reference=reference,
            received_at=row.moment("received_at", required=True, past=True),
            kind=row.choice("kind", Case.Kind),
            channel=row.lookup("channel", self.channels, required=True),
            category=row.lookup("category", self.categories),
            service=row.lookup("service", self.services),
            customer=row.lookup("customer", self.customers),
            contact_name=row.text("contact_name"),
            contact_email=row.email("contact_email"),
            contact_phone=row.text("contact_phone"),
            subject=row.text("subject"),
            description=row.text("description", required=True),
            status=row.choice("status", Case.Status, default=Case.Status.RECEIVED),
            language=row.choice("language", Language, default=Language.ESTONIAN),
        )
        org_unit = row.lookup("org_unit", self.units)
        if not row.ok:
            return None
        case.org_unit = org_unit or self.default_unit()
        if case.status == Case.Status.CLOSED:
            self._close(case, row)
        else:
            for column in ("closed_at", "outcome"):
                if row.get(column):
                    row.error(column, ERR_ONLY_WHEN_CLOSED)
        if case.customer and not (case.contact_email or case.contact_phone):
            case.contact_email = case.customer.email
            case.contact_phone = case.customer.phone
            case.contact_name = case.contact_name or case.customer.name
        return case

    def _close(self, case: Case, row: Row) -> None:
        if not row.get("closed_at"):
            row.error("closed_at", ERR_CLOSED_NEEDS)
            return
        case.closed_at = row.moment("closed_at", past=True)
        if case.closed_at is None:
            return
        same_day = timezone.localdate(case.closed_at) == timezone.localdate(
            case.received_at
        )
        if same_day and ":" not in row.get("closed_at"):
            # Closed on the day it came in, time not given.
            case.closed_at = max(case.closed_at, case.received_at)
        if case.closed_at < case.received_at:
            row.error("closed_at", ERR_CLOSED_BEFORE_RECEIVED)
            return
        if case.is_feedback:
            case.closure_reason = Case.ClosureReason.FEEDBACK
            case.outcome = row.choice("outcome", Case.Outcome, default="")
        elif not row.get("outcome"):
            row.error("outcome", ERR_CLOSED_NEEDS)
            return
        else:
            case.outcome = row.choice("outcome", Case.Outcome)
            case.closure_reason = Case.ClosureReason.RESOLVED
        case.decision_reasons = row.text("decision_reasons")
        rejected = case.outcome and case.outcome != Case.Outcome.UPHELD
        if rejected and not case.decision_reasons:
            row.error("decision_reasons", ERR_REASONS_NEEDED)
        if case.outcome:
            case.decided_at = case.closed_at

    def clean(self, case: Case, row: Row) -> None:
        """What the model itself refuses (lengths and the like)."""
        case.full_clean(
            exclude=["reference", "acknowledge_due_at", "response_due_at"],
            validate_unique=False,
        )

    def check_all(self, built: list[tuple[Row, Case]]) -> None:
        _refuse_already_imported(built)
        seen: dict[str, list[Row]] = {}
        for row, case in built:
            if case.reference:
                seen.setdefault(case.reference, []).append(row)
        for rows in seen.values():
            if len(rows) > 1:
                numbers = ", ".join(str(row.number) for row in rows)
                for row in rows:
                    row.error("reference", ERR_REFERENCE_TWICE % {"rows": numbers})

    def preview(self, row: Row, case: Case) -> RowPreview:
        return RowPreview(
            row=row.number,
            reference=case.reference,
            received_at=case.received_at,
            kind=case.get_kind_display(),
            channel=str(case.channel),
            subject=case.subject,
            status=case.get_status_display(),
            org_unit=str(case.org_unit),
        )

    def save(self, cases: list[Case]) -> None:
        _reserve_references(cases)
        for case in cases:
            _save(case, self.by)


def _refuse_already_imported(built: list[tuple[Row, Case]]) -> None:
    """Rows matching a stored case (so running an import twice adds nothing)."""
    moments = {case.received_at for _row, case in built}
    existing = {
        (received_at, channel_id, description): reference
        for received_at, channel_id, description, reference in Case.objects.filter(
            received_at__in=moments
        ).values_list("received_at", "channel_id", "description", "reference")
    }
    for row, case in built:
        reference = existing.get((case.received_at, case.channel_id, case.description))
        if reference:
            row.error("", ERR_ALREADY_IMPORTED % {"reference": reference})


def _reserve_references(cases: list[Case]) -> None:
    """Move each year's counter past the references kept from the file, so
    cases registered later never collide with them."""
    highest: dict[int, int] = {}
    for case in cases:
        match = REFERENCE_RE.match(case.reference)
        if match:
            year, number = int(match[1]), int(match[2])
            highest[year] = max(highest.get(year, 0), number)
    for year, number in highest.items():
        sequence, _created = CaseSequence.objects.select_for_update().get_or_create(
            year=year
        )
        if sequence.last < number:
            sequence.last = number
            sequence.save(update_fields=["last"])


def _save(case: Case, by) -> None:
    if not case.reference:
        case.reference = services._next_reference(
            timezone.localtime(case.received_at).year
        )
    case.acknowledge_due_at, case.response_due_at = deadlines.initial_deadlines(case)
    case.created_by = by if by is not None and by.is_authenticated else None
    case._history_user = case.created_by
    case._change_reason = "import"
    case.full_clean()
    case.save()
    Transition.objects.create(
        case=case,
        from_status="",
        to_status=case.status,
        action="import",
        by=case.created_by,
        at=case.closed_at or case.received_at,
        comment=str(_("Imported from a file")),
    )


def import_cases(file: IO, *, dry_run: bool, by) -> ImportResult:
    """Check every row of a CSV file of historical cases and, unless
    ``dry_run`` or any row is wrong, save them all in one transaction."""
    return CaseImporter(by=by).run(file, dry_run=dry_run)
