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

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.imports import (  # noqa: F401 - messages re-exported for callers
    ERR_EMPTY_FILE,
    ERR_MISSING_COLUMN,
    ERR_NO_ROWS,
    ERR_UNKNOWN_COLUMN,
    CellError,
    ImportResult,
    read_table,
)
from qms.models import Channel, Customer, Language, OrgUnit, Service

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

ERR_ENCODING = _("The file is not UTF-8 text.")
ERR_EMAIL = _("Enter a valid e-mail address.")
ERR_REQUIRED = _("A value is required.")
ERR_TOO_MANY_VALUES = _("The row has more values than the header has columns.")
ERR_DATE = _("Not a date: use YYYY-MM-DD, YYYY-MM-DD HH:MM or DD.MM.YYYY.")
ERR_FUTURE = _("The date is in the future.")
ERR_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
ERR_UNKNOWN_CODE = _("Nothing has the code “%(value)s”.")
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
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATETIME_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"]
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


def _read_text(file: IO) -> str:
    data = file.read()
    if isinstance(data, bytes):
        return data.decode("utf-8-sig")
    return data.removeprefix("\ufeff")


def parse_moment(value: str) -> datetime.datetime:
    """An ISO date or date-time, or d.m.Y (with an optional time), as an aware
    date-time in the local time zone (a bare date means its start)."""
    value = value.strip()
    moment = None
    for fmt in DATE_FORMATS + DATETIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(value, fmt)
            break
        except ValueError:
            continue
    if moment is None:
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(ERR_DATE) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class _Lookups:
    """Every code table read once, so validating a big file stays cheap."""

    def __init__(self, rows: list[dict]):
        self.channels = {c.code: c for c in Channel.objects.all()}
        self.categories = {c.code: c for c in Category.objects.all()}
        self.services = {s.code: s for s in Service.objects.all()}
        self.units = {u.code: u for u in OrgUnit.objects.all()}
        wanted = {r.get("customer", "").strip() for r in rows} - {""}
        self.customers = {
            c.reference: c for c in Customer.objects.filter(reference__in=wanted)
        }
        given = {r.get("reference", "").strip() for r in rows} - {""}
        self.taken = set(
            Case.objects.filter(reference__in=given).values_list("reference", flat=True)
        )
        self._default_unit = None

    def default_unit(self) -> OrgUnit:
        if self._default_unit is None:
            self._default_unit = default_intake_unit()
        return self._default_unit


def _code(table: dict, value: str, column: str, required: bool = False):
    value = value.strip()
    if not value:
        if required:
            raise CellError(column, ERR_REQUIRED)
        return None
    if value not in table:
        raise CellError(column, ERR_UNKNOWN_CODE % {"value": value})
    return table[value]


def _choice(value: str, column: str, choices, default: str = "") -> str:
    value = value.strip()
    if not value:
        if default:
            return default
        raise CellError(column, ERR_REQUIRED)
    if value not in choices.values:
        raise CellError(
            column,
            ERR_CHOICE % {"value": value, "choices": ", ".join(choices.values)},
        )
    return value


def _moment(value: str, column: str, now: datetime.datetime) -> datetime.datetime:
    if not value.strip():
        raise CellError(column, ERR_REQUIRED)
    try:
        moment = parse_moment(value)
    except ValueError:
        raise CellError(column, ERR_DATE) from None
    if moment > now:
        raise CellError(column, ERR_FUTURE)
    return moment


