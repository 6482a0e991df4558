"""CSV and XLSX export of the (filtered) needs registry."""

from __future__ import annotations

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class _Echo:
    def write(self, value):
        return value


def export(queryset, kind: str) -> HttpResponse:
    header = [str(label) for _key, label in EXPORT_COLUMNS]
    # Prefetching needs chunked iteration with a chunk size.
    rows = queryset.iterator(chunk_size=2000)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"
            yield writer.writerow(header)
            for need in rows:
                yield writer.writerow(row(need))

        response = StreamingHttpResponse(lines(), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="needs-{stamp}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Needs")
    sheet.append(header)
    for need in rows:
        sheet.append(row(need))
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="needs-{stamp}.xlsx"'
    workbook.save(response)
    return response
