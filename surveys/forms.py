"""Forms of the surveys area: the questionnaire builder, the plan, imports,
and the answer form built from a questionnaire's questions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from promises.models import Promise
from qms.concurrency import ConcurrentEditMixin
from qms.models import Segment

from .models import (
    LANGUAGES,
    Option,
    Participant,
    Question,
    Questionnaire,
    Response,
    Section,
    Series,
    TargetGroup,
    Wave,
)
from .services import visible

ERR_REQUIRED = _("Please answer this question.")
ERR_CHOICE = _("Choose one of the given answers.")
ERR_NUMBER = _("Enter a number, for example 12 or 3.5.")
ERR_VALUES = _("Enter whole numbers separated by commas, for example 1, 2.")
TEXT_MAX_LENGTH = 4000


def _int_list(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError as exc:
        raise forms.ValidationError(ERR_VALUES) from exc


class SeriesForm(forms.ModelForm):
    class Meta:
        model = Series
        fields = ["name", "code", "kind", "purpose", "owner", "active"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class QuestionnaireForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "intro_et", "intro_en", "intro_ru"]
        widgets = {
            f"intro_{code}": forms.Textarea(attrs={"rows": 2}) for code in LANGUAGES
        }


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["order", "title_et", "title_en", "title_ru"]


class QuestionForm(forms.ModelForm):
    show_if_values = forms.CharField(
        label=_("is one of (values, comma separated)"),
        required=False,
        help_text=_("Scale points or option code values, e.g. 1, 2."),
    )

    class Meta:
        model = Question
        fields = [
            "section",
            "order",
            "code",
            "type",
            "required",
            "is_overall",
            "text_et",
            "text_en",
            "text_ru",
            "low_label_et",
            "low_label_en",
            "low_label_ru",
            "high_label_et",
            "high_label_en",
            "high_label_ru",
            "show_if",
            "show_if_values",
            "promises",
        ]
        widgets = {
            f"text_{code}": forms.Textarea(attrs={"rows": 2}) for code in LANGUAGES
        }

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = questionnaire.sections.all()
        parents = questionnaire.questions.filter(type__in=Question.INTEGER_TYPES)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["show_if"].queryset = parents
        self.fields["promises"].queryset = Promise.objects.exclude(
            status=Promise.Status.RETIRED
        ).order_by("pk")
        self.fields["code"].help_text = _(
            "Stable across versions and waves, e.g. Q_OVERALL."
        )
        if self.instance.pk:
            self.initial["show_if_values"] = ", ".join(
                str(v) for v in self.instance.show_if_values
            )

    def clean_show_if_values(self) -> list[int]:
        return _int_list(self.cleaned_data.get("show_if_values") or "")


class OptionForm(forms.ModelForm):
    class Meta:
        model = Option
        fields = ["order", "value", "label_et", "label_en", "label_ru"]


class WaveForm(ConcurrentEditMixin, forms.ModelForm):
    reminder_days = forms.CharField(
        label=_("Reminder days"),
        required=False,
        help_text=_("Days after the invitation, comma separated, e.g. 5, 10."),
    )

    class Meta:
        model = Wave
        fields = [
            "name",
            "questionnaire",
            "goal",
            "research_questions",
            "sampling",
            "confidence",
            "margin_of_error",
            "expected_response_rate",
            "mode",
            "anonymous",
            "public_link",
            "opens_on",
            "closes_on",
            "reminder_days",
            "min_seconds",
            "analysis_plan",
            "responsibilities",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "research_questions": forms.Textarea(attrs={"rows": 3}),
            "analysis_plan": forms.Textarea(attrs={"rows": 3}),
            "responsibilities": forms.Textarea(attrs={"rows": 2}),
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, series: Series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = series.questionnaires.all()
        if self.instance.pk:
            self.initial["reminder_days"] = ", ".join(
                str(d) for d in self.instance.reminder_days
            )

    def clean_reminder_days(self) -> list[int]:
        return _int_list(self.cleaned_data.get("reminder_days") or "")


class GroupForm(forms.Form):
    segment = forms.ModelChoiceField(
        label=_("Segment"), queryset=Segment.objects.filter(is_active=True),
        required=False,
    )  # fmt: skip
    name = forms.CharField(label=_("Group name"), max_length=200, required=False)
    population = forms.IntegerField(
        label=_("Population size"),
        min_value=1,
        required=False,
        help_text=_("Empty: the number of customers in the segment."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("name") and data.get("segment"):
            data["name"] = data["segment"].name
        if not data.get("name"):
            self.add_error("name", _("Give the group a name or choose a segment."))
        if not data.get("segment") and not data.get("population"):
            self.add_error(
                "population", _("Without a segment, give the population size.")
            )
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    dry_run = forms.BooleanField(
        label=_("Check only (dry run)"), required=False, initial=True
    )


class NeedLinkForm(forms.Form):
    need = forms.ModelChoiceField(label=_("Need"), queryset=None)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from needs.models import Need

        self.fields["need"].queryset = Need.objects.order_by("-id")


class StaffEntryForm(forms.Form):
    """The header of a phone or paper answer typed in by staff."""

    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (Response.Source.PHONE, Response.Source.PHONE.label),
            (Response.Source.PAPER, Response.Source.PAPER.label),
        ],
    )
    participant = forms.ModelChoiceField(
        label=_("Participant (sampled person)"),
        queryset=Participant.objects.none(),
        required=False,
    )
    group = forms.ModelChoiceField(
        label=_("Target group"), queryset=TargetGroup.objects.none(), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the interview"),
        choices=[("et", "Eesti"), ("en", "English"), ("ru", "Русский")],
    )

    def __init__(self, *args, wave: Wave, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = wave.groups.all()
        self.fields["participant"].queryset = (
            wave.participants.exclude(disposition=Participant.Disposition.COMPLETE)
            .select_related("customer")
            .order_by("id")
        )
        self.fields["participant"].label_from_instance = lambda p: (
            f"#{p.pk} {p.customer.name if p.customer else p.email}"
        )


# --- The answer form --------------------------------------------------------


@dataclass
class Item:
    """One question on an answer page, ready for the template."""

    question: Question
    field: forms.BoundField
    text: str
    low: str
    high: str
    kind: str  # "scale", "choice", "multiple", "number", "text"
    anchor: str
    depends_on: str = ""
    depends_values: str = ""


class AnswerForm(forms.Form):
    """The questions of one page (or the whole questionnaire), field names are
    the question codes. ``previous`` holds the answers of earlier pages, which
    decide the conditional questions; an invisible question is neither
    required nor stored."""

    def __init__(
        self,
        *args,
        questions: Sequence[Question],
        language: str,
        previous: Mapping[str, object] | None = None,
        **kwargs,
    ):
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.language = language
        self.previous = dict(previous or {})
        self.on_page = {q.code for q in self.questions}
        for question in self.questions:
            self.fields[question.code] = self._field(question)

    def _field(self, question: Question) -> forms.Field:
        label = question.text(self.language)
        errors = {"required": ERR_REQUIRED, "invalid_choice": ERR_CHOICE}
        T = Question.Type
        if question.scale:
            low, high = question.scale
            return forms.TypedChoiceField(
                label=label,
                choices=[(v, str(v)) for v in range(low, high + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                error_messages=errors,
            )
        if question.type in (T.SINGLE, T.MULTIPLE):
            choices = [
                (o.value, o.label(self.language)) for o in question.options.all()
            ]
            field_class = (
                forms.TypedChoiceField
                if question.type == T.SINGLE
                else forms.TypedMultipleChoiceField
            )
            return field_class(
                label=label,
                choices=choices,
                coerce=int,
                required=False,
                widget=(
                    forms.RadioSelect
                    if question.type == T.SINGLE
                    else forms.CheckboxSelectMultiple
                )(attrs={"class": "form-check-input"}),
                error_messages=errors,
                **({"empty_value": None} if question.type == T.SINGLE else {}),
            )
        if question.type == T.NUMERIC:
            return forms.FloatField(
                label=label,
                required=False,
                error_messages={**errors, "invalid": ERR_NUMBER},
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            )
        return forms.CharField(
            label=label,
            required=False,
            max_length=TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def values(self) -> dict[str, object]:
        """Answers so far: earlier pages plus this page's cleaned data."""
        data = dict(self.previous)
        for code in self.on_page:
            value = self.cleaned_data.get(code)
            if value in (None, "", []):
                data.pop(code, None)
            else:
                data[code] = value
        return data

    def clean(self):
        data = super().clean()
        values = {
            **self.previous,
            **{k: v for k, v in data.items() if v not in ("", [])},
        }
        for question in self.questions:
            if not visible(question, values):
                data[question.code] = None
                self.errors.pop(question.code, None)
                continue
            missing = data.get(question.code) in (None, "", [])
            if question.required and missing and question.code not in self.errors:
                self.add_error(question.code, ERR_REQUIRED)
        return data

    def items(self) -> list[Item]:
        """What the template renders, skipping questions hidden by an answer
        on an earlier page."""
        items = []
        for question in self.questions:
            parent = question.show_if
            earlier = parent is not None and parent.code not in self.on_page
            if earlier and not visible(question, self.previous):
                continue
            field = self[question.code]
            if question.scale:
                kind = "scale"
            elif question.type == Question.Type.SINGLE:
                kind = "choice"
            elif question.type == Question.Type.MULTIPLE:
                kind = "multiple"
            elif question.type == Question.Type.NUMERIC:
                kind = "number"
            else:
                kind = "text"
            grouped = kind in ("scale", "choice", "multiple")
            items.append(
                Item(
                    question=question,
                    field=field,
                    text=question.text(self.language),
                    low=question.low_label(self.language),
                    high=question.high_label(self.language),
                    kind=kind,
                    anchor=f"id_{question.code}_0"
                    if grouped
                    else f"id_{question.code}",
                    depends_on=(
                        parent.code
                        if parent is not None and parent.code in self.on_page
                        else ""
                    ),
                    depends_values=",".join(str(v) for v in question.show_if_values),
                )
            )
        return items
