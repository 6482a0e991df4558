"""Forms of the report pages: the shape of input only; rules live in
:mod:`reports.services`."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.concurrency import ConcurrentEditMixin
from qms.models import OrgUnit

from .models import DistributionList, Report, ReportDecision
from .periods import last_full, parse_period, period_code


class DateInput(forms.DateInput):
    input_type = "date"


def _active_users():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


class ReportCreateForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("2026-07 (month), 2026-Q3 (quarter), 2026-H2 (half-year), 2026."),
    )
    org_unit = forms.ModelChoiceField(
        OrgUnit.objects.filter(is_active=True).order_by("name"),
        label=_("Organisation unit"),
        empty_label=_("The whole organisation"),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language"), choices=Report.Language.choices)
    distribution = forms.ModelChoiceField(
        DistributionList.objects.all(),
        label=_("Distribution list"),
        required=False,
        empty_label=_("The default lists"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period"].initial = period_code(last_full("month", today))

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"], timezone.localdate())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class ReportEditForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Report
        fields = ["summary", "conclusions", "recommendations", "distribution"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 12}),
            "conclusions": forms.Textarea(attrs={"rows": 6}),
            "recommendations": forms.Textarea(attrs={"rows": 6}),
        }


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Report.Status.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Period type"),
        choices=[("", _("All period types")), *Report.Kind.choices],
        required=False,
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=1900, max_value=2999, required=False
    )


class DecisionForm(ConcurrentEditMixin, forms.ModelForm):
    owner = forms.ModelChoiceField(_active_users(), label=_("Owner"))

    class Meta:
        model = ReportDecision
        fields = ["text", "owner", "due_date"]
        widgets = {"due_date": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}


class DecisionCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (ReportDecision.Status.DONE, ReportDecision.Status.DONE.label),
            (ReportDecision.Status.CANCELLED, ReportDecision.Status.CANCELLED.label),
        ],
    )
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DistributionListForm(forms.ModelForm):
    users = forms.ModelMultipleChoiceField(
        _active_users(), label=_("Users"), required=False
    )

    class Meta:
        model = DistributionList
        fields = ["name", "users", "emails", "is_default"]

    def clean_emails(self):
        validator = forms.EmailField()
        lines = [
            line.strip()
            for line in self.cleaned_data["emails"].splitlines()
            if line.strip()
        ]
        for line in lines:
            validator.clean(line)
        return "\n".join(lines)
