"""Forms of the standards area: they check the shape of input only."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qms.concurrency import ConcurrentEditMixin
from qms.models import Channel, OrgUnit

from .models import (
    CalibrationSession,
    Criterion,
    Evaluation,
    InteractionType,
    SamplingPlan,
    Standard,
)


class _Crispy:
    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class StandardCreateForm(_Crispy, forms.Form):
    identifier = forms.CharField(label=_("Identifier"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3})
    )
    scope = forms.CharField(
        label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class StandardForm(_Crispy, ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Standard
        fields = ["channels", "purpose", "scope"]
        widgets = {
            "channels": forms.CheckboxSelectMultiple,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class CriterionForm(_Crispy, ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "order",
            "behaviour",
            "good_example",
            "bad_example",
            "weight",
            "scoring",
            "is_critical",
            "target_value",
            "target_unit",
        ]
        widgets = {
            "behaviour": forms.Textarea(attrs={"rows": 2}),
            "good_example": forms.Textarea(attrs={"rows": 2}),
            "bad_example": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class NewDraftForm(_Crispy, forms.Form):
    change_reason = forms.CharField(
        label=_("Reason for change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


def _staff_users():
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__isnull=False)
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class EvaluationStartForm(_Crispy, forms.Form):
    """Step one: the standard and the interaction's date decide the version,
    hence the criteria of the scorecard."""

    standard = forms.ModelChoiceField(
        label=_("Standard"),
        queryset=Standard.objects.select_related("document").order_by(
            "document__identifier"
        ),
    )
    interaction_date = forms.DateField(
        label=_("Interaction date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
        self.helper.form_method = "get"


class EvaluationForm(_Crispy, forms.Form):
    """The scorecard: the interaction, then one answer and comment per
    criterion of the version in force (fields ``c<id>`` and ``c<id>_note``)."""

    interaction_type = forms.ChoiceField(
        label=_("Interaction type"), choices=InteractionType.choices
    )
    reference = forms.CharField(label=_("Interaction reference"), max_length=100)
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none()
    )
    employee = UserChoiceField(label=_("Evaluated employee"), queryset=_staff_users())
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, standard, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
        self.criteria = list(criteria)
        channels = list(standard.channels.all())
        self.fields["channel"].queryset = standard.channels.all()
        if len(channels) == 1:
            self.fields["channel"].initial = channels[0].pk
        self.fields["employee"].queryset = _staff_users()
        bootstrap_inputs(self)
        for criterion in self.criteria:
            if criterion.scoring == Criterion.Scoring.SCALE:
                choices = [(str(s), str(s)) for s in range(1, 6)]
            else:
                choices = [("yes", _("Yes")), ("no", _("No"))]
            choices.append(("na", _("n.a.")))
            self.fields[f"c{criterion.pk}"] = forms.ChoiceField(
                label=criterion.behaviour,
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
            )
            self.fields[f"c{criterion.pk}_note"] = forms.CharField(
                label=_("Comment"), required=False, max_length=1000
            )

    def rows(self):
        """(criterion, answer field, comment field) for the template."""
        return [(c, self[f"c{c.pk}"], self[f"c{c.pk}_note"]) for c in self.criteria]

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            c.pk: (self.cleaned_data[f"c{c.pk}"], self.cleaned_data[f"c{c.pk}_note"])
            for c in self.criteria
        }


class RespondForm(_Crispy, forms.Form):
    comment = forms.CharField(
        label=_("Your comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you dispute the evaluation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Without it crispy renders a <form> of its own inside the page's
        # form, and the Confirm and Dispute buttons end up outside any form.
        self._helper()


def bootstrap_inputs(form: forms.Form) -> None:
    """Small Bootstrap inputs for a filter bar."""
    for field in form.fields.values():
        css = (
            "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        )
        field.widget.attrs.setdefault("class", f"{css} {css}-sm")


class EvaluationFilterForm(forms.Form):
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.all(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.all(), required=False
    )
    employee = UserChoiceField(
        label=_("Employee"), queryset=_staff_users(), required=False
    )
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "---------"), *Evaluation.Status.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = _staff_users()
        bootstrap_inputs(self)


class ImportForm(_Crispy, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, separated by commas or semicolons, with a header row. "
            "“Check” only previews; “Import” saves the rows only if all are valid."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class SamplingPlanForm(_Crispy, forms.ModelForm):
    class Meta:
        model = SamplingPlan
        fields = ["name", "channel", "org_unit", "per_employee_month", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class CalibrationForm(_Crispy, forms.ModelForm):
    class Meta:
        model = CalibrationSession
        fields = ["standard", "title", "reference", "interaction_date", "notes"]
        widgets = {
            "interaction_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
