"""Pages of the needs registry: list, detail, edit, review, decide, links,
coverage, capture from a complaint."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms import selectors as core_selectors
from qms.access import require_perm
from qms.areas import Area
from qms.forms import apply_validation_error, errors_to_messages
from qms.workflow import run_transition

from . import exporting, selectors, services
from .access import get_need_for_user, may_decide, may_edit
from .filters import NeedFilter
from .forms import LinkForm, NeedForm, ReviewForm
from .models import Need, NeedLink

PAGE_SIZE = 25


@require_perm("needs.view_need")
def need_list(request: HttpRequest) -> HttpResponse:
    filterset = NeedFilter(request.GET, queryset=selectors.need_list())
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return exporting.export(filterset.qs, export)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "needs/need_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "process": core_selectors.process_description(Area.NEEDS),
        },
    )


@require_perm("needs.view_need")
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need_for_user(request.user, pk)
    decide = may_decide(request.user, need)
    return render(
        request,
        "needs/need_detail.html",
        {
            "need": need,
            "editable": may_edit(request.user, need),
            "can_decide": decide,
            "transitions": services.WORKFLOW.targets(need),
            "review_form": ReviewForm(),
            "link_form": LinkForm() if decide else None,
            "reviews": need.reviews.select_related("reviewed_by"),
            "links": need.links.select_related("target_type"),
            "conflicts": selectors.open_conflicts(need),
            "history": need.transitions.select_related("by"),
            "segments": need.segments.all(),
            "source_record": _source_record(need),
        },
    )


def _source_record(need: Need):
    if need.source_type_id is None:
        return None
    model = need.source_type.model_class()
    return model._default_manager.filter(pk=need.source_id).first() if model else None


def _save_form(request, form: NeedForm, need: Need) -> Need | None:
    if not form.is_valid():
        return None
    need = form.save(commit=False)
    try:
        return services.need_save(
            need=need,
            by=request.user,
            segments=form.cleaned_data["segments"],
            conflicts=form.cleaned_data["conflicts_with"],
        )
    except ValidationError as error:
        apply_validation_error(form, error)
    return None


@require_perm("needs.add_need")
def need_create(request: HttpRequest) -> HttpResponse:
    form = NeedForm(request.POST or None)
    if request.method == "POST":
        need = _save_form(request, form, Need())
        if need is not None:
            messages.success(
                request, _("Need %(ref)s recorded.") % {"ref": need.reference}
            )
            return redirect(need)
    return render(request, "needs/need_form.html", {"form": form, "need": None})


@require_perm("needs.view_need")
def need_update(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need_for_user(request.user, pk, write=True)
    form = NeedForm(request.POST or None, instance=need)
    if request.method == "POST":
        saved = _save_form(request, form, need)
        if saved is not None:
            messages.success(
                request, _("Need %(ref)s saved.") % {"ref": saved.reference}
            )
            if saved.links_need_review:
                messages.warning(
                    request,
                    _("The statement changed: review the linked records below."),
                )
            return redirect(saved)
    return render(request, "needs/need_form.html", {"form": form, "need": need})


@require_perm("needs.view_need")
def need_review(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need_for_user(request.user, pk, decide=True)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_review(need=need, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect(need)
    return render(request, "needs/need_review.html", {"form": form, "need": need})


@require_POST
@require_perm("needs.view_need")
def need_transition(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need_for_user(request.user, pk, decide=True)
    run_transition(request, services.WORKFLOW, need)
    return redirect(need)


@require_POST
@require_perm("needs.view_need")
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need_for_user(request.user, pk, decide=True)
    form = LinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(need)
    try:
        services.link_add(
            need=need,
            target=form.cleaned_data["target"],
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("Link added."))
    return redirect(need)


@require_POST
@require_perm("needs.view_need")
def link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    need = get_need_for_user(request.user, pk, decide=True)
    link = get_object_or_404(NeedLink, pk=link_pk, need=need)
    services.link_remove(link=link)
    messages.success(request, _("Link removed."))
    return redirect(need)


@require_POST
@require_perm("needs.view_need")
def links_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need_for_user(request.user, pk, decide=True)
    services.links_reviewed(need=need, by=request.user)
    messages.success(request, _("Linked records marked as reviewed."))
    return redirect(need)


@require_POST
@require_perm("needs.view_need")
def conflict_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_need_for_user(request.user, pk, decide=True)
    services.conflict_resolve(
        need=need, by=request.user, resolved=request.POST.get("resolved") != "0"
    )
    messages.success(request, _("Conflict status saved."))
    return redirect(need)


@require_perm("needs.view_need")
def coverage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "needs/coverage.html",
        {**selectors.coverage(), "for_review": selectors.links_for_review()},
    )


@require_POST
@require_perm("needs.add_need")
def capture_from_case(request: HttpRequest) -> HttpResponse:
    """One click on a case page: a need with the case as its source."""
    from complaints.selectors import get_case_for_user

    case = get_case_for_user(request.user, request.POST.get("reference", ""))
    need = services.need_capture(
        source_record=case,
        statement=case.subject or case.description[:500],
        by=request.user,
        source=Need.Source.COMPLAINT,
        service=case.service,
    )
    messages.success(
        request,
        _("Need %(ref)s recorded from case %(case)s: complete it now.")
        % {"ref": need.reference, "case": case.reference},
    )
    return redirect("needs:need-update", pk=need.pk)
