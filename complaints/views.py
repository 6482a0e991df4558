"""Staff pages of the complaints area: work queue, intake, case page, actions."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms import selectors as core_selectors
from qms.access import require_perm
from qms.areas import Area
from qms.exports import table_response
from qms.forms import apply_validation_error, errors_to_messages
from qms.models import Customer
from qms.pagination import CappedPaginator
from qms.services import customer_save
from qms.workflow import run_transition

from . import services
from .attachments import attachment_add
from .filters import CaseFilter
from .forms import (
    AssignForm,
    CaseEditForm,
    CommentForm,
    DecisionForm,
    DelayForm,
    DisputeForm,
    DisputeOutcomeForm,
    IntakeForm,
    MessageForm,
    PauseForm,
    ReferenceForm,
)
from .models import Attachment, Case, Message
from .selectors import case_list as visible_cases
from .selectors import cases_visible_to, get_case_for_user

PAGE_SIZE = 25
EXPORT_COLUMNS = [
    ("reference", _("Reference")),
    ("kind", _("Kind")),
    ("status", _("Status")),
    ("received_at", _("Received")),
    ("channel", _("Channel")),
    ("category", _("Category")),
    ("org_unit", _("Unit")),
    ("handler", _("Handler")),
    ("subject", _("Subject")),
    ("priority", _("Priority")),
    ("response_due_at", _("Respond by")),
    ("outcome", _("Outcome")),
    ("closed_at", _("Closed")),
]


def _filtered(request: HttpRequest) -> CaseFilter:
    return CaseFilter(
        request.GET, queryset=visible_cases(request.user), user=request.user
    )


@require_perm("complaints.view_case")
def case_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _export(filterset.qs, export)
    page = CappedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/case_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "soon": timezone.now() + timezone.timedelta(hours=_due_soon_hours()),
            "assign_form": AssignForm(prefix="assign"),
            "process": core_selectors.process_description(Area.COMPLAINTS),
        },
    )


def _due_soon_hours() -> int:
    return settings.COMPLAINTS_DUE_SOON_HOURS


def _row(case: Case) -> list[str]:
    local = timezone.localtime
    return [
        case.reference,
        case.get_kind_display(),
        case.get_status_display(),
        local(case.received_at).strftime("%Y-%m-%d %H:%M"),
        str(case.channel),
        str(case.category or ""),
        str(case.org_unit),
        case.handler.get_full_name() if case.handler else "",
        case.subject,
        case.get_priority_display(),
        local(case.response_due_at).strftime("%Y-%m-%d %H:%M")
        if case.response_due_at
        else "",
        case.get_outcome_display(),
        local(case.closed_at).strftime("%Y-%m-%d %H:%M") if case.closed_at else "",
    ]


def _export(queryset, kind: str) -> HttpResponse:
    """The filtered queue as CSV (streamed) or XLSX."""
    return table_response(
        header=[str(label) for _key, label in EXPORT_COLUMNS],
        items=queryset.iterator(chunk_size=2000),
        row=_row,
        kind=kind,
        name="cases",
    )


@require_POST
@require_perm("complaints.handle_case")
def case_assign(request: HttpRequest) -> HttpResponse:
    form = AssignForm(
        request.POST, prefix="assign", queryset=cases_visible_to(request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Choose the cases and who should handle them."))
    else:
        try:
            count = services.case_assign(
                cases=list(form.cleaned_data["cases"]),
                handler=form.cleaned_data["handler"],
                by=request.user,
            )
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(
                request,
                _("%(count)s cases assigned to %(name)s.")
                % {"count": count, "name": form.cleaned_data["handler"]},
            )
    return redirect(request.POST.get("next") or "complaints:case-list")


@require_perm("complaints.add_case")
def case_create(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None, user=request.user)
    selected = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = form.save(commit=False)
        customer = data.get("customer")
        new_customer = customer is None and bool(data.get("new_customer_name"))
        try:
            # One transaction for a new customer and their case; without one,
            # case_register's own transaction is enough (no extra savepoint).
            with transaction.atomic() if new_customer else nullcontext():
                if new_customer:
                    customer = customer_save(
                        customer=Customer(
                            name=data["new_customer_name"],
                            email=data.get("contact_email", ""),
                            phone=data.get("contact_phone", ""),
                            preferred_language=data["language"],
                        )
                    )
                case.customer = customer
                case = services.case_register(
                    case=case,
                    by=request.user,
                    send_acknowledgement=data["send_acknowledgement"],
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Case %(ref)s registered.") % {"ref": case.reference}
            )
            return redirect(case)
    if request.method == "POST" and hasattr(form, "cleaned_data"):
        # Keep the chosen customer selected when the form comes back with errors.
        selected = form.cleaned_data.get("customer")
    return render(
        request, "complaints/case_form.html", {"form": form, "selected": selected}
    )


@require_perm("complaints.add_case")
def customer_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: customers matching the typed text, to pick one for a new case."""
    text = request.GET.get("customer_search", "").strip()
    matches = Customer.objects.search(text)[:8] if len(text) >= 2 else []
    return render(
        request, "complaints/partials/_customer_matches.html", {"matches": matches}
    )


