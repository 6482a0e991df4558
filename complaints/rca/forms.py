"""Forms of the root-cause analysis pages, each with a short method guide."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qms.concurrency import ConcurrentEditMixin

from ..models import (
    Case,
    Category,
    IshikawaCategory,
    IshikawaCause,
    RootCauseAnalysis,
    WhyStep,
)
from ..selectors import cases_visible_to
from .selectors import root_cause_choices

GUIDE_PROBLEM = _(
    "Describe the problem, not its cause: what happened, where, since when and "
    "how many cases or customers it touched. Group several cases into one "
    "analysis when they show the same problem. Pick the methods you will use; "
    "a team of people who know the process finds more causes than one person."
)
GUIDE_FIVE_WHYS = _(
    "Start from the problem and ask why it happened; then ask why again about "
    "the answer, until you reach a cause the organisation can act on. Support "
    "each answer with evidence (data, records, an observation) — an answer "
    "without evidence may lead the chain astray. Five is a rule of thumb, not a "
    "limit. Stop at systemic causes (training, procedure, system design), not "
    'at a person: if the answer is "human error", ask why the error was '
    "possible."
)
GUIDE_ISHIKAWA = _(
    "Brainstorm possible causes category by category (people, methods, "
    "systems, information, measurement, environment), so no area is "
    "forgotten; add sub-causes under a cause to go deeper. Every cause starts "
    "as a hypothesis. Then check each one against data and mark it confirmed "
    "or rejected, writing down the evidence."
)
GUIDE_PARETO = _(
    "A few categories usually account for most cases or cost (the vital few). "
    "Sort the categories by size and read the cumulative share: the bars up to "
    'the cut-off line are where an analysis pays off most. "Other" collects '
    "cases without a category and is never among the vital few; if it is large, "
    "categorise better first."
)
GUIDE_CONCLUDE = _(
    "Conclude when the root causes are verified by evidence. State the "
    "conclusion in one or two sentences and list the verified root causes; "
    "choose the root-cause category so the closed cases can be counted by "
    "cause in the Pareto analysis."
)

ERR_UNKNOWN_CASES = _("No case you may see has the reference %(references)s.")

_REFERENCE_SPLIT = re.compile(r"[\s,;]+")


def _people():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


class AnalysisForm(ConcurrentEditMixin, forms.ModelForm):
    case_references = forms.CharField(
        label=_("Case references"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more references (K-2026-000123), separated by spaces."),
    )

    class Meta:
        model = RootCauseAnalysis
        fields = [
            "title",
            "problem_what",
            "problem_where",
            "problem_when",
            "problem_how_many",
            "lead",
            "team",
            "uses_five_whys",
            "uses_ishikawa",
            "uses_pareto",
        ]
        widgets = {
            "problem_what": forms.Textarea(attrs={"rows": 3}),
            "team": forms.SelectMultiple(attrs={"size": 6}),
        }

    guide = GUIDE_PROBLEM

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["lead"].queryset = _people()
        self.fields["team"].queryset = _people()
        self.fields["team"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["case_references"] = " ".join(
                self.instance.cases.values_list("reference", flat=True)
            )

    def clean_case_references(self) -> list[Case]:
        text = self.cleaned_data.get("case_references", "")
        references = [r.upper() for r in _REFERENCE_SPLIT.split(text) if r]
        references = list(dict.fromkeys(references))
        cases = list(cases_visible_to(self.user).filter(reference__in=references))
        missing = sorted(set(references) - {c.reference for c in cases})
        if missing:
            raise forms.ValidationError(
                ERR_UNKNOWN_CASES, params={"references": ", ".join(missing)}
            )
        return cases


class WhyStepForm(forms.ModelForm):
    class Meta:
        model = WhyStep
        fields = ["question", "answer", "evidence", "is_root_cause"]
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    guide = GUIDE_FIVE_WHYS


class IshikawaCauseForm(forms.ModelForm):
    class Meta:
        model = IshikawaCause
        fields = ["category", "parent", "text", "status", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2})}

    guide = GUIDE_ISHIKAWA

    def __init__(self, *args, analysis: RootCauseAnalysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = IshikawaCategory.objects.filter(
            is_active=True
        )
        parents = analysis.causes.filter(parent__isnull=True).select_related("category")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = _(
            "Leave empty for a cause on the bone itself; a sub-cause takes its "
            "parent's category."
        )


class ConcludeForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3})
    )
    verified_root_causes = forms.CharField(
        label=_("Verified root causes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. Empty: the marked why step and confirmed causes."),
    )
    root_cause_category = forms.ModelChoiceField(
        queryset=root_cause_choices(),
        label=_("Root-cause category"),
        required=False,
    )
    apply_to_cases = forms.BooleanField(
        label=_("Give this category to the analysis's closed cases that have none"),
        required=False,
        initial=True,
    )

    guide = GUIDE_CONCLUDE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root_cause_category"].queryset = root_cause_choices()


class CaseRootCauseForm(forms.Form):
    root_cause_category = forms.ModelChoiceField(
        queryset=root_cause_choices(),
        label=_("Root-cause category"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root_cause_category"].queryset = root_cause_choices()


class MonthField(forms.DateField):
    """A month as ``YYYY-MM`` (the browser's month picker), as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]


class ParetoForm(forms.Form):
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Case.Kind.choices],
        required=False,
    )
    channel = forms.ModelChoiceField(
        queryset=None, label=_("Channel"), empty_label=_("All channels"), required=False
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        label=_("Category"),
        empty_label=_("All categories"),
        required=False,
    )
    org_unit = forms.ModelChoiceField(
        queryset=None, label=_("Unit"), empty_label=_("All units"), required=False
    )
    level = forms.ChoiceField(
        label=_("Categories"),
        choices=[("main", _("Main categories")), ("sub", _("Subcategories"))],
        required=False,
    )
    cut = forms.IntegerField(
        label=_("Cut-off (%)"), min_value=50, max_value=100, required=False
    )

    guide = GUIDE_PARETO

    def __init__(self, *args, **kwargs):
        from qms.models import Channel, OrgUnit

        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.all()
        self.fields["org_unit"].queryset = OrgUnit.objects.all()
        self.fields["category"].queryset = Category.objects.select_related(
            "parent"
        ).order_by("parent__sort_order", "parent__name", "sort_order", "name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The first month must not be after the last.")
            )
        return data
