"""Pages of the core app: home, customers, controlled documents, area landing."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms import selectors, services
from qms.access import public, require_perm
from qms.areas import Area, area_nav
from qms.filters import CustomerFilter
from qms.forms import (
    ApproveForm,
    CommentForm,
    CustomerForm,
    DocumentForm,
    VersionForm,
    apply_validation_error,
)
from qms.models import Customer, Document, DocumentVersion
from qms.roles import ROLE_LABELS

PAGE_SIZE = 25


def home(request: HttpRequest) -> HttpResponse:
    areas = [
        {
            "item": item,
            "document": selectors.process_description(item.area),
        }
        for item in area_nav()
        if request.user.has_perm(item.permission)
    ]
    return render(
        request,
        "qms/home.html",
        {
            "areas": areas,
            "roles": [
                ROLE_LABELS.get(name, name)
                for name in request.user.groups.order_by("name").values_list(
                    "name", flat=True
                )
            ],
        },
    )


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """Load-balancer probe: the process answers and its database responds."""
    Customer.objects.exists()
    return HttpResponse("ok", content_type="text/plain")


# Customers ---------------------------------------------------------------


@require_perm("qms.view_customer")
def customer_list(request: HttpRequest) -> HttpResponse:
    filterset = CustomerFilter(request.GET, queryset=selectors.customer_list())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "qms/customer_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@require_perm("qms.view_customer")
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(selectors.customer_list(), pk=pk)
    return render(request, "qms/customer_detail.html", {"customer": customer})


@require_perm("qms.add_customer")
def customer_create(request: HttpRequest) -> HttpResponse:
    return _customer_form(request, Customer())


@require_perm("qms.change_customer")
def customer_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _customer_form(request, get_object_or_404(Customer, pk=pk))


def _customer_form(request: HttpRequest, customer: Customer) -> HttpResponse:
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_save(
                customer=form.save(commit=False),
                segments=form.cleaned_data["segments"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Customer %(name)s saved.") % {"name": customer}
            )
            return redirect(customer)
    return render(
        request, "qms/customer_form.html", {"form": form, "customer": customer}
    )


# Controlled documents ----------------------------------------------------


@require_perm("qms.view_document")
def document_list(request: HttpRequest) -> HttpResponse:
    documents = selectors.document_list()
    area = request.GET.get("area", "")
    if area in Area.values:
        documents = documents.filter(area=area)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "qms/document_list.html",
        {"page": page, "areas": Area.choices, "area": area, "query": f"area={area}"},
    )


@require_perm("qms.view_document")
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("owner"), pk=pk)
    effective = selectors.effective_version(document)
    versions = list(selectors.document_versions(document))
    open_version = next((v for v in versions if v.is_open), None)
    return render(
        request,
        "qms/document_detail.html",
        {
            "document": document,
            "effective": effective,
            "open_version": open_version,
            "versions": versions,
            "review_due": selectors.document_review_due(document, effective),
            "today": timezone.localdate(),
        },
    )


@require_perm("qms.add_document")
def document_create(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_create(
                identifier=data["identifier"],
                title=data["title"],
                kind=data["kind"],
                area=data["area"],
                language=data["language"],
                review_interval_months=data["review_interval_months"],
                owner=request.user,
                body=data["body"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Document created as a draft."))
            return redirect(document)
    return render(request, "qms/document_form.html", {"form": form})


def _get_version(document_pk: int, number: int) -> DocumentVersion:
    return get_object_or_404(
        DocumentVersion.objects.select_related("document", "author", "approver"),
        document_id=document_pk,
        number=number,
    )


@require_perm("qms.view_document")
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _get_version(pk, number)
    effective = selectors.effective_version(version.document)
    previous = (
        version.document.versions.filter(number__lt=number).order_by("-number").first()
    )
    return render(
        request,
        "qms/version_detail.html",
        {
            "version": version,
            "document": version.document,
            "effective": effective,
            "previous": previous,
            "transitions": version.transitions.select_related("by"),
            "approve_form": ApproveForm(
                prefix="approve", initial={"effective_from": timezone.localdate()}
            ),
            "return_form": CommentForm(prefix="return"),
            "allow_self_approval": settings.QMS_ALLOW_SELF_APPROVAL,
        },
    )


@require_perm("qms.view_document")
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    try:
        old_number = int(request.GET["from"])
        new_number = int(request.GET["to"])
    except (KeyError, ValueError) as error:
        raise Http404(_("Choose two versions to compare.")) from error
    old = _get_version(pk, old_number)
    new = _get_version(pk, new_number)
    return render(
        request,
        "qms/version_compare.html",
        {
            "document": document,
            "old": old,
            "new": new,
            "lines": selectors.version_diff(old.body, new.body),
            "versions": selectors.document_versions(document),
        },
    )


@require_perm("qms.add_documentversion")
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    latest = document.versions.order_by("-number").first()
    form = VersionForm(
        request.POST or None,
        initial={"body": latest.body if latest else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_create_draft(
                document=document, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Draft version %(n)s started.") % {"n": version.number}
            )
            return redirect(version)
    return render(
        request, "qms/version_form.html", {"form": form, "document": document}
    )


@require_perm("qms.change_documentversion")
def version_update(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _get_version(pk, number)
    if version.status != DocumentVersion.Status.DRAFT:
        messages.error(request, services.ERR_NOT_EDITABLE)
        return redirect(version)
    form = VersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update_draft(version=version, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(version)
    return render(
        request,
        "qms/version_form.html",
        {"form": form, "document": version.document, "version": version},
    )


@require_POST
@require_perm("qms.change_documentversion")
def version_submit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _get_version(pk, number)
    form = CommentForm(request.POST)
    form.is_valid()
    return _transition(
        request,
        version,
        lambda: services.version_submit(
            version=version, by=request.user, comment=form.cleaned_data["comment"]
        ),
        _("Version sent for review."),
    )


@require_POST
@require_perm("qms.approve_documentversion")
def version_return(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _get_version(pk, number)
    form = CommentForm(request.POST, prefix="return")
    form.is_valid()
    return _transition(
        request,
        version,
        lambda: services.version_return(
            version=version, by=request.user, comment=form.cleaned_data["comment"]
        ),
        _("Version returned to its author."),
    )


@require_POST
@require_perm("qms.approve_documentversion")
def version_approve(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _get_version(pk, number)
    form = ApproveForm(request.POST, prefix="approve")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(version)
    return _transition(
        request,
        version,
        lambda: services.version_approve(
            version=version,
            by=request.user,
            effective_from=form.cleaned_data["effective_from"],
            comment=form.cleaned_data["comment"],
        ),
        _("Version approved."),
    )


def _transition(request, version, action, success_message) -> HttpResponse:
    try:
        with transaction.atomic():
            action()
    except PermissionDenied:
        raise
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success_message)
    return redirect(version)


# Working-day calendar ----------------------------------------------------


@require_perm("qms.view_closureday")
def working_calendar(request: HttpRequest) -> HttpResponse:
    """The days that do not count in deadlines this year: public holidays of the
    configured country and the organisation's closure days."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    return render(
        request,
        "qms/calendar.html",
        {
            "year": year,
            "days": selectors.days_off(year, language=request.LANGUAGE_CODE),
            "country": settings.HOLIDAYS_COUNTRY,
            "working_hours": (settings.WORKING_HOURS_START, settings.WORKING_HOURS_END),
            "working_day_count": selectors.working_day_count(year),
        },
    )


# Area landing pages ------------------------------------------------------


def area_home(request: HttpRequest, area: str) -> HttpResponse:
    """An area's landing page: what the area is for and its process description."""
    if not request.user.has_perm("qms.view_document"):
        raise PermissionDenied
    return render(
        request,
        "qms/area_home.html",
        {"area": Area(area), "document": selectors.process_description(area)},
    )
