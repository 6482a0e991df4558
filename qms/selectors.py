"""Reads of the core app that pages and other apps use."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone

from qms.calendar import get_calendar
from qms.models import ClosureDay, Customer, Document, DocumentVersion
from qms.periods import add_months

Status = DocumentVersion.Status


@dataclass(frozen=True)
class DayOff:
    date: datetime.date
    name: str
    kind: str  # "holiday" or "closure"


def days_off(year: int, *, language: str = "en") -> list[DayOff]:
    """Public holidays (named in ``language`` where the holidays package has it)
    and closure days of a year, by date. Runs one query."""
    country = settings.HOLIDAYS_COUNTRY
    subdivision = settings.HOLIDAYS_SUBDIVISION
    probe = holidays.country_holidays(country, subdiv=subdivision, years=())
    supported = getattr(probe, "supported_languages", ()) or ()
    chosen = next((code for code in supported if code.split("_")[0] == language), None)
    public = holidays.country_holidays(
        country, subdiv=subdivision, years=year, language=chosen
    )
    days = [DayOff(day, name, "holiday") for day, name in public.items()]
    days += [
        DayOff(c.date, c.reason, "closure")
        for c in ClosureDay.objects.filter(date__year=year)
    ]
    return sorted(days, key=lambda d: (d.date, d.kind))


def working_day_count(year: int) -> int:
    """Working days in a year under the calendar's rules. Runs one query."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    calendar = get_calendar(start - datetime.timedelta(days=1), end)
    return calendar.working_days_between(start - datetime.timedelta(days=1), end)


def customer_list() -> QuerySet[Customer]:
    return Customer.objects.prefetch_related("segments")


def effective_version(
    document: Document, *, on: datetime.date | None = None
) -> DocumentVersion | None:
    """The version in force on a day (today by default): the released version
    with the latest effective date on or before it. Runs one query."""
    on = on or timezone.localdate()
    return (
        document.versions.effective_on(on)
        .select_related("author", "approver")
        .order_by("-effective_from", "-number")
        .first()
    )


def process_description(area: str) -> Document | None:
    """The area's process description with its effective and open versions
    attached as ``effective`` and ``open_version``. Runs at most three queries."""
    document = (
        Document.objects.filter(kind=Document.Kind.PROCESS, area=area)
        .select_related("owner")
        .first()
    )
    if document is not None:
        document.effective = effective_version(document)
        document.open_version = (
            document.versions.filter(status__in=[Status.DRAFT, Status.IN_REVIEW])
            .select_related("author")
            .first()
        )
    return document


def document_list(*, on: datetime.date | None = None) -> QuerySet[Document]:
    """Documents annotated with the number and date of the version in force and
    the status of any version being worked on; constant queries for any length."""
    on = on or timezone.localdate()
    in_force = (
        DocumentVersion.objects.filter(document=OuterRef("pk"))
        .effective_on(on)
        .order_by("-effective_from", "-number")
    )
    open_version = DocumentVersion.objects.filter(
        document=OuterRef("pk"), status__in=[Status.DRAFT, Status.IN_REVIEW]
    )
    return (
        Document.objects.select_related("owner")
        .annotate(
            effective_number=Subquery(in_force.values("number")[:1]),
            effective_from=Subquery(in_force.values("effective_from")[:1]),
            open_status=Subquery(open_version.values("status")[:1]),
            open_number=Subquery(open_version.values("number")[:1]),
            version_count=Count("versions"),
        )
        .order_by("area", "identifier")
    )


def document_versions(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("author", "approver").order_by("-number")


def document_review_due(
    document: Document, effective: DocumentVersion | None
) -> datetime.date | None:
    """When the version in force is due for its periodic review, or None."""
    if effective is None:
        return None
    return add_months(effective.effective_from, document.review_interval_months)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "add", "del", "gap"
    old_number: int | None
    new_number: int | None
    text: str


def version_diff(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """A line-by-line difference between two texts, for a readable redline."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    lines: list[DiffLine] = []
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(
                    DiffLine("same", i1 + k + 1, j1 + k + 1, old_lines[i1 + k])
                    for k in range(i2 - i1)
                )
                continue
            if tag in ("replace", "delete"):
                lines.extend(
                    DiffLine("del", i + 1, None, old_lines[i]) for i in range(i1, i2)
                )
            if tag in ("replace", "insert"):
                lines.extend(
                    DiffLine("add", None, j + 1, new_lines[j]) for j in range(j1, j2)
                )
    return lines
