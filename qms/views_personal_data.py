"""A customer's personal data across the apps: find, export, erase
(quality managers only; qms.personal_data does the work)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qms import personal_data
from qms.access import require_perm
from qms.forms import apply_validation_error
from qms.models import Customer

PERM = "qms.manage_personal_data"


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for erasure"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "E.g. the customer's written request of 3 March, ticket 123."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that names and contact data are removed for good; "
            "the cases stay for statistics."
        )
    )


def _page(request: HttpRequest, customer: Customer, form: ErasureForm) -> HttpResponse:
    found = personal_data.find_records(customer)
    return render(
        request,
        "qms/customer_personal_data.html",
        {
            "customer": customer,
            "found": [(source, records) for source, records in found.items()],
            "total": sum(len(records) for records in found.values()),
            "erasures": customer.erasures.select_related("by"),
            "form": form,
        },
    )


@require_perm(PERM)
def customer_personal_data(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    return _page(request, customer, ErasureForm())


@require_perm(PERM)
def customer_personal_data_export(
    request: HttpRequest, pk: int, fmt: str
) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(
            personal_data.export_json(customer),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(
            personal_data.export_csv(customer), content_type="text/csv; charset=utf-8"
        )
    name = f"personal-data-{customer.reference}-{stamp}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@require_perm(PERM)
def customer_erase(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    if customer.erased_at is not None:
        messages.error(request, personal_data.ERR_ALREADY_ERASED)
        return redirect("qms:customer-personal-data", customer.pk)
    form = ErasureForm(request.POST)
    if form.is_valid():
        try:
            entry = personal_data.erase_customer(
                customer=customer, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Personal data erased: %(count)s records anonymised.")
                % {"count": sum(entry.counts.values())},
            )
            return redirect("qms:customer-personal-data", customer.pk)
    return _page(request, customer, form)