@require_perm("complaints.view_case")
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference)
    messages_qs = case.messages.select_related("author", "channel").prefetch_related(
        "attachments"
    )
    timeline = sorted(
        [
            *(
                {"at": t.at, "type": "transition", "item": t}
                for t in case.transitions.select_related("by")
            ),
            *({"at": m.at, "type": "message", "item": m} for m in messages_qs),
            *(
                {"at": a.uploaded_at, "type": "attachment", "item": a}
                for a in case.attachments.filter(message__isnull=True).select_related(
                    "uploaded_by"
                )
            ),
        ],
        key=lambda e: e["at"],
        reverse=True,
    )
    may_handle = (
        request.user.has_perm("complaints.handle_case")
        and case.subject_employee_id != request.user.pk
    )
    actions = services.available_actions(case) if may_handle else []
    return render(
        request,
        "complaints/case_detail.html",
        {
            "case": case,
            "timeline": timeline,
            "may_handle": may_handle,
            "actions": actions,
            "comment_form": CommentForm(),
            "decision_form": DecisionForm(
                initial={
                    "outcome": case.outcome,
                    "decision_reasons": case.decision_reasons,
                    "remedy_given": case.remedy_given,
                    "remedy_cost": case.remedy_cost,
                }
            ),
            "message_form": MessageForm(),
            "pause_form": PauseForm(prefix="pause"),
            "delay_form": DelayForm(prefix="delay"),
            "reference_form": ReferenceForm(),
            "dispute_form": DisputeForm(),
            "dispute_outcome_form": DisputeOutcomeForm(instance=case),
            "related": case.related.all(),
            "disputes": case.disputes.all(),
            "now": timezone.now(),
        },
    )


def _handle(
    request: HttpRequest, reference: str, work: Callable[[Case], str | None]
) -> HttpResponse:
    """Run a write on a case the user may handle; errors become messages."""
    case = get_case_for_user(request.user, reference, write=True)
    try:
        with transaction.atomic():
            done = work(case)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        if done:
            messages.success(request, done)
    return redirect(case)


ERR_CLOSED_IS_LOCKED = _("A closed case is locked; reopen it with a reason first.")


@require_perm("complaints.handle_case")
def case_update(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, write=True)
    if case.is_closed:
        messages.error(request, ERR_CLOSED_IS_LOCKED)
        return redirect(case)
    form = CaseEditForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        case = form.save(commit=False)
        case._history_user = request.user
        try:
            case.save()
        except ValidationError as error:  # changed meanwhile (EditConflict)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Case details saved."))
            return redirect(case)
    return render(request, "complaints/case_edit.html", {"form": form, "case": case})


@require_POST
@require_perm("complaints.handle_case")
def case_step(request: HttpRequest, reference: str) -> HttpResponse:
    """A workflow step from the case page's buttons (the step and its
    comment posted by the shared partial). Communicating e-mails the decision
    letter first, in the same transaction, so a refused step sends nothing."""
    case = get_case_for_user(request.user, reference, write=True)
    with transaction.atomic():
        if (
            request.POST.get("step") == "communicate"
            and case.contact_email
            and "communicate" in services.available_actions(case)
        ):
            services.send_template(case=case, template="decision", by=request.user)
        if not run_transition(request, services.WORKFLOW, case):
            transaction.set_rollback(True)
    return redirect(case)


@require_POST
@require_perm("complaints.handle_case")
def case_decide(request: HttpRequest, reference: str) -> HttpResponse:
    form = DecisionForm(request.POST)

    def work(case: Case) -> str:
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        services.case_transition(
            case=case, action="decide", by=request.user, **form.cleaned_data
        )
        return _("Decision recorded.")

    return _handle(request, reference, work)


