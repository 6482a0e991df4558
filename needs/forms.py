"""Forms of the needs registry: they check the shape of input only."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qms.concurrency import ConcurrentEditMixin
from qms.models import Service

from .models import Need, NeedLink, NeedReview


def person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class NeedForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Need
        fields = [
            "statement",
            "segments",
            "service",
            "requirement_class",
            "expectation",
            "kano",
            "importance",
            "performance",
            "source",
            "identified_on",
            "owner",
            "next_review_date",
            "conflicts_with",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "identified_on": forms.DateInput(attrs={"type": "date"}),
            "next_review_date": forms.DateInput(attrs={"type": "date"}),
            "segments": forms.CheckboxSelectMultiple,
            "importance": forms.Select(choices=[(i, i) for i in range(1, 6)]),
            "performance": forms.Select(choices=[(i, i) for i in range(1, 6)]),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("first_name")
        self.fields["owner"].queryset = users
        self.fields["owner"].label_from_instance = person_label
        conflicts = Need.objects.exclude(status__in=Need.CLOSED_STATUSES)
        if self.instance.pk:
            conflicts = conflicts.exclude(pk=self.instance.pk)
        self.fields["conflicts_with"].queryset = conflicts.order_by("id")
        self.fields["conflicts_with"].required = False


class ReviewForm(forms.ModelForm):
    class Meta:
        model = NeedReview
        fields = ["result", "conditions", "rationale"]
        widgets = {
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
        }


class _CriterionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.link_label


class LinkForm(forms.Form):
    """Link a need to a service or an improvement plan (the records that exist
    today; promises, standard criteria and survey questions follow)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=NeedLink.Kind.choices)
    service = forms.ModelChoiceField(
        label=_("Service or product"), queryset=Service.objects.all(), required=False
    )
    plan = forms.ModelChoiceField(
        label=_("Improvement plan"), queryset=None, required=False
    )
    criterion = _CriterionChoiceField(
        label=_("Criterion of a communication standard"),
        queryset=None,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.apps import apps

        from improvements.models import Plan

        self.fields["plan"].queryset = Plan.objects.order_by("-id")
        # Looked up by name: the standards app does not import needs either.
        self.fields["criterion"].queryset = apps.get_model(
            "standards", "Criterion"
        ).objects.linkable()

    def clean(self):
        data = super().clean()
        chosen = [data.get("service"), data.get("plan"), data.get("criterion")]
        if sum(1 for c in chosen if c) != 1:
            raise forms.ValidationError(
                _("Choose one service, one plan or one criterion.")
            )
        data["target"] = (
            data.get("service") or data.get("plan") or data.get("criterion")
        )
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    dry_run = forms.BooleanField(
        label=_("Check only (dry run)"), required=False, initial=True
    )
