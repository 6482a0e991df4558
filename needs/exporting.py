"""CSV and XLSX export of the (filtered) needs registry."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from qms.exports import table_response

from .models import Need

EXPORT_COLUMNS = [
    ("reference", _("Reference")),
    ("statement", _("Statement")),
    ("status", _("Status")),
    ("requirement_class", _("Requirement class")),
    ("expectation", _("Expectation type")),
    ("kano", _("Kano class")),
    ("importance", _("Importance")),
    ("performance", _("Performance")),
    ("source", _("Source")),
    ("segments", _("Segments")),
    ("service", _("Service or product")),
    ("owner", _("Owner")),
    ("identified_on", _("Identified on")),
    ("next_review_date", _("Next review")),
]


def row(need: Need) -> list:
    return [
        need.reference,
        need.statement,
        need.get_status_display(),
        need.get_requirement_class_display(),
        need.get_expectation_display(),
        need.get_kano_display(),
        need.importance,
        need.performance,
        need.get_source_display(),
        ", ".join(s.code for s in need.segments.all()),
        need.service.code if need.service else "",
        need.owner.get_username() if need.owner else "",
        need.identified_on.isoformat(),
        need.next_review_date.isoformat() if need.next_review_date else "",
    ]


def export(queryset, kind: str) -> HttpResponse:
    return table_response(
        header=[str(label) for _key, label in EXPORT_COLUMNS],
        # Prefetching needs chunked iteration with a chunk size.
        items=queryset.iterator(chunk_size=2000),
        row=row,
        kind=kind,
        name="needs",
    )
