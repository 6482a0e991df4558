"""Pages of the management reports: list, create, edit, detail, issue and
approve, PDF, decisions, distribution lists, executive dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.access import get_for_user, require_perm
from qms.areas import Area
from qms.forms import apply_validation_error
from qms.selectors import process_description

from . import access, building, pdf, selectors, services
from .forms import (
    DecisionCloseForm,
    DecisionForm,
    DistributionListForm,
    ReportCreateForm,
    ReportEditForm,
    ReportFilterForm,
)
from .models import DistributionList, Report, ReportDecision
from .periods import last_full, period_label

PAGE_SIZE = 20
DASHBOARD_KINDS = ("month", "quarter", "year")


def _report(pk: int) -> Report:
    return get_object_or_404(selectors.reports(), pk=pk)


# --------------------------------------------------------------------------
# List and dashboard
# --------------------------------------------------------------------------


@require_perm("reports.view_report")
def home(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    queryset = selectors.reports()
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["year"]:
            queryset = queryset.filter(period_start__year=data["year"])
    if not request.user.has_perm("reports.change_report"):
        # Readers see issued reports; drafts are the quality manager's work.
        queryset = queryset.filter(status=Report.Status.ISSUED)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/home.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "area": Area(Area.REPORTS),
            "document": process_description(Area.REPORTS),
        },
    )


@require_perm("reports.view_report")
def dashboard(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or "month"
    if kind not in DASHBOARD_KINDS:
        kind = "month"
    period = last_full(kind, timezone.localdate())
    language = translation.get_language() or "en"
    content = building.build(period, language=language[:2], with_tables=False)
    return render(
        request,
        "reports/dashboard.html",
        {
            "content": content,
            "kind": kind,
            "kinds": [(k, dict(Report.Kind.choices)[k]) for k in DASHBOARD_KINDS],
            "period_label": period_label(period),
        },
    )


# --------------------------------------------------------------------------
# Drafts
# --------------------------------------------------------------------------


@require_perm("reports.add_report")
def report_create(request: HttpRequest) -> HttpResponse:
    form = ReportCreateForm(
        request.POST or None,
        initial={"language": (translation.get_language() or "en")[:2]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_create(
                period=data["period"],
                unit=data["org_unit"],
                language=data["language"],
                by=request.user,
                distribution=data["distribution"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Draft created. Write the commentary, then issue it.")
            )
            return redirect("reports:report-edit", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form})


@require_perm("reports.change_report")
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    if not report.is_draft:
        messages.error(request, str(services.ERR_NOT_DRAFT))
        return redirect(report)
    form = ReportEditForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_update(
                report=report,
                summary=data["summary"],
                conclusions=data["conclusions"],
                recommendations=data["recommendations"],
                distribution=data["distribution"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Commentary saved."))
            return redirect(report)
    return render(request, "reports/report_edit.html", {"form": form, "report": report})


@require_perm("reports.view_report")
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    if not report.is_issued and not request.user.has_perm("reports.change_report"):
        raise Http404
    content = services.report_content(report)
    today = timezone.localdate()
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "content": content,
            "decisions": selectors.decisions_of(report),
            "decision_form": DecisionForm(initial={"due_date": None}),
            "today": today,
            "can_issue": report.is_draft
            and request.user.has_perm("reports.issue_report"),
            "can_approve": report.status == Report.Status.AWAITING_APPROVAL
            and request.user.has_perm("reports.approve_report")
            and report.author_id != request.user.pk,
            "can_edit": report.is_draft
            and request.user.has_perm("reports.change_report"),
            "can_decide": request.user.has_perm("reports.add_reportdecision"),
            "verified": services.verify(report) if report.is_issued else None,
        },
    )


# --------------------------------------------------------------------------
# Issue and approval
# --------------------------------------------------------------------------


def _act(request: HttpRequest, report: Report, action, done: str) -> HttpResponse:
    try:
        action(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("reports:report-detail", pk=report.pk)


@require_POST
@require_perm("reports.issue_report")
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    was_draft = report.is_draft
    response = _act(request, report, services.report_issue, _("Report issued."))
    report.refresh_from_db()
    if not was_draft:
        return response
    if report.status == Report.Status.AWAITING_APPROVAL:
        messages.info(request, _("The report awaits approval by a second person."))
    elif report.is_issued and request.POST.get("send"):
        sent = services.report_distribute(report=report)
        messages.info(request, _("Sent to %(n)s recipients.") % {"n": sent})
    return response


@require_POST
@require_perm("reports.approve_report")
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, _report(pk), services.report_approve, _("Report approved and issued.")
    )


@require_POST
@require_perm("reports.approve_report")
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, _report(pk), services.report_return, _("Report returned to draft.")
    )


@require_POST
@require_perm("reports.issue_report")
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    try:
        sent = services.report_distribute(report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent to %(n)s recipients.") % {"n": sent})
    return redirect(report)


@require_perm("reports.view_report")
def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The issued PDF as stored; a draft's PDF is rendered now (quality
    managers only) and marked as a draft on its cover."""
    report = _report(pk)
    filename = services.pdf_filename(report)
    if report.is_issued:
        return FileResponse(
            report.pdf.open("rb"), as_attachment=True, filename=filename
        )
    if not request.user.has_perm("reports.change_report"):
        raise Http404
    data = pdf.render_pdf(report, services.report_content(report))
    return FileResponse(
        ContentFile(data), as_attachment=True, filename=f"draft-{filename}"
    )


