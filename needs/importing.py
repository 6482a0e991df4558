"""Import of needs from a CSV file (UTF-8, comma or semicolon), the approach
of :mod:`complaints.importing`: every row is checked first, errors name the
row (the header is row 1) and the column, and the file is saved whole or not
at all."""

from __future__ import annotations

import datetime
from typing import IO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
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
from qms.models import Segment, Service

from . import services
from .models import Need

COLUMNS = [
    "statement",
    "source",
    "segments",
    "service",
    "requirement_class",
    "expectation",
    "kano",
    "importance",
    "performance",
    "identified_on",
    "owner",
    "next_review_date",
]
REQUIRED_COLUMNS = ["statement", "source"]

ERR_ENCODING = _("The file is not UTF-8 text.")
ERR_REQUIRED = _("A value is required.")
ERR_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
ERR_UNKNOWN_CODE = _("Nothing has the code “%(value)s”.")
ERR_RATING = _("Give a whole number from 1 to 5.")
ERR_DATE = _("Not a date: use YYYY-MM-DD or DD.MM.YYYY.")
ERR_UNKNOWN_USER = _("No user has the name “%(value)s”.")


def _date(value: str, column: str) -> datetime.date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CellError(column, ERR_DATE)


def _choice(value: str, column: str, choices, default: str | None = None) -> str:
    if not value:
        if default is not None:
            return default
        raise CellError(column, ERR_REQUIRED)
    if value not in choices.values:
        raise CellError(
            column, ERR_CHOICE % {"value": value, "choices": ", ".join(choices.values)}
        )
    return value


def _rating(value: str, column: str) -> int:
    if not value:
        return 3
    if not value.isdigit() or not 1 <= int(value) <= 5:
        raise CellError(column, ERR_RATING)
    return int(value)


class _Lookups:
    """Code tables read once, so checking a big file stays cheap."""

    def __init__(self):
        self.segments = {s.code: s for s in Segment.objects.all()}
        self.services = {s.code: s for s in Service.objects.all()}
        self.users = {
            u.get_username(): u for u in get_user_model().objects.filter(is_active=True)
        }


def _build(row: dict, lookups: _Lookups) -> tuple[Need, list[Segment]]:
    def get(column: str) -> str:
        return (row.get(column) or "").strip()

    if not get("statement"):
        raise CellError("statement", ERR_REQUIRED)
    segments = []
    for code in get("segments").replace("|", ",").replace(";", ",").split(","):
        code = code.strip()
        if code:
            if code not in lookups.segments:
                raise CellError("segments", ERR_UNKNOWN_CODE % {"value": code})
            segments.append(lookups.segments[code])
    service = None
    if get("service"):
        service = lookups.services.get(get("service"))
        if service is None:
            raise CellError("service", ERR_UNKNOWN_CODE % {"value": get("service")})
    owner = None
    if get("owner"):
        owner = lookups.users.get(get("owner"))
        if owner is None:
            raise CellError("owner", ERR_UNKNOWN_USER % {"value": get("owner")})
    need = Need(
        statement=get("statement"),
        source=_choice(get("source"), "source", Need.Source),
        service=service,
        requirement_class=_choice(
            get("requirement_class"),
            "requirement_class",
            Need.RequirementClass,
            Need.RequirementClass.STATED,
        ),
        expectation=_choice(
            get("expectation"),
            "expectation",
            Need.Expectation,
            Need.Expectation.EXPLICIT,
        ),
        kano=_choice(get("kano"), "kano", Need.Kano, ""),
        importance=_rating(get("importance"), "importance"),
        performance=_rating(get("performance"), "performance"),
        owner=owner,
        next_review_date=_date(get("next_review_date"), "next_review_date"),
    )
    identified = _date(get("identified_on"), "identified_on")
    if identified:
        need.identified_on = identified
    return need, segments


def _validate(text: str, result: ImportResult) -> list[tuple[Need, list[Segment]]]:
    header, raw_rows, errors = read_table(
        text, required=REQUIRED_COLUMNS, known=COLUMNS
    )
    if errors:
        result.errors.extend(errors)
        return []
    rows = [
        (number, dict(zip(header, values, strict=False))) for number, values in raw_rows
    ]
    lookups = _Lookups()
    built = []
    for number, row in rows:
        try:
            need, segments = _build(row, lookups)
            need.full_clean(exclude=["segments", "conflicts_with"])
        except CellError as error:
            result.errors.append((number, error.column, error.message))
            continue
        except ValidationError as error:
            result.errors.extend(
                (number, column if column in COLUMNS else "", message)
                for column, messages in error.message_dict.items()
                for message in messages
            )
            continue
        built.append((need, segments))
        result.rows.append((number, need))
    return built


def import_needs(file: IO, *, dry_run: bool, by) -> ImportResult:
    """Check every row and, unless ``dry_run`` or any row is wrong, save all."""
    result = ImportResult()
    try:
        data = file.read()
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        result.errors.append((1, "", str(ERR_ENCODING)))
        return result
    built = _validate(text.removeprefix("\ufeff"), result)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for need, segments in built:
            services.need_save(need=need, by=by, segments=segments)
    result.created = len(built)
    return result
