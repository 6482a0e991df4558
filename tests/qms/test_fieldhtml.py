"""qms.fieldhtml writes a field as crispy's ``|as_crispy_field`` does."""

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from complaints.filters import CaseFilter
from complaints.models import Case
from qms.fieldhtml import bootstrap_field


class _Canonical(HTMLParser):
    """Tags with their attributes and the text between them, whitespace
    between tags ignored: what a browser and assistive technology see."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append((tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.tokens.append(("/" + tag,))

    def handle_data(self, data):
        if text := " ".join(data.split()):
            self.tokens.append(text)


def canonical(html: str) -> list:
    parser = _Canonical()
    parser.feed(str(html))
    return parser.tokens


class Everything(forms.Form):
    text = forms.CharField(label="Name <b>", help_text="Say <em>who</em>")
    number = forms.IntegerField(required=False)
    email = forms.EmailField(required=False)
    day = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    moment = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "A & a"), ("b", "B")])
    several = forms.MultipleChoiceField(
        required=False, choices=[("a", "A"), ("b", "B"), ("c", "C")]
    )
    flag = forms.BooleanField(required=False, label="Tick <me>")
    must = forms.BooleanField(label="Must")
    styled = forms.ChoiceField(
        required=False,
        choices=[("x", "X")],
        widget=forms.Select(attrs={"class": "form-select-sm", "data-x": "1"}),
    )
    notes = forms.CharField(required=False, widget=forms.Textarea)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)


BOUND = [
    {},
    {"text": "x\"<y>'&", "number": "12", "choice": "a", "several": ["a", "c"]},
    {"text": "", "number": "zz", "email": "nope", "day": "bad", "choice": "q"},
    {"flag": "on", "must": "on", "day": "2026-02-03", "moment": "2026-02-03T10:00"},
]


@pytest.mark.parametrize("data", [None, *BOUND])
def test_every_plain_widget_matches_crispy(data):
    form = Everything(data) if data is not None else Everything()
    form.is_valid() if data is not None else None
    for field in form:
        assert canonical(bootstrap_field(field)) == canonical(as_crispy_field(field)), (
            field.name
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "a<b\"&'", "kind": "claim", "due": "overdue", "sort": "oldest"},
        {"status": ["closed", "review"], "received_from": "2026-01-01", "mine": "on"},
        {"kind": "nonsense", "status": ["nope"], "received_to": "bad", "sort": "x"},
        {"channel": "999999", "category": "x", "handler": "0"},
    ],
)
def test_queue_filter_fields_match_crispy(query, quality_manager):
    # The model choice fields offer the cached lists; crispy, given the same
    # field, renders the same choices.
    filterset = CaseFilter(query, queryset=Case.objects.all(), user=quality_manager)
    filterset.is_valid()
    for field in filterset.form:
        assert canonical(bootstrap_field(field)) == canonical(as_crispy_field(field)), (
            field.name
        )


@pytest.mark.django_db
@pytest.mark.parametrize("bound", [False, True])
def test_case_page_forms_match_crispy(bound):
    from crispy_forms.utils import render_crispy_form

    from complaints import forms as case_forms
    from qms.fieldhtml import bootstrap_form

    data = {"outcome": "zz", "remedy_cost": "-1", "new_due": "x", "body": "?"}
    for form_class, prefix in [
        (case_forms.DecisionForm, None),
        (case_forms.PauseForm, "pause"),
        (case_forms.DelayForm, "delay"),
        (case_forms.ReferenceForm, None),
        (case_forms.DisputeForm, None),
        (case_forms.MessageForm, None),
        (case_forms.DisputeOutcomeForm, None),
        (case_forms.CommentForm, None),
    ]:
        form = form_class(data if bound else None, prefix=prefix)
        if bound:
            form.is_valid()
        ours = canonical(bootstrap_form(form))
        assert ours == canonical(render_crispy_form(form, form.helper)), form_class