def _build_case(row: dict, lookups: _Lookups, now: datetime.datetime) -> Case:
    """An unsaved Case from one row; raises CellError for the first bad cell."""

    def get(column: str) -> str:
        return (row.get(column) or "").strip()

    reference = get("reference")
    if reference:
        if not REFERENCE_RE.match(reference):
            raise CellError("reference", ERR_REFERENCE_FORMAT)
        if reference in lookups.taken:
            raise CellError("reference", ERR_REFERENCE_TAKEN)
    received_at = _moment(get("received_at"), "received_at", now)
    kind = _choice(get("kind"), "kind", Case.Kind)
    email = get("contact_email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CellError("contact_email", ERR_EMAIL) from None
    status = _choice(get("status"), "status", Case.Status, default=Case.Status.RECEIVED)
    case = Case(
        reference=reference,
        received_at=received_at,
        kind=kind,
        channel=_code(lookups.channels, get("channel"), "channel", required=True),
        category=_code(lookups.categories, get("category"), "category"),
        service=_code(lookups.services, get("service"), "service"),
        customer=_code(lookups.customers, get("customer"), "customer"),
        contact_name=get("contact_name"),
        contact_email=email,
        contact_phone=get("contact_phone"),
        subject=get("subject"),
        description=get("description"),
        status=status,
        org_unit=_code(lookups.units, get("org_unit"), "org_unit")
        or lookups.default_unit(),
        language=_choice(
            get("language"), "language", Language, default=Language.ESTONIAN
        ),
    )
    if not case.description:
        raise CellError("description", ERR_REQUIRED)
    if status == Case.Status.CLOSED:
        _close(case, get, now)
    else:
        for column in ("closed_at", "outcome"):
            if get(column):
                raise CellError(column, ERR_ONLY_WHEN_CLOSED)
    if case.customer and not (case.contact_email or case.contact_phone):
        case.contact_email = case.customer.email
        case.contact_phone = case.customer.phone
        case.contact_name = case.contact_name or case.customer.name
    return case


def _close(case: Case, get, now: datetime.datetime) -> None:
    if not get("closed_at"):
        raise CellError("closed_at", ERR_CLOSED_NEEDS)
    case.closed_at = _moment(get("closed_at"), "closed_at", now)
    same_day = timezone.localdate(case.closed_at) == timezone.localdate(
        case.received_at
    )
    if same_day and ":" not in get("closed_at"):
        # Closed on the day it came in, time not given.
        case.closed_at = max(case.closed_at, case.received_at)
    if case.closed_at < case.received_at:
        raise CellError("closed_at", ERR_CLOSED_BEFORE_RECEIVED)
    if case.is_feedback:
        case.closure_reason = Case.ClosureReason.FEEDBACK
        if get("outcome"):
            case.outcome = _choice(get("outcome"), "outcome", Case.Outcome)
    else:
        if not get("outcome"):
            raise CellError("outcome", ERR_CLOSED_NEEDS)
        case.outcome = _choice(get("outcome"), "outcome", Case.Outcome)
        case.closure_reason = Case.ClosureReason.RESOLVED
    case.decision_reasons = get("decision_reasons")
    rejected = case.outcome and case.outcome != Case.Outcome.UPHELD
    if rejected and not case.decision_reasons:
        raise CellError("decision_reasons", ERR_REASONS_NEEDED)
    if case.outcome:
        case.decided_at = case.closed_at


def _model_errors(case: Case) -> list[tuple[str, str]]:
    """What the model itself refuses (lengths and the like), per column."""
    try:
        case.full_clean(
            exclude=["reference", "acknowledge_due_at", "response_due_at"],
            validate_unique=False,
        )
    except ValidationError as error:
        return [
            (column if column in COLUMNS else "", message)
            for column, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _preview(row_number: int, case: Case) -> RowPreview:
    return RowPreview(
        row=row_number,
        reference=case.reference,
        received_at=case.received_at,
        kind=case.get_kind_display(),
        channel=str(case.channel),
        subject=case.subject,
        status=case.get_status_display(),
        org_unit=str(case.org_unit),
    )


def _validate(text: str, result: ImportResult) -> list[tuple[int, Case]]:
    header, rows, errors = read_table(text, required=REQUIRED_COLUMNS, known=COLUMNS)
    if errors:
        result.errors.extend(errors)
        return []
    rows_as_dicts = [
        (number, dict(zip(header, values, strict=False))) for number, values in rows
    ]
    lookups = _Lookups([row for _n, row in rows_as_dicts])
    now = timezone.now()
    seen: dict[str, list[int]] = {}
    cases = []
    for (number, values), (_n, row) in zip(rows, rows_as_dicts, strict=True):
        if len(values) > len(header):
            result.errors.append((number, "", str(ERR_TOO_MANY_VALUES)))
            continue
        try:
            case = _build_case(row, lookups, now)
        except CellError as error:
            result.errors.append((number, error.column, str(error.message)))
            continue
        problems = _model_errors(case)
        if problems:
            result.errors.extend((number, column, msg) for column, msg in problems)
            continue
        if case.reference:
            seen.setdefault(case.reference, []).append(number)
        cases.append((number, case))
        result.rows.append(_preview(number, case))
    _refuse_already_imported(cases, result)
    for numbers in seen.values():
        if len(numbers) > 1:
            message = str(ERR_REFERENCE_TWICE % {"rows": ", ".join(map(str, numbers))})
            result.errors.extend((n, "reference", message) for n in numbers)
    result.errors.sort(key=lambda error: error[0])
    return cases


def _refuse_already_imported(
    cases: list[tuple[int, Case]], result: ImportResult
) -> None:
    """Rows matching a stored case (so running an import twice adds nothing)."""
    moments = {case.received_at for _n, case in cases}
    existing = {
        (received_at, channel_id, description): reference
        for received_at, channel_id, description, reference in Case.objects.filter(
            received_at__in=moments
        ).values_list("received_at", "channel_id", "description", "reference")
    }
    for number, case in cases:
        reference = existing.get((case.received_at, case.channel_id, case.description))
        if reference:
            result.errors.append(
                (number, "", str(ERR_ALREADY_IMPORTED % {"reference": reference}))
            )


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
    result = ImportResult()
    try:
        text = _read_text(file)
    except UnicodeDecodeError:
        result.errors.append((1, "", str(ERR_ENCODING)))
        return result
    cases = _validate(text, result)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        _reserve_references([case for _n, case in cases])
        for _number, case in cases:
            _save(case, by)
    result.created = len(cases)
    return result
