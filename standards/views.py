"""Pages of the standards area. Text, approval and differences between
versions are the document-control pages of ``qms``; these add the standard's
metadata, its criteria, staff reading and acknowledgement coverage."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms import selectors as core_selectors
from qms.access import require_perm
from qms.areas import Area
from qms.forms import apply_validation_error
from qms.models import DocumentVersion

from . import selectors, services
from .forms import CriterionForm, NewDraftForm, StandardCreateForm, StandardForm
from .models import Criterion, Standard


def _standard(pk: int) -> Standard:
    return get_object_or_404(
        Standard.objects.select_related("document", "document__owner"), pk=pk
    )


def _version(standard: Standard, number: int) -> DocumentVersion:
    return get_object_or_404(
        standard.document.versions.select_related("author", "approver"),
        number=number,
    )


@require_perm("standards.view_standard")
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "standards/home.html",
        {
            "standards": selectors.standard_list(),
            "process": core_selectors.process_description(Area.STANDARDS),
        },
    )


@require_perm("standards.view_standard")
def my_standards(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "standards/my_standards.html",
        {"groups": selectors.my_standards(request.user)},
    )


@require_perm("standards.view_standard")
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The readable, printable standard: the version in force (or the one
    asked for with ``?version=``), its text and criteria."""
    standard = _standard(pk)
    effective = core_selectors.effective_version(standard.document)
    number = request.GET.get("version")
    if number:
        if not number.isdigit():
            raise Http404
        version = _version(standard, int(number))
    else:
        version = effective
    acknowledged = bool(
        version and version.acknowledgements.filter(user=request.user).exists()
    )
    return render(
        request,
        "standards/standard_detail.html",
        {
            "standard": standard,
            "version": version,
            "effective": effective,
            "criteria": selectors.criteria(version) if version else [],
            "versions": core_selectors.document_versions(standard.document),
            "channels": standard.channels.all(),
            "acknowledged": acknowledged,
            "can_acknowledge": bool(
                version
                and version.status
                in (DocumentVersion.Status.APPROVED, DocumentVersion.Status.SUPERSEDED)
                and request.user.has_perm("standards.add_acknowledgement")
            ),
            "can_edit_criteria": bool(
                version
                and version.status == DocumentVersion.Status.DRAFT
                and request.user.has_perm("standards.change_criterion")
            ),
        },
    )


@require_perm("standards.view_standard")
def standard_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable standard as an A4 PDF with page numbers (WeasyPrint)."""
    import weasyprint
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string

    standard = _standard(pk)
    number = request.GET.get("version")
    if number:
        if not number.isdigit():
            raise Http404
        version = _version(standard, int(number))
    else:
        version = core_selectors.effective_version(standard.document)
    if version is None:
        raise Http404
    html = render_to_string(
        "standards/standard_pdf.html",
        {
            "standard": standard,
            "version": version,
            "criteria": selectors.criteria(version),
            "channels": standard.channels.all(),
        },
        request=request,
    )
    stylesheet = weasyprint.CSS(filename=finders.find("css/standards-pdf.css"))
    pdf = weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{standard.document.identifier}-v{version.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_perm("standards.add_standard")
def standard_create(request: HttpRequest) -> HttpResponse:
    form = StandardCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Standard created as a draft."))
            return redirect(standard)
    return render(request, "standards/standard_form.html", {"form": form})


@require_perm("standards.change_standard")
def standard_update(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(pk)
    form = StandardForm(request.POST or None, instance=standard)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                standard = services.standard_update(
                    standard=form.save(commit=False), by=request.user
                )
                form.save_m2m()
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(standard)
    return render(
        request, "standards/standard_form.html", {"form": form, "standard": standard}
    )


@require_perm("qms.add_documentversion")
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft version, starting from the latest text and criteria."""
    standard = _standard(pk)
    form = NewDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.standard_new_draft(
                standard=standard,
                author=request.user,
                change_reason=form.cleaned_data["change_reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("New draft version created."))
            return redirect(f"{standard.get_absolute_url()}?version={version.number}")
    return render(
        request,
        "standards/version_form.html",
        {"form": form, "standard": standard},
    )


def _criterion_form(request, standard, version, criterion):
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(criterion=form.save(commit=False), by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(f"{standard.get_absolute_url()}?version={version.number}")
    return render(
        request,
        "standards/criterion_form.html",
        {
            "form": form,
            "standard": standard,
            "version": version,
            "criterion": criterion,
        },
    )


@require_perm("standards.add_criterion")
def criterion_create(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    standard = _standard(pk)
    version = _version(standard, number)
    order = (version.criteria.count() + 1) * 10
    return _criterion_form(
        request, standard, version, Criterion(version=version, order=order)
    )


@require_perm("standards.change_criterion")
def criterion_update(
    request: HttpRequest, pk: int, number: int, criterion_pk: int
) -> HttpResponse:
    standard = _standard(pk)
    version = _version(standard, number)
    criterion = get_object_or_404(version.criteria, pk=criterion_pk)
    return _criterion_form(request, standard, version, criterion)


@require_perm("standards.view_criterion")
def criterion_detail(
    request: HttpRequest, pk: int, number: int, criterion_pk: int
) -> HttpResponse:
    standard = _standard(pk)
    version = _version(standard, number)
    criterion = get_object_or_404(version.criteria, pk=criterion_pk)
    return render(
        request,
        "standards/criterion_detail.html",
        {"standard": standard, "version": version, "criterion": criterion},
    )


@require_POST
@require_perm("standards.add_acknowledgement")
def acknowledge(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    standard = _standard(pk)
    version = _version(standard, number)
    try:
        services.acknowledge(user=request.user, version=version)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Thank you: your reading is recorded."))
    return redirect(f"{standard.get_absolute_url()}?version={version.number}")


@require_perm("standards.view_acknowledgement")
def coverage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "standards/coverage.html",
        {"rows": selectors.acknowledgement_coverage()},
    )