# --------------------------------------------------------------------------
# Decisions
# --------------------------------------------------------------------------


@require_POST
@require_perm("reports.add_reportdecision")
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        decision = form.save(commit=False)
        decision.report = report
        try:
            services.decision_save(decision=decision)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(report)
    return render(
        request,
        "reports/decision_form.html",
        {"form": form, "report": report},
        status=400,
    )


def _decision(request: HttpRequest, pk: int, *, close: bool = False) -> ReportDecision:
    return get_for_user(
        ReportDecision.objects.select_related("report", "owner"),
        request.user,
        pk,
        write=True,
        rule=access.CLOSE if close else access.DECISIONS,
    )


def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    form = DecisionForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_save(decision=form.save(commit=False))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Decision saved."))
            return redirect(decision.report)
    return render(
        request,
        "reports/decision_form.html",
        {"form": form, "report": decision.report, "decision": decision},
    )


def decision_close(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk, close=True)
    form = DecisionCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_close(
                decision=decision,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
                by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Decision updated."))
            return redirect(decision.report)
    return render(
        request,
        "reports/decision_close.html",
        {"form": form, "decision": decision, "report": decision.report},
    )


@require_POST
@require_perm("reports.delete_reportdecision")
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(ReportDecision, pk=pk)
    report = decision.report
    decision.delete()
    messages.success(request, _("Decision deleted."))
    return redirect(report)


@require_perm("reports.view_reportdecision")
def decision_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ReportDecision.Status.OPEN)
    queryset = selectors.decisions()
    if status in ReportDecision.Status.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/decision_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ReportDecision.Status.choices,
            "query": f"status={status}",
            "today": timezone.localdate(),
        },
    )


# --------------------------------------------------------------------------
# Distribution lists
# --------------------------------------------------------------------------


@require_perm("reports.view_distributionlist")
def distribution_list(request: HttpRequest) -> HttpResponse:
    lists = DistributionList.objects.prefetch_related("users")
    return render(request, "reports/distribution_list.html", {"lists": lists})


@require_perm("reports.change_distributionlist", "reports.add_distributionlist")
def distribution_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(DistributionList, pk=pk) if pk else None
    form = DistributionListForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Distribution list saved."))
        return redirect("reports:distribution-list")
    return render(
        request, "reports/distribution_form.html", {"form": form, "instance": instance}
    )
