"""Lists downloaded as CSV (streamed, so any length fits) or XLSX."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


class _Echo:
    """A file-like object whose write() returns the line, for streaming."""

    def write(self, value):
        return value


def table_response(
    *,
    header: Sequence[str],
    items: Iterable,
    row: Callable[[object], Sequence],
    kind: str,
    name: str,
) -> HttpResponse:
    """A download of ``items`` as rows (``row(item)``) under ``header``;
    ``kind`` is "csv" or "xlsx"; the file is named ``<name>-<timestamp>``."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    disposition = f'attachment; filename="{name}-{stamp}.{kind}"'
    if kind == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # Excel opens UTF-8 with a BOM correctly.
            yield writer.writerow(header)
            for item in items:
                yield writer.writerow(row(item))

        response = StreamingHttpResponse(lines(), content_type="text/csv")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append(list(header))
        for item in items:
            sheet.append(list(row(item)))
        response = HttpResponse(content_type=XLSX)
        workbook.save(response)
    response["Content-Disposition"] = disposition
    return response