@require_POST
@require_perm("complaints.handle_case")
def case_message(request: HttpRequest, reference: str) -> HttpResponse:
    form = MessageForm(request.POST, request.FILES)

    def work(case: Case) -> str:
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        data = form.cleaned_data
        if data["send_email"] and data["direction"] == Message.Direction.OUTGOING:
            if not case.contact_email:
                raise ValidationError(services.ERR_NO_CONTACT)
            message = services.message_add(
                case=case,
                direction=data["direction"],
                body=data["body"],
                subject=data["subject"] or case.reference,
                by=request.user,
                channel=data["channel"],
                to_address=case.contact_email,
            )
            transaction.on_commit(
                lambda: services.EmailMessage(
                    message.subject, message.body, to=[case.contact_email]
                ).send()
            )
        else:
            message = services.message_add(
                case=case,
                direction=data["direction"],
                body=data["body"],
                subject=data["subject"],
                by=request.user,
                channel=data["channel"],
            )
        if data["attachment"]:
            attachment_add(
                case=case, upload=data["attachment"], by=request.user, message=message
            )
        return _("Added to the case log.")

    return _handle(request, reference, work)


@require_POST
@require_perm("complaints.handle_case")
def case_pause(request: HttpRequest, reference: str) -> HttpResponse:
    form = PauseForm(request.POST, prefix="pause")
    form.is_valid()

    def work(case: Case) -> str:
        services.case_pause(
            case=case, reason=form.cleaned_data.get("reason", ""), by=request.user
        )
        return _("The clock is paused.")

    return _handle(request, reference, work)


@require_POST
@require_perm("complaints.handle_case")
def case_resume(request: HttpRequest, reference: str) -> HttpResponse:
    def work(case: Case) -> str:
        services.case_resume(case=case, by=request.user)
        return _("The clock runs again; the deadline moved by the paused time.")

    return _handle(request, reference, work)


@require_POST
@require_perm("complaints.handle_case")
def case_delay(request: HttpRequest, reference: str) -> HttpResponse:
    form = DelayForm(request.POST, prefix="delay")

    def work(case: Case) -> str:
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        services.case_delay(case=case, by=request.user, **form.cleaned_data)
        return _("New deadline set and the customer told.")

    return _handle(request, reference, work)


def _other_case(user, reference: str) -> Case:
    other = cases_visible_to(user).filter(reference=reference.strip().upper()).first()
    if other is None:
        raise ValidationError(
            _("No case %(ref)s that you can see.") % {"ref": reference}
        )
    return other


@require_POST
@require_perm("complaints.handle_case")
def case_link(request: HttpRequest, reference: str, how: str) -> HttpResponse:
    form = ReferenceForm(request.POST)
    form.is_valid()

    def work(case: Case) -> str:
        other = _other_case(request.user, form.cleaned_data.get("reference", ""))
        if other.pk == case.pk:
            raise ValidationError(services.ERR_DUPLICATE_OF_SELF)
        if how == "duplicate":
            services.case_transition(
                case=case,
                action="mark_duplicate",
                by=request.user,
                duplicate_of=other,
                comment=other.reference,
            )
            return _("Merged into %(ref)s.") % {"ref": other.reference}
        case.related.add(other)
        return _("Linked with %(ref)s.") % {"ref": other.reference}

    return _handle(request, reference, work)


@require_POST
@require_perm("complaints.handle_case")
def case_dispute(request: HttpRequest, reference: str) -> HttpResponse:
    form = DisputeForm(request.POST)
    case = get_case_for_user(request.user, reference, write=True)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(case)
    try:
        dispute = services.case_open_dispute(
            origin=case, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect(case)
    messages.success(request, _("Dispute %(ref)s opened.") % {"ref": dispute.reference})
    return redirect(dispute)


@require_POST
@require_perm("complaints.handle_case")
def case_dispute_outcome(request: HttpRequest, reference: str) -> HttpResponse:
    def work(case: Case) -> str:
        form = DisputeOutcomeForm(request.POST, instance=case)
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        case = form.save(commit=False)
        case._history_user = request.user
        case.save()
        return _("Dispute outcome saved.")

    return _handle(request, reference, work)


@require_perm("complaints.view_attachment")
def attachment_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    case = get_case_for_user(request.user, reference)
    attachment = get_object_or_404(Attachment, pk=pk, case=case)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
