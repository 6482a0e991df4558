"""The landing page of the surveys area and the survey series."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qms.access import require_perm
from qms.areas import Area
from qms.forms import apply_validation_error
from qms.selectors import process_description

from .. import selectors, services
from ..forms import SeriesForm
from ..models import Series
from .common import form_context


@require_perm("surveys.view_wave")
def home(request: HttpRequest) -> HttpResponse:
    fieldwork = list(selectors.fieldwork_waves())
    for wave in fieldwork:
        wave.rr = wave.complete / wave.invited if wave.invited else None
    return render(
        request,
        "surveys/home.html",
        {
            "area": Area(Area.SURVEYS),
            "document": process_description(Area.SURVEYS),
            "series_list": (
                selectors.series_list()
                if request.user.has_perm("surveys.view_series")
                else None
            ),
            "fieldwork": fieldwork,
            "upcoming": selectors.upcoming_waves()[:20],
            "follow_ups": selectors.open_follow_ups()[:20],
        },
    )


@require_perm("surveys.view_series")
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(Series.objects.select_related("owner"), pk=pk)
    return render(
        request,
        "surveys/series_detail.html",
        {
            "series": series,
            "questionnaires": series.questionnaires.annotate(
                question_count=Count("questions")
            ),
            "waves": selectors.waves_of(series),
        },
    )


@require_perm("surveys.add_series")
def series_create(request: HttpRequest) -> HttpResponse:
    return _series_form(request, Series(owner=request.user))


@require_perm("surveys.change_series")
def series_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _series_form(request, get_object_or_404(Series, pk=pk))


def _series_form(request: HttpRequest, series: Series) -> HttpResponse:
    form = SeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_save(series=form.save(commit=False))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Series saved."))
            return redirect(series)
    return render(
        request, "surveys/form.html", form_context(form, series, _("Survey series"))
    )
