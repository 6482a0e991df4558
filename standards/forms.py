"""Forms of the standards area: they check the shape of input only."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from qms.models import Channel

from .models import Criterion, Standard


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


class StandardForm(_Crispy, forms.ModelForm):
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


class CriterionForm(_Crispy, forms.ModelForm):
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
