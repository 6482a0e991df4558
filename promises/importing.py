"""Import of fulfilment events of one promise from a CSV file (UTF-8, comma or
semicolon). Every row is checked first; errors name the row (the header is row
1) and the column; the file is saved whole or not at all."""

from __future__ import annotations

import datetime
from typing import IO

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from qms.calendar import get_calendar
from qms.imports import CellError, ImportResult, read_table

from . import services
from .models import FulfilmentEvent, Promise, PromiseIndicator

COLUMNS = [
    "indicator",
    "occurred_at",
    "started_at",
    "ended_at",
    "value",
    "kept",
    "reason",
    "reference",
    "exclusion_reason",
]
REQUIRED_COLUMNS = ["indicator"]

ERR_ENCODING = _("The file is not UTF-8 text.")
ERR_INDICATOR = _("This promise has no event-based indicator “%(value)s”.")
ERR_DATETIME = _("Not a date and time: use YYYY-MM-DD HH:MM.")
ERR_NUMBER = _("Not a number.")
ERR_KEPT = _("Use yes or no (1 or 0).")
ERR_DUPLICATE = services.ERR_DUPLICATE

YES = {"1", "yes", "y", "true", "jah", "да", "kept"}
NO = {"0", "no", "n", "false", "ei", "нет", "broken"}


def _moment(value: str, column: str) -> datetime.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value.replace("T", " "))
    if parsed is None:
        try:
            parsed = datetime.datetime.combine(
                datetime.date.fromisoformat(value), datetime.time()
            )
        except ValueError:
            raise CellError(column, ERR_DATETIME) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _build(
    row: dict, indicators: dict[str, PromiseIndicator], calendar
) -> FulfilmentEvent:
    def get(column: str) -> str:
        return (row.get(column) or "").strip()

    indicator = indicators.get(get("indicator"))
    if indicator is None:
        raise CellError("indicator", ERR_INDICATOR % {"value": get("indicator")})
    value = None
    if get("value"):
        try:
            value = float(get("value").replace(",", "."))
        except ValueError:
            raise CellError("value", ERR_NUMBER) from None
    kept = None
    if get("kept"):
        if get("kept").lower() in YES:
            kept = True
        elif get("kept").lower() in NO:
            kept = False
        else:
            raise CellError("kept", ERR_KEPT)
    event = FulfilmentEvent(
        indicator=indicator,
        occurred_at=_moment(get("occurred_at"), "occurred_at"),
        started_at=_moment(get("started_at"), "started_at"),
        ended_at=_moment(get("ended_at"), "ended_at"),
        value=value,
        kept=kept,
        reason=get("reason"),
        reference=get("reference"),
        excluded=bool(get("exclusion_reason")),
        exclusion_reason=get("exclusion_reason"),
        source=FulfilmentEvent.Source.IMPORT,
    )
    services.evaluate(event, calendar)
    return event


def import_events(file: IO, *, promise: Promise, dry_run: bool, by) -> ImportResult:
    """Check every row and, unless ``dry_run`` or any row is wrong, save all."""
    result = ImportResult()
    try:
        data = file.read()
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        result.errors.append((1, "", str(ERR_ENCODING)))
        return result
    header, raw_rows, errors = read_table(
        text.removeprefix("\ufeff"), required=REQUIRED_COLUMNS, known=COLUMNS
    )
    if errors:
        result.errors.extend(errors)
        return result
    indicators: dict[str, PromiseIndicator] = {}
    for indicator in promise.indicators.exclude(kind=PromiseIndicator.Kind.MEASURE):
        indicators[str(indicator.pk)] = indicator
        indicators[indicator.name] = indicator
    # One calendar with every closure day serves all rows (no query per row).
    calendar = get_calendar()
    seen: set[tuple[int, str]] = set()
    existing = set(
        FulfilmentEvent.objects.filter(indicator__promise=promise)
        .exclude(reference="")
        .values_list("indicator_id", "reference")
    )
    built = []
    for number, values in raw_rows:
        row = dict(zip(header, values, strict=False))
        try:
            event = _build(row, indicators, calendar)
            key = (event.indicator_id, event.reference)
            if event.reference and (key in existing or key in seen):
                raise CellError("reference", ERR_DUPLICATE)
            seen.add(key)
            event.full_clean(validate_unique=False, validate_constraints=False)
        except CellError as error:
            result.errors.append((number, error.column, error.message))
            continue
        except ValidationError as error:
            result.errors.extend(
                (number, column if column in COLUMNS else "", message)
                for column, messages in getattr(
                    error, "message_dict", {"": error.messages}
                ).items()
                for message in messages
            )
            continue
        built.append(event)
        result.rows.append((number, event))
    if result.errors or dry_run:
        return result
    services.events_record_all(events=built, by=by)
    result.created = len(built)
    return result
