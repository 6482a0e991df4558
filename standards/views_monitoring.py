"""Pages for sampling plans, calibration sessions and the CSV imports of
interactions, timeliness figures and evaluations."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qms.access import require_perm

from . import calibration, importing, sampling
from .forms import CalibrationForm, ImportForm, SamplingPlanForm
from .models import CalibrationSession, SamplingPlan, TimelinessFigure


def _month(request: HttpRequest) -> datetime.date:
    text = request.GET.get("month", "")
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def _run_import(request: HttpRequest, run) -> tuple[ImportForm, object]:
    """Check or import an uploaded file; returns the form and the result."""
    if request.method != "POST":
        return ImportForm(), None
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    dry_run = request.POST.get("action") != "import"
    try:
        text = importing.decode(form.cleaned_data["file"].read())
    except ValidationError as error:
        form.add_error("file", error)
        return form, None
    result = run(text, dry_run)
    if result.saved:
        messages.success(
            request,
            ngettext("%(n)d row imported.", "%(n)d rows imported.", result.saved)
            % {"n": result.saved},
        )
    elif not dry_run and result.errors:
        messages.error(request, _("Nothing was imported: correct the errors first."))
    return form, result


def _import_page(request, form, result, *, title, columns, note="", back=None):
    return render(
        request,
        "standards/import.html",
        {
            "form": form,
            "result": result,
            "preview": result.rows[: importing.PREVIEW_LIMIT] if result else [],
            "title": title,
            "columns": columns,
            "note": note,
            "back": back,
        },
    )


# --- sampling ------------------------------------------------------------------


@require_perm("standards.view_samplingplan")
def plan_list(request: HttpRequest) -> HttpResponse:
    form = SamplingPlanForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("standards.add_samplingplan"):
            raise PermissionDenied
        if form.is_valid():
            plan = form.save()
            return redirect(plan)
    plans = SamplingPlan.objects.select_related("channel", "org_unit")
    return render(request, "standards/plan_list.html", {"plans": plans, "form": form})


@require_perm("standards.view_samplingplan")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        SamplingPlan.objects.select_related("channel", "org_unit"), pk=pk
    )
    month = _month(request)
    rows = sampling.plan_progress(plan, month)
    standard = sampling.standard_for_channel(plan.channel_id)
    for row in rows:
        for interaction in row.to_evaluate:
            interaction.evaluate_url = (
                reverse("standards:evaluation-create")
                + "?"
                + urlencode(
                    {
                        "standard": standard.pk if standard else "",
                        "interaction_date": interaction.date.isoformat(),
                        "reference": interaction.reference,
                        "channel": plan.channel_id,
                        "employee": interaction.employee_id,
                    }
                )
            )
    return render(
        request,
        "standards/plan_detail.html",
        {
            "plan": plan,
            "month": month,
            "rows": rows,
            "planned": sum(r.planned for r in rows),
            "done": sum(min(r.done, r.planned) for r in rows),
            "form": ImportForm(),
        },
    )


@require_perm("standards.add_interaction")
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(SamplingPlan, pk=pk)
    form, result = _run_import(
        request,
        lambda text, dry_run: importing.import_interactions(
            plan=plan, text=text, dry_run=dry_run
        ),
    )
    return _import_page(
        request,
        form,
        result,
        title=_("Import interactions for %(plan)s") % {"plan": plan},
        columns=importing.INTERACTION_COLUMNS,
        note=_(
            "The required number per employee and month is picked at random "
            "after the import; the same list always gives the same pick."
        ),
        back=plan.get_absolute_url(),
    )


# --- calibration -----------------------------------------------------------------


@require_perm("standards.view_calibrationsession")
def calibration_list(request: HttpRequest) -> HttpResponse:
    form = CalibrationForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("standards.add_calibrationsession"):
            raise PermissionDenied
        if form.is_valid():
            session = form.save(commit=False)
            session.created_by = request.user
            session.save()
            return redirect(session)
    sessions = CalibrationSession.objects.select_related("standard__document")
    return render(
        request,
        "standards/calibration_list.html",
        {"sessions": sessions, "form": form},
    )


@require_perm("standards.view_calibrationsession")
def calibration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        CalibrationSession.objects.select_related("standard__document"), pk=pk
    )
    agreement = calibration.session_agreement(session)
    score_url = (
        reverse("standards:evaluation-create")
        + "?"
        + urlencode(
            {
                "standard": session.standard_id,
                "interaction_date": session.interaction_date.isoformat(),
                "reference": session.reference,
                "calibration": session.pk,
            }
        )
    )
    return render(
        request,
        "standards/calibration_detail.html",
        {
            "session": session,
            "agreement": agreement,
            "score_url": score_url,
            "poor": calibration.POOR_AGREEMENT,
        },
    )


# --- imports ---------------------------------------------------------------------


@require_perm("standards.add_timelinessfigure")
def timeliness_import(request: HttpRequest) -> HttpResponse:
    form, result = _run_import(
        request,
        lambda text, dry_run: importing.import_timeliness(text=text, dry_run=dry_run),
    )
    metrics = ", ".join(TimelinessFigure.Metric.values)
    return _import_page(
        request,
        form,
        result,
        title=_("Import timeliness figures"),
        columns=importing.TIMELINESS_COLUMNS,
        note=_(
            "One row per day, channel and metric (%(metrics)s): count and "
            "within_target, or a single value measured against the target of "
            "the standard in force."
        )
        % {"metrics": metrics},
        back=reverse("standards:results"),
    )


# Imports name any evaluator, so only those who see every evaluation may.
@require_perm("standards.add_evaluation", "standards.view_all_evaluations")
def evaluation_import(request: HttpRequest) -> HttpResponse:
    form, result = _run_import(
        request,
        lambda text, dry_run: importing.import_evaluations(
            text=text, dry_run=dry_run, by=request.user
        ),
    )
    return _import_page(
        request,
        form,
        result,
        title=_("Import evaluations"),
        columns=importing.EVALUATION_FIXED,
        note=importing.EVALUATION_HELP,
        back=reverse("standards:evaluation-list"),
    )
