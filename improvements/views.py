"""Pages of the improvement system: overview, proposals, plans, actions."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms import charts, measures
from qms.access import get_for_user, require_perm
from qms.areas import Area
from qms.forms import apply_validation_error
from qms.selectors import process_description
from qms.workflow import run_transition

from . import origins, selectors, services
from .access import can_edit_action, can_edit_plan
from .forms import (
    ActionEditForm,
    ActionForm,
    CriterionForm,
    DecisionForm,
    NotEffectiveForm,
    PlanFilterForm,
    PlanForm,
    ProposalForm,
    ToPlanForm,
)
from .models import Action, Plan, Proposal

# The plan steps its page's buttons take; the others have pages of their own.
PLAN_PAGE_STEPS = ("start", "implement", "resume")

PAGE_SIZE = 25


# --------------------------------------------------------------------------
# Overview
# --------------------------------------------------------------------------


@require_perm("improvements.view_plan")
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = selectors.overview(today)
    context.update(
        today=today,
        area=Area(Area.IMPROVEMENTS),
        document=process_description(Area.IMPROVEMENTS),
    )
    return render(request, "improvements/home.html", context)


# --------------------------------------------------------------------------
# Proposals
# --------------------------------------------------------------------------


@require_perm("improvements.view_proposal")
def proposal_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.proposals()
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "improvements/proposal_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Proposal.Status.choices,
            "query": f"status={status}" if status else "",
            "heading": _("Improvement proposals"),
        },
    )


@require_perm("improvements.add_proposal")
def proposal_mine(request: HttpRequest) -> HttpResponse:
    queryset = selectors.proposals().filter(proposer=request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "improvements/proposal_list.html",
        {"page": page, "mine": True, "heading": _("My proposals")},
    )


@require_perm("improvements.add_proposal")
def proposal_create(request: HttpRequest) -> HttpResponse:
    ref = request.POST.get("origin") or request.GET.get("origin") or ""
    origin = None
    if ref:
        try:
            origin = origins.resolve(ref)[1]
        except ValidationError as error:
            raise Http404(error.messages[0]) from None
    if request.method == "POST":
        form = ProposalForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            proposal = services.proposal_submit(
                title=data["title"],
                description=data["description"],
                expected_benefit=data["expected_benefit"],
                area=data["area"],
                origin=data["origin"],
                proposer=request.user,
            )
            messages.success(request, _("Thank you: your proposal was submitted."))
            return redirect(proposal)
    else:
        form = ProposalForm(initial={"origin": ref})
    return render(
        request,
        "improvements/proposal_form.html",
        {"form": form, "origin": origin, "origin_url": origins.link_of(origin)},
    )


def _get_proposal(request: HttpRequest, pk: int) -> Proposal:
    return get_for_user(selectors.proposals(), request.user, pk)


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get_proposal(request, pk)
    links = selectors.attach_origins([proposal])
    return render(
        request,
        "improvements/proposal_detail.html",
        {
            "proposal": proposal,
            "origin": links[0].record,
            "origin_url": origins.link_of(links[0].record),
            "decision_form": DecisionForm(),
            "plan_form": ToPlanForm(initial={"type": Plan.Type.CORRECTIVE}),
        },
    )


@require_POST
@require_perm("improvements.decide_proposal")
def proposal_review(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get_proposal(request, pk)
    try:
        services.proposal_review(proposal=proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(proposal)


@require_perm("improvements.decide_proposal")
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get_proposal(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_decide(
                proposal=proposal,
                by=request.user,
                accept=form.cleaned_data["decision"] == DecisionForm.ACCEPT,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The decision was recorded and sent."))
            return redirect(proposal)
    return render(
        request,
        "improvements/proposal_decide.html",
        {"proposal": proposal, "form": form},
    )


@require_POST
@require_perm("improvements.add_plan")
def proposal_plan(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _get_proposal(request, pk)
    form = ToPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the plan's owner and type."))
        return redirect(proposal)
    try:
        plan = services.proposal_to_plan(
            proposal=proposal,
            by=request.user,
            owner=form.cleaned_data["owner"],
            plan_type=form.cleaned_data["type"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(proposal)
    messages.success(request, _("The plan was created from the proposal."))
    return redirect(plan)


# --------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------


@require_perm("improvements.view_plan")
def plan_list(request: HttpRequest) -> HttpResponse:
    form = PlanFilterForm(request.GET or None)
    queryset = selectors.plans()
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["type"]:
            queryset = queryset.filter(type=data["type"])
        if data["owner"]:
            queryset = queryset.filter(owner=data["owner"])
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "improvements/plan_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_perm("improvements.add_plan")
def plan_create(request: HttpRequest) -> HttpResponse:
    ref = request.GET.get("origin") or request.POST.get("origin") or ""
    origin = None
    if ref:
        try:
            origin = origins.resolve(ref)[1]
        except ValidationError as error:
            raise Http404(error.messages[0]) from None
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                title=data["title"],
                problem=data["problem"],
                scope=data["scope"],
                plan_type=data["type"],
                area=data["area"],
                owner=data["owner"],
                team=list(data["team"]),
                by=request.user,
                origins=[origin] if origin is not None else [],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The plan was created."))
            return redirect(plan)
    return render(
        request,
        "improvements/plan_form.html",
        {"form": form, "origin": origin, "ref": ref},
    )


def _get_plan(request: HttpRequest, pk: int, *, write: bool = False) -> Plan:
    return get_for_user(selectors.plan_detail(pk), request.user, write=write)


def _chart(plan: Plan, today: datetime.date) -> str | None:
    """Monthly indicator from the baseline to the end of the follow-up, the
    implementation month marked by its own series."""
    if not plan.has_criterion:
        return None
    try:
        measure = measures.get(plan.measure_key)
    except KeyError:
        return None
    end = plan.follow_up_end or today
    end = min(max(end, plan.baseline_end), today + datetime.timedelta(days=1))
    points = measure.points(
        plan.baseline_start, end, period="month", filters=plan.measure_filters
    )
    if not points:
        return None
    values = [measure.value(p) for p in points]
    labels = [p.start.strftime("%Y-%m") for p in points]
    marker = [
        value
        if plan.implemented_on and p.start <= plan.implemented_on < p.end
        else None
        for p, value in zip(points, values, strict=True)
    ]
    baseline = [
        value if p.start < plan.baseline_end else None
        for p, value in zip(points, values, strict=True)
    ]
    series = {
        str(measure.label): values,
        _("Baseline period"): baseline,
        _("Implemented"): marker,
    }
    return charts.line_chart_svg(
        labels,
        series,
        _("%(indicator)s over time") % {"indicator": measure.label},
        str(measure.unit),
        percent=measure.kind == measures.SHARE,
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    today = timezone.localdate()
    user = request.user
    editable = can_edit_plan(user, plan)
    measure = None
    if plan.measure_key:
        try:
            measure = measures.get(plan.measure_key)
        except KeyError:
            measure = None
    checks = list(plan.checks.all())
    actions = list(plan.actions.all())
    for action in actions:
        action.overdue = action.is_overdue(today)
        action.editable = can_edit_action(user, action)
    return render(
        request,
        "improvements/plan_detail.html",
        {
            "plan": plan,
            "today": today,
            "editable": editable,
            "measure": measure,
            "origins": selectors.origin_links(plan),
            "actions": actions,
            "checks": checks,
            "latest_check": checks[0] if checks else None,
            "chart": _chart(plan, today),
            "can_add_action": user.has_perm("improvements.add_action") and editable,
            "can_approve": user.has_perm("improvements.approve_plan")
            and plan.approved_by_id is None
            and plan.owner_id != user.pk,
            "can_verify": user.has_perm("improvements.verify_effectiveness"),
            "not_effective_form": NotEffectiveForm(),
            "follow_up_end": plan.follow_up_end,
        },
    )


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk, write=True)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:  # changed meanwhile (EditConflict)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    return render(request, "improvements/plan_form.html", {"form": form, "plan": plan})


def plan_criterion(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk, write=True)
    if plan.criterion_locked:
        messages.error(request, str(services.ERR_CRITERION_LOCKED))
        return redirect(plan)
    initial = {
        "measure_key": plan.measure_key,
        "filters": plan.measure_filters,
        "baseline_start": plan.baseline_start,
        "baseline_end": plan.baseline_end,
        "target": plan.target,
        "follow_up_days": plan.follow_up_days or 90,
    }
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_set_criterion(
                plan=plan,
                measure_key=data["measure_key"],
                filters=data["filters"],
                baseline_start=data["baseline_start"],
                baseline_end=data["baseline_end"],
                target=data["target"],
                follow_up_days=data["follow_up_days"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The effectiveness criterion was fixed."))
            return redirect(plan)
    return render(
        request, "improvements/plan_criterion.html", {"form": form, "plan": plan}
    )


@require_POST
@require_perm("improvements.approve_plan")
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    try:
        services.plan_approve(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The plan was approved."))
    return redirect(plan)


@require_POST
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """A step from the plan page's buttons. Checking effectiveness, closing
    on a verdict and reopening have their own pages and permission."""
    plan = _get_plan(request, pk, write=True)
    step = request.POST.get("step") or ""
    target = request.POST.get("to") or ""
    if (step and step not in PLAN_PAGE_STEPS) or target in (
        Plan.Status.EFFECTIVENESS_CHECK,
        Plan.Status.CLOSED_EFFECTIVE,
        Plan.Status.CLOSED_NOT_EFFECTIVE,
    ):
        raise PermissionDenied
    run_transition(
        request,
        services.PLAN_WORKFLOW,
        plan,
        success=_("The plan's status was changed."),
    )
    return redirect(plan)


@require_POST
@require_perm("improvements.verify_effectiveness")
def plan_check(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    try:
        services.run_effectiveness_check(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The effectiveness check was computed."))
    return redirect(plan)


@require_POST
@require_perm("improvements.verify_effectiveness")
def plan_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    try:
        services.effectiveness_record(
            plan=plan, by=request.user, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The verdict was recorded."))
    return redirect(plan)


@require_POST
@require_perm("improvements.verify_effectiveness")
def plan_not_effective(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    form = NotEffectiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to reopen or follow up."))
        return redirect(plan)
    comment = form.cleaned_data["comment"]
    try:
        if form.cleaned_data["choice"] == NotEffectiveForm.REOPEN:
            services.plan_reopen(plan=plan, by=request.user, comment=comment)
            target = plan
        else:
            target = services.plan_follow_up(
                plan=plan, by=request.user, comment=comment
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    return redirect(target)


# --------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------


@require_perm("improvements.add_action")
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk, write=True)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_create(
                plan=plan,
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
                action_type=data["type"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The action was added."))
            return redirect(plan)
    return render(
        request, "improvements/action_form.html", {"form": form, "plan": plan}
    )


def _get_action(request: HttpRequest, pk: int, *, write: bool = False) -> Action:
    return get_for_user(selectors.actions(), request.user, pk, write=write)


def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _get_action(request, pk)
    editable = can_edit_action(request.user, action)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = ActionEditForm(request.POST or None, request.FILES or None, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                action=action,
                by=request.user,
                status=form.cleaned_data["status"],
                evidence=form.cleaned_data["evidence"],
                evidence_file=form.cleaned_data["evidence_file"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The action was saved."))
            return redirect(action.plan)
    return render(
        request,
        "improvements/action_edit.html",
        {
            "action": action,
            "form": form,
            "editable": editable,
            "overdue": action.is_overdue(),
        },
    )


def action_evidence(request: HttpRequest, pk: int) -> FileResponse:
    action = _get_action(request, pk)
    if not action.evidence_file:
        raise Http404
    return FileResponse(action.evidence_file.open("rb"), as_attachment=True)


@require_perm("improvements.view_action")
def action_mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    queryset = selectors.actions().filter(owner=request.user)
    if request.GET.get("all") != "1":
        queryset = queryset.open()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for action in page:
        action.overdue = action.is_overdue(today)
    return render(
        request,
        "improvements/action_mine.html",
        {"page": page, "show_all": request.GET.get("all") == "1", "today": today},
    )
