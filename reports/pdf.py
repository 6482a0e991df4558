"""The report as a PDF (WeasyPrint): A4, cover, table of contents with page
numbers, running header and footer, SVG charts, tables whose header repeats
on every page, methods appendix. The stylesheet is static/reports/report_pdf.css.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

PDF_CSS = "reports/report_pdf.css"


def _stylesheet() -> str:
    found = finders.find(PDF_CSS)
    if found:
        return str(found)
    return str(Path(settings.BASE_DIR) / "static" / PDF_CSS)


def organisation_name() -> str:
    from qms.models import OrgUnit

    name = getattr(settings, "REPORTS_ORGANISATION", "")
    if name:
        return name
    root = (
        OrgUnit.objects.filter(parent__isnull=True, is_active=True)
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
    )
    return root or "QMS"


def render_html(report, content: dict) -> str:
    with translation.override(report.language):
        return render_to_string(
            "reports/report_pdf.html",
            {
                "report": report,
                "content": content,
                "organisation": organisation_name(),
            },
        )


def render_pdf(report, content: dict) -> bytes:
    """PDF bytes of ``report`` showing ``content`` (a built or frozen report)."""
    from weasyprint import CSS, HTML

    # WeasyPrint reports every CSS property of the SVG charts it ignores.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    html = render_html(report, content)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=_stylesheet())]
    )
