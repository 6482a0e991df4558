"""Pages of evaluations: the scorecard, one evaluation, the list with filters
and exports, and the employee's own evaluations with confirm / dispute."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.access import require_perm
from qms.exports import table_response
from qms.forms import apply_validation_error

from . import selectors, services
from .forms import (
    EvaluationFilterForm,
    EvaluationForm,
    EvaluationStartForm,
    RespondForm,
)
from .models import CalibrationSession, Evaluation

PAGE_SIZE = 25
PREFILL = ("reference", "channel", "employee", "interaction_type")


@require_perm("standards.add_evaluation")
def evaluation_create(request: HttpRequest) -> HttpResponse:
    """Step one (GET without a complete standard and date) picks the standard
    and date; step two shows every criterion of the version in force then."""
    source = request.POST if request.method == "POST" else request.GET
    start = EvaluationStartForm(source or None)
    if not start.is_valid():
        return render(request, "standards/evaluation_start.html", {"form": start})
    standard = start.cleaned_data["standard"]
    day = start.cleaned_data["interaction_date"]
    try:
        version = services.version_in_force(standard=standard, on=day)
    except ValidationError as error:
        apply_validation_error(start, error)
        return render(request, "standards/evaluation_start.html", {"form": start})
    criteria = selectors.criteria(version)
    calibration = None
    if source.get("calibration"):
        calibration = get_object_or_404(
            CalibrationSession, pk=source.get("calibration")
        )
    if request.method == "POST":
        form = EvaluationForm(request.POST, standard=standard, criteria=criteria)
    else:
        initial = {name: request.GET[name] for name in PREFILL if name in request.GET}
        form = EvaluationForm(initial=initial, standard=standard, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.evaluation_create(
                standard=standard,
                interaction_type=data["interaction_type"],
                reference=data["reference"],
                interaction_date=day,
                channel=data["channel"],
                employee=data["employee"],
                evaluator=request.user,
                answers=form.answers(),
                comments=data["comments"],
                version=version,
                criteria=list(criteria),
                calibration=calibration,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Evaluation saved."))
            if calibration is not None:
                return redirect(calibration)
            return redirect(evaluation)
    return render(
        request,
        "standards/evaluation_form.html",
        {
            "form": form,
            "start": start,
            "standard": standard,
            "version": version,
            "calibration": calibration,
        },
    )


@require_perm("standards.view_evaluation")
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_detail(request.user, pk)
    may_respond = (
        evaluation.employee_id == request.user.pk
        and evaluation.status == Evaluation.Status.SUBMITTED
        and request.user.has_perm("standards.respond_evaluation")
    )
    return render(
        request,
        "standards/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "may_respond": may_respond,
            "respond_form": RespondForm(),
        },
    )


@require_POST
@require_perm("standards.respond_evaluation")
def evaluation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_detail(request.user, pk)
    if evaluation.employee_id != request.user.pk:
        raise PermissionDenied
    form = RespondForm(request.POST)
    form.is_valid()
    try:
        services.evaluation_respond(
            evaluation=evaluation,
            by=request.user,
            confirm=request.POST.get("action") == "confirm",
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Thank you, your answer is recorded."))
    return redirect(evaluation)


def _filters(form: EvaluationFilterForm) -> selectors.EvaluationFilters:
    if not form.is_valid():
        return selectors.EvaluationFilters()
    data = form.cleaned_data
    return selectors.EvaluationFilters(
        channel=data["channel"].pk if data["channel"] else None,
        unit=data["unit"].pk if data["unit"] else None,
        employee=data["employee"].pk if data["employee"] else None,
        month=data["month"].replace(day=1) if data["month"] else None,
        status=data["status"],
    )


EXPORT_HEADER = (
    "id",
    "reference",
    "interaction_date",
    "interaction_type",
    "standard",
    "version",
    "channel",
    "employee",
    "evaluator",
    "unit",
    "score",
    "critical_fail",
    "compliant",
    "status",
)


def _export_row(e: Evaluation) -> list:
    return [
        e.pk,
        e.reference,
        e.interaction_date.isoformat(),
        e.interaction_type,
        e.standard.document.identifier,
        e.version.number,
        e.channel.code,
        e.employee.get_username(),
        e.evaluator.get_username(),
        e.org_unit.code if e.org_unit else "",
        "" if e.score is None else float(e.score),
        int(e.critical_fail),
        int(e.compliant),
        e.status,
    ]


def _list_page(request: HttpRequest, *, mine: bool) -> HttpResponse:
    form = EvaluationFilterForm(request.GET or None)
    filters = _filters(form)
    if mine:
        filters.employee = request.user.pk
    evaluations = selectors.evaluation_list(request.user, filters)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return table_response(
            header=EXPORT_HEADER,
            items=evaluations.iterator(chunk_size=500),
            row=_export_row,
            kind=export,
            name="evaluations",
        )
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "standards/evaluation_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "mine": mine},
    )


@require_perm("standards.view_evaluation")
def evaluation_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, mine=False)


@require_perm("standards.view_evaluation")
def my_evaluations(request: HttpRequest) -> HttpResponse:
    return _list_page(request, mine=True)
