"""Forms of the improvement pages: the shape of input only; rules live in
:mod:`improvements.services`."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qms import measures
from qms.concurrency import ConcurrentEditMixin

from . import origins
from .models import Action, Plan, Proposal
from .uploads import validate_evidence


def _staff_users():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


class DateInput(forms.DateInput):
    input_type = "date"


class ProposalForm(forms.ModelForm):
    origin = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Proposal
        fields = ["title", "description", "expected_benefit", "area"]

    def clean_origin(self):
        ref = self.cleaned_data.get("origin") or ""
        if not ref:
            return None
        return origins.resolve(ref)[1]


class DecisionForm(forms.Form):
    ACCEPT = "accept"
    REJECT = "reject"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (REJECT, _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting; the proposer reads it."),
    )


class ToPlanForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Plan owner"), queryset=None)
    type = forms.ChoiceField(label=_("Type"), choices=Plan.Type.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff_users()


class PlanForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "problem", "scope", "type", "area", "owner", "team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff_users()
        self.fields["team"].queryset = _staff_users()
        self.fields["team"].required = False


class CriterionForm(forms.Form):
    measure_key = forms.ChoiceField(label=_("Indicator"))
    filters = forms.JSONField(
        label=_("Filters"),
        required=False,
        initial=dict,
        help_text=_('As JSON, e.g. {"category": 12} (the category\'s id).'),
    )
    baseline_start = forms.DateField(label=_("Baseline from"), widget=DateInput)
    baseline_end = forms.DateField(
        label=_("Baseline until (exclusive)"), widget=DateInput
    )
    target = forms.FloatField(label=_("Target"), required=False)
    follow_up_days = forms.IntegerField(
        label=_("Follow-up window (days)"), min_value=1, max_value=730, initial=90
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure_key"].choices = [
            (m.key, m.label) for m in measures.all_measures()
        ]

    def clean_filters(self):
        value = self.cleaned_data.get("filters") or {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Filters are a JSON object."))
        return value


class NotEffectiveForm(forms.Form):
    REOPEN = "reopen"
    FOLLOW_UP = "follow_up"
    choice = forms.ChoiceField(
        label=_("The plan was not effective"),
        choices=[
            (REOPEN, _("Reopen this plan")),
            (FOLLOW_UP, _("Start a follow-up plan")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["description", "type", "owner", "due_date"]
        widgets = {
            "due_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff_users()


class ActionEditForm(ConcurrentEditMixin, forms.ModelForm):
    # Not a model field of the form: a new status is a workflow step, taken
    # by the service (improvements.services.ACTION_WORKFLOW).
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)

    class Meta:
        model = Action
        fields = ["evidence", "evidence_file"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = self.instance.status
        self.order_fields(["status", "evidence", "evidence_file"])

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload and hasattr(upload, "content_type"):
            validate_evidence(upload)
        return upload


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Plan.Status.choices],
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Any type")), *Plan.Type.choices],
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False, queryset=None, empty_label=_("Anyone")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff_users()
