"""Root-cause analysis pages: analyses, 5 Whys, Ishikawa, Pareto, and the
root-cause category of a closed case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms import charts
from qms.access import require_perm
from qms.forms import apply_validation_error
from qms.periods import month_start

from ..models import IshikawaCause, RootCauseAnalysis, WhyStep
from ..monitoring.scope import Filters, apply_filters
from ..monitoring.views import default_period
from ..selectors import cases_visible_to, get_case_for_user
from . import selectors, services
from .fishbone import fishbone_svg
from .forms import (
    AnalysisForm,
    CaseRootCauseForm,
    ConcludeForm,
    IshikawaCauseForm,
    ParetoForm,
    WhyStepForm,
)

PAGE_SIZE = 25
VIEW = "complaints.view_rootcauseanalysis"
ADD = "complaints.add_rootcauseanalysis"
CHANGE = "complaints.change_rootcauseanalysis"


# --------------------------------------------------------------------------
# Analyses
# --------------------------------------------------------------------------


@require_perm(VIEW)
def analysis_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in RootCauseAnalysis.Status.values:
        status = ""
    page = Paginator(selectors.analysis_list(request.user, status=status), PAGE_SIZE)
    return render(
        request,
        "complaints/rca/analysis_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "status": status,
            "statuses": RootCauseAnalysis.Status.choices,
            "query": f"status={status}" if status else "",
        },
    )


@require_perm(ADD)
def analysis_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AnalysisForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                analysis = services.analysis_create(
                    title=data["title"],
                    problem_what=data["problem_what"],
                    problem_where=data["problem_where"],
                    problem_when=data["problem_when"],
                    problem_how_many=data["problem_how_many"],
                    lead=data["lead"],
                    team=data["team"],
                    cases=data["case_references"],
                    uses_five_whys=data["uses_five_whys"],
                    uses_ishikawa=data["uses_ishikawa"],
                    uses_pareto=data["uses_pareto"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Root-cause analysis started."))
                return redirect(analysis)
    else:
        initial = {"lead": request.user}
        reference = request.GET.get("case", "")
        if reference:
            case = get_case_for_user(request.user, reference)
            initial.update(
                case_references=case.reference,
                title=case.subject or str(case.category or case.reference),
                problem_what=case.subject or case.description[:300],
                problem_where=str(case.org_unit),
            )
        form = AnalysisForm(initial=initial, user=request.user)
    return render(
        request, "complaints/rca/analysis_form.html", {"form": form, "analysis": None}
    )


@require_perm(VIEW)
def analysis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = selectors.get_analysis_for_user(request.user, pk)
    steps = list(analysis.why_steps.order_by("order"))
    tree = selectors.ishikawa_tree(analysis)
    may_change = request.user.has_perm(CHANGE) and not analysis.is_concluded
    fishbone = ""
    if tree or analysis.uses_ishikawa:
        fishbone = fishbone_svg(
            analysis.effect,
            selectors.fishbone_data(analysis, tree),
            _("Ishikawa diagram: %(effect)s") % {"effect": analysis.effect},
        )
    context = {
        "analysis": analysis,
        "cases": selectors.analysis_cases(request.user, analysis),
        "team": analysis.team.order_by("first_name", "last_name"),
        "steps": steps,
        "human_error": services.human_error_warning(steps),
        "human_error_text": services.WARN_HUMAN_ERROR,
        "tree": tree,
        "fishbone": fishbone,
        "may_change": may_change,
        "may_reopen": request.user.has_perm(CHANGE) and analysis.is_concluded,
    }
    if may_change:
        context["step_form"] = WhyStepForm()
        context["cause_form"] = IshikawaCauseForm(analysis=analysis)
        context["conclude_form"] = ConcludeForm(
            initial={"verified_root_causes": services.suggested_root_causes(analysis)}
        )
    return render(request, "complaints/rca/analysis_detail.html", context)


@require_perm(CHANGE)
def analysis_update(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = selectors.get_analysis_for_user(request.user, pk, write=True)
    if analysis.is_concluded:
        messages.error(request, services.ERR_CONCLUDED)
        return redirect(analysis)
    if request.method == "POST":
        form = AnalysisForm(request.POST, instance=analysis, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                name: data[name]
                for name in AnalysisForm.Meta.fields
                if name not in ("team",)
            }
            try:
                services.analysis_update(
                    analysis=analysis,
                    by=request.user,
                    cases=data["case_references"],
                    team=data["team"],
                    **fields,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Analysis saved."))
                return redirect(analysis)
    else:
        form = AnalysisForm(instance=analysis, user=request.user)
    return render(
        request,
        "complaints/rca/analysis_form.html",
        {"form": form, "analysis": analysis},
    )


@require_POST
@require_perm(CHANGE)
def analysis_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = selectors.get_analysis_for_user(request.user, pk, write=True)
    form = ConcludeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.analysis_conclude(
                analysis=analysis,
                conclusion=data["conclusion"],
                verified_root_causes=data["verified_root_causes"],
                root_cause_category=data["root_cause_category"],
                apply_to_cases=data["apply_to_cases"],
                by=request.user,
            )
        except ValidationError as error:
            analysis.refresh_from_db()
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Analysis concluded."))
            if updated:
                messages.info(
                    request,
                    _("%(n)s closed cases got the root-cause category.")
                    % {"n": updated},
                )
            return redirect(analysis)
    for error in form.errors.values():
        for message in error:
            messages.error(request, message)
    return redirect(analysis)


@require_POST
@require_perm(CHANGE)
def analysis_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = selectors.get_analysis_for_user(request.user, pk, write=True)
    try:
        services.analysis_reopen(analysis=analysis, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Analysis reopened."))
    return redirect(analysis)


# --------------------------------------------------------------------------
# 5 Whys
# --------------------------------------------------------------------------


def _step(request: HttpRequest, pk: int, step_pk: int) -> WhyStep:
    analysis = selectors.get_analysis_for_user(request.user, pk, write=True)
    step = get_object_or_404(WhyStep, pk=step_pk, analysis=analysis)
    step.analysis = analysis
    return step


def _detail(analysis: RootCauseAnalysis, anchor: str) -> HttpResponse:
    return redirect(f"{analysis.get_absolute_url()}#{anchor}")


@require_POST
@require_perm(CHANGE)
def whystep_add(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = selectors.get_analysis_for_user(request.user, pk, write=True)
    form = WhyStepForm(request.POST)
    if form.is_valid():
        try:
            services.why_step_add(analysis=analysis, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Step added."))
    else:
        messages.error(request, _("The step was not added: fill in why and because."))
    return _detail(analysis, "five-whys")


@require_perm(CHANGE)
def whystep_update(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = _step(request, pk, step_pk)
    if request.method == "POST":
        form = WhyStepForm(request.POST, instance=step)
        if form.is_valid():
            try:
                services.why_step_update(step=step, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Step saved."))
                return _detail(step.analysis, "five-whys")
    else:
        form = WhyStepForm(instance=step)
    return render(
        request,
        "complaints/rca/item_form.html",
        {
            "form": form,
            "analysis": step.analysis,
            "heading": _("Edit why step %(n)s") % {"n": step.order},
        },
    )


@require_POST
@require_perm(CHANGE)
def whystep_delete(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = _step(request, pk, step_pk)
    try:
        services.why_step_delete(step=step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _detail(step.analysis, "five-whys")


@require_POST
@require_perm(CHANGE)
def whystep_move(
    request: HttpRequest, pk: int, step_pk: int, direction: str
) -> HttpResponse:
    step = _step(request, pk, step_pk)
    try:
        services.why_step_move(step=step, up=direction == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _detail(step.analysis, "five-whys")


# --------------------------------------------------------------------------
# Ishikawa
# --------------------------------------------------------------------------


@require_POST
@require_perm(CHANGE)
def cause_add(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = selectors.get_analysis_for_user(request.user, pk, write=True)
    form = IshikawaCauseForm(request.POST, analysis=analysis)
    if form.is_valid():
        try:
            services.cause_add(analysis=analysis, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Cause added."))
    else:
        messages.error(request, _("The cause was not added: check the fields."))
    return _detail(analysis, "ishikawa")


def _cause(request: HttpRequest, pk: int, cause_pk: int) -> IshikawaCause:
    analysis = selectors.get_analysis_for_user(request.user, pk, write=True)
    cause = get_object_or_404(IshikawaCause, pk=cause_pk, analysis=analysis)
    cause.analysis = analysis
    return cause


@require_perm(CHANGE)
def cause_update(request: HttpRequest, pk: int, cause_pk: int) -> HttpResponse:
    cause = _cause(request, pk, cause_pk)
    if request.method == "POST":
        form = IshikawaCauseForm(request.POST, instance=cause, analysis=cause.analysis)
        if form.is_valid():
            try:
                services.cause_update(cause=cause, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Cause saved."))
                return _detail(cause.analysis, "ishikawa")
    else:
        form = IshikawaCauseForm(instance=cause, analysis=cause.analysis)
    return render(
        request,
        "complaints/rca/item_form.html",
        {"form": form, "analysis": cause.analysis, "heading": _("Edit cause")},
    )


@require_POST
@require_perm(CHANGE)
def cause_delete(request: HttpRequest, pk: int, cause_pk: int) -> HttpResponse:
    cause = _cause(request, pk, cause_pk)
    try:
        services.cause_delete(cause=cause)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _detail(cause.analysis, "ishikawa")


# --------------------------------------------------------------------------
# Root-cause category of a closed case
# --------------------------------------------------------------------------


@require_perm("complaints.handle_case")
def case_root_cause(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, write=True)
    if not case.is_closed:
        messages.error(request, services.ERR_CASE_NOT_CLOSED)
        return redirect(case)
    if request.method == "POST":
        form = CaseRootCauseForm(request.POST)
        if form.is_valid():
            services.case_set_root_cause(
                case=case,
                category=form.cleaned_data["root_cause_category"],
                by=request.user,
            )
            messages.success(request, _("Root-cause category saved."))
            return redirect(case)
    else:
        form = CaseRootCauseForm(
            initial={"root_cause_category": case.root_cause_category}
        )
    return render(
        request, "complaints/rca/case_root_cause.html", {"form": form, "case": case}
    )


# --------------------------------------------------------------------------
# Pareto
# --------------------------------------------------------------------------


def _chart(breakdown: selectors.Breakdown, cut: float, title: str, y_label: str) -> str:
    if not breakdown.rows or not breakdown.total:
        return ""
    return charts.pareto_chart_svg(
        [r.label for r in breakdown.rows],
        [r.value for r in breakdown.rows],
        [r.cumulative_share for r in breakdown.rows],
        cut,
        title,
        y_label,
        vital_few=[r.vital_few for r in breakdown.rows],
    )


def _percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{formats.number_format(round(100 * value, 1), 1, use_l10n=True)} %"


def _table_row(row) -> dict:
    return {
        "label": row.label,
        "value": row.value,
        "vital_few": row.vital_few,
        "share_text": _percent(row.share),
        "cumulative_text": _percent(row.cumulative_share),
    }


@require_perm("complaints.view_case")
def pareto(request: HttpRequest) -> HttpResponse:
    form = ParetoForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start, end = default_period(timezone.localdate())
    if data.get("start") or data.get("end"):
        first = data.get("start") or month_start(data["end"], -11)
        last = data.get("end") or month_start(first, 11)
        start, end = first, month_start(last, 1)
    cut = (data.get("cut") or 80) / 100
    level = data.get("level") or selectors.MAIN
    cases = selectors.in_period(
        apply_filters(cases_visible_to(request.user), Filters.from_dict(data)),
        start,
        end,
    )
    sections = []
    for key, title, y_label, unit in (
        (selectors.BY_CATEGORY, _("Cases by category"), _("Cases"), ""),
        (selectors.BY_ROOT_CAUSE, _("Cases by root-cause category"), _("Cases"), ""),
        (selectors.BY_COST, _("Remedy cost by category"), _("Euro"), "€"),
    ):
        breakdown = selectors.pareto_breakdown(cases, key, level=level, cut=cut)
        sections.append(
            {
                "key": key,
                "title": title,
                "unit": unit,
                "breakdown": breakdown,
                "chart": _chart(breakdown, cut, title, y_label),
                "table": [_table_row(row) for row in breakdown.rows],
            }
        )
    return render(
        request,
        "complaints/rca/pareto.html",
        {
            "form": form,
            "start": start,
            "last_month": month_start(end, -1),
            "cut": cut,
            "cut_label": f"{round(cut * 100)} %",
            "sections": sections,
        },
    )
