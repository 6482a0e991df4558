"""Import of fulfilment events of one promise from a CSV file (UTF-8, comma or
semicolon). Every row is checked first; errors name the row (the header is row
1) and the column; the file is saved whole or not at all."""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qms.calendar import get_calendar
from qms.imports import (  # noqa: F401 - message re-exported for callers
    ERR_ENCODING,
    Importer,
    ImportResult,
    Row,
)
from qms.parsers import (  # noqa: F401 - message re-exported for callers
    ERR_NUMBER,
    Lookup,
)

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

ERR_INDICATOR = _("This promise has no event-based indicator “%(value)s”.")
ERR_DATETIME = _("Not a date and time: use YYYY-MM-DD HH:MM.")
ERR_KEPT = _("Use yes or no (1 or 0).")
ERR_DUPLICATE = services.ERR_DUPLICATE

YES = {"1", "yes", "y", "true", "jah", "да", "kept"}
NO = {"0", "no", "n", "false", "ei", "нет", "broken"}


def parse_kept(text: str) -> bool | None:
    if not text:
        return None
    if text.lower() in YES:
        return True
    if text.lower() in NO:
        return False
    raise ValidationError(ERR_KEPT, code="invalid")


class EventImporter(Importer):
    """Fulfilment events of one promise's event-based indicators (named by id
    or name), evaluated as a manual entry is; moments as the API takes them
    (ISO 8601, from 1900 and not in the future)."""

    columns = COLUMNS
    required_columns = REQUIRED_COLUMNS
    model = FulfilmentEvent

    def __init__(self, *, promise: Promise, by) -> None:
        self.promise = promise
        self.by = by

    def prepare(self) -> None:
        self.indicators = Lookup(
            self.promise.indicators.exclude(kind=PromiseIndicator.Kind.MEASURE),
            "pk",
            "name",
            message=ERR_INDICATOR,
        )
        # One calendar with every closure day serves all rows (no query per row).
        self.calendar = get_calendar()
        self.existing = set(
            FulfilmentEvent.objects.filter(indicator__promise=self.promise)
            .exclude(reference="")
            .values_list("indicator_id", "reference")
        )
        self.seen: set[tuple[int, str]] = set()

    def _moment(self, row: Row, column: str):
        return row.moment(column, formats=(), message=ERR_DATETIME, past=True)

    def build(self, row: Row) -> FulfilmentEvent | None:
        value = row.decimal("value")
        event = FulfilmentEvent(
            indicator=row.lookup("indicator", self.indicators, required=True),
            occurred_at=self._moment(row, "occurred_at"),
            started_at=self._moment(row, "started_at"),
            ended_at=self._moment(row, "ended_at"),
            value=None if value is None else float(value),
            kept=row.cell("kept", parse_kept),
            reason=row.text("reason"),
            reference=row.text("reference"),
            excluded=bool(row.get("exclusion_reason")),
            exclusion_reason=row.text("exclusion_reason"),
            source=FulfilmentEvent.Source.IMPORT,
        )
        if not row.ok:
            return None
        services.evaluate(event, self.calendar)
        return event

    def clean(self, event: FulfilmentEvent, row: Row) -> None:
        key = (event.indicator_id, event.reference)
        if event.reference and (key in self.existing or key in self.seen):
            row.error("reference", ERR_DUPLICATE)
            return
        self.seen.add(key)
        event.full_clean(validate_unique=False, validate_constraints=False)

    def save(self, events: list[FulfilmentEvent]) -> None:
        services.events_record_all(events=events, by=self.by)


def import_events(file: IO, *, promise: Promise, dry_run: bool, by) -> ImportResult:
    """Check every row and, unless ``dry_run`` or any row is wrong, save all."""
    return EventImporter(promise=promise, by=by).run(file, dry_run=dry_run)
