"""Import of needs from a CSV file (UTF-8, comma or semicolon), the approach
of :mod:`complaints.importing`: every row is checked first, errors name the
row (the header is row 1) and the column, and the file is saved whole or not
at all."""

from __future__ import annotations

from typing import IO

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qms.imports import (  # noqa: F401 - messages re-exported for callers
    ERR_EMPTY_FILE,
    ERR_ENCODING,
    ERR_MISSING_COLUMN,
    ERR_NO_ROWS,
    ERR_UNKNOWN_COLUMN,
    Importer,
    ImportResult,
    Row,
)
from qms.models import Segment, Service
from qms.parsers import (  # noqa: F401 - messages re-exported for callers
    ERR_CHOICE,
    ERR_DATE,
    ERR_REQUIRED,
    ERR_UNKNOWN_CODE,
    Lookup,
    shown,
)

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

ERR_RATING = _("Give a whole number from 1 to 5.")
ERR_UNKNOWN_USER = _("No user has the name “%(value)s”.")

# A cell of the segments column lists codes separated by any of these.
SEGMENT_SEPARATORS = ("|", ";")


class NeedImporter(Importer):
    """Needs with their segments (codes separated by commas, semicolons or
    bars), service and owner (a username)."""

    columns = COLUMNS
    required_columns = REQUIRED_COLUMNS
    model = Need

    def __init__(self, *, by) -> None:
        self.by = by

    def prepare(self) -> None:
        self.segments = Lookup(Segment.objects.all())
        self.services = Lookup(Service.objects.all())
        User = get_user_model()
        self.users = Lookup(
            User.objects.filter(is_active=True),
            User.USERNAME_FIELD,
            message=ERR_UNKNOWN_USER,
        )

    def build(self, row: Row) -> tuple[Need, list[Segment]] | None:
        statement = row.text("statement", required=True)
        segments = self._segments(row)
        rating = {"minimum": 1, "maximum": 5, "default": 3, "message": ERR_RATING}
        need = Need(
            statement=statement,
            source=row.choice("source", Need.Source),
            service=row.lookup("service", self.services),
            requirement_class=row.choice(
                "requirement_class",
                Need.RequirementClass,
                default=Need.RequirementClass.STATED,
            ),
            expectation=row.choice(
                "expectation", Need.Expectation, default=Need.Expectation.EXPLICIT
            ),
            kano=row.choice("kano", Need.Kano, default=""),
            importance=row.integer("importance", **rating),
            performance=row.integer("performance", **rating),
            owner=row.lookup("owner", self.users),
            next_review_date=row.date("next_review_date"),
        )
        identified = row.date("identified_on")
        if identified:
            need.identified_on = identified
        return (need, segments) if row.ok else None

    def _segments(self, row: Row) -> list[Segment]:
        text = row.get("segments")
        for separator in SEGMENT_SEPARATORS:
            text = text.replace(separator, ",")
        segments = []
        for code in text.split(","):
            code = code.strip()
            if code:
                segment = self.segments.get(code)
                if segment is None:
                    row.error("segments", ERR_UNKNOWN_CODE % {"value": shown(code)})
                    return []
                segments.append(segment)
        return segments

    def clean(self, built: tuple[Need, list[Segment]], row: Row) -> None:
        built[0].full_clean(exclude=["segments", "conflicts_with"])

    def preview(self, row: Row, built: tuple[Need, list[Segment]]):
        return (row.number, built[0])

    def save(self, records: list[tuple[Need, list[Segment]]]) -> None:
        for need, segments in records:
            services.need_save(need=need, by=self.by, segments=segments)


def import_needs(file: IO, *, dry_run: bool, by) -> ImportResult:
    """Check every row and, unless ``dry_run`` or any row is wrong, save all."""
    return NeedImporter(by=by).run(file, dry_run=dry_run)
