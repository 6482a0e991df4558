"""Forms of the promises area: they check the shape of input only."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qms import measures
from qms.concurrency import ConcurrentEditMixin
from qms.models import Document

from .models import (
    FulfilmentEvent,
    Principle,
    PrincipleScore,
    Promise,
    PromiseIndicator,
    PromiseReview,
)


def person_label(user) -> str:
    return user.get_full_name() or user.get_username()


DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}


class PromiseForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Promise
        fields = [
            "title",
            "text_et",
            "text_en",
            "text_ru",
            "remedy_et",
            "remedy_en",
            "remedy_ru",
            "internal_description",
            "procedures",
            "services",
            "channels",
            "segments",
            "conditions",
            "owner",
            "capability_rationale",
            "next_review_date",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "text_et", "text_en", "text_ru", "remedy_et", "remedy_en",
                "remedy_ru", "internal_description", "conditions",
                "capability_rationale",
            )
        } | {
            "next_review_date": forms.DateInput(attrs=DATE),
            "services": forms.CheckboxSelectMultiple,
            "channels": forms.CheckboxSelectMultiple,
            "segments": forms.CheckboxSelectMultiple,
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("first_name")
        self.fields["owner"].queryset = users
        self.fields["owner"].label_from_instance = person_label
        self.fields["procedures"].queryset = Document.objects.order_by("identifier")
        self.fields["procedures"].required = False


def share_measure_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [
        (m.key, f"{m.label} ({m.key})")
        for m in measures.all_measures()
        if m.kind == measures.SHARE and not m.key.startswith("promises.")
    ]


class IndicatorForm(ConcurrentEditMixin, forms.ModelForm):
    source_measure = forms.ChoiceField(
        label=_("Measure (derived indicators)"), required=False, choices=()
    )

    class Meta:
        model = PromiseIndicator
        fields = [
            "name",
            "kind",
            "start_label",
            "end_label",
            "time_limit",
            "time_unit",
            "threshold",
            "direction",
            "value_unit",
            "source_measure",
            "target_share",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_measure"].choices = share_measure_choices()


class EventForm(forms.ModelForm):
    kept = forms.TypedChoiceField(
        label=_("Kept"),
        required=False,
        choices=[("", "—"), ("1", _("Kept")), ("0", _("Broken"))],
        coerce=lambda v: v == "1",
        empty_value=None,
    )

    class Meta:
        model = FulfilmentEvent
        fields = [
            "indicator",
            "occurred_at",
            "started_at",
            "ended_at",
            "value",
            "kept",
            "reason",
            "reference",
        ]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs=DATETIME),
            "started_at": forms.DateTimeInput(attrs=DATETIME),
            "ended_at": forms.DateTimeInput(attrs=DATETIME),
        }

    def __init__(self, *args, promise: Promise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = promise.indicators.exclude(
            kind=PromiseIndicator.Kind.MEASURE
        )
        self.fields["occurred_at"].required = False


class ExcludeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for exclusion"), max_length=300)


class AssessmentForm(forms.Form):
    """One score and one line of evidence per ISO 10001 guiding principle."""

    def __init__(self, *args, scores: dict[str, PrincipleScore], **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Principle.choices:
            current = scores.get(value)
            self.fields[f"score_{value}"] = forms.TypedChoiceField(
                label=label,
                choices=PrincipleScore.Score.choices,
                coerce=int,
                initial=current.score if current else 0,
            )
            self.fields[f"evidence_{value}"] = forms.CharField(
                label=_("Evidence"),
                max_length=300,
                required=False,
                initial=current.evidence if current else "",
            )

    def rows(self):
        return [
            (self[f"score_{value}"], self[f"evidence_{value}"])
            for value, _label in Principle.choices
        ]

    def scores(self) -> dict[str, tuple[int, str]]:
        return {
            value: (
                self.cleaned_data[f"score_{value}"],
                self.cleaned_data[f"evidence_{value}"],
            )
            for value, _label in Principle.choices
        }


class ReviewForm(forms.ModelForm):
    class Meta:
        model = PromiseReview
        fields = [
            "period_start",
            "period_end",
            "performance_summary",
            "complaints_summary",
            "context_changes",
            "decision",
            "decision_notes",
            "next_review_date",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs=DATE),
            "period_end": forms.DateInput(attrs=DATE),
            "next_review_date": forms.DateInput(attrs=DATE),
            "performance_summary": forms.Textarea(attrs={"rows": 5}),
            "complaints_summary": forms.Textarea(attrs={"rows": 3}),
            "context_changes": forms.Textarea(attrs={"rows": 3}),
            "decision_notes": forms.Textarea(attrs={"rows": 3}),
        }


class TagForm(forms.Form):
    promise = forms.ModelChoiceField(
        label=_("Promise broken"), queryset=Promise.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promise"].queryset = Promise.objects.exclude(
            status=Promise.Status.DRAFT
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    dry_run = forms.BooleanField(
        label=_("Check only (dry run)"), required=False, initial=True
    )
