"""Monitoring page of the needs process and the CSV import page."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.access import require_perm

from . import importing, monitoring
from .forms import ImportForm


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today.replace(day=1) - datetime.timedelta(days=365)
        start = start.replace(day=1)
    try:
        end = datetime.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today + datetime.timedelta(days=1)
    return start, end


@require_perm("needs.view_need")
def monitoring_page(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    figures = monitoring.figures(start, end)
    grids = []
    for segment, points in monitoring.grid_points().items():
        name = segment or _("No segment")
        grids.append(
            {
                "segment": name,
                "svg": monitoring.grid_svg(
                    points,
                    _("Importance and performance: %(segment)s") % {"segment": name},
                ),
                "gaps": [p for p in points if p.is_gap],
                "n": len(points),
            }
        )
    sources = sorted({s for row in figures.by_month_source.values() for s in row})
    from .models import Need

    return render(
        request,
        "needs/monitoring.html",
        {
            "figures": figures,
            "grids": grids,
            "sources": [(s, Need.Source(s).label) for s in sources],
            "months": [
                (month, [row.get(s, 0) for s in sources])
                for month, row in figures.by_month_source.items()
            ],
            "decision_within": monitoring.DECISION_WITHIN_DAYS,
        },
    )


@require_perm("needs.add_need")
def need_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importing.import_needs(
            form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            by=request.user,
        )
        if result.created:
            messages.success(
                request, _("%(count)s needs imported.") % {"count": result.created}
            )
        elif result.ok:
            messages.info(request, _("All rows are valid; nothing saved yet."))
        else:
            messages.error(request, _("Nothing was saved: correct the errors below."))
    return render(
        request,
        "needs/import.html",
        {"form": form, "result": result, "columns": importing.COLUMNS},
    )
