"""Forms of the core app. They check the shape of input; rules live in services."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from qms.concurrency import ConcurrentEditMixin, EditConflict
from qms.models import Customer, Document, DocumentVersion, Segment


class CustomerForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "kind",
            "name",
            "registry_code",
            "contact_person",
            "email",
            "phone",
            "address",
            "preferred_language",
            "segments",
            "consent_surveys",
            "consent_email",
            "consent_phone",
            "notes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "segments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = Segment.objects.filter(is_active=True)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("phone") or data.get("address")):
            raise forms.ValidationError(
                _(
                    "Give at least one way to reach the customer: e-mail, phone or "
                    "postal address."
                )
            )
        return data


class DocumentForm(forms.ModelForm):
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Plain text; blank lines separate paragraphs."),
    )

    class Meta:
        model = Document
        fields = [
            "identifier",
            "title",
            "kind",
            "area",
            "language",
            "review_interval_months",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class VersionForm(ConcurrentEditMixin, forms.ModelForm):
    class Meta:
        model = DocumentVersion
        fields = ["body", "change_reason"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 20}),
            "change_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "change_reason": _(
                "Why this version is needed: readers see it with the changes."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ApproveForm(CommentForm):
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Until then the current version stays in force."),
    )
    field_order = ["effective_from", "comment"]


def errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    """Show a service's ValidationError (or a form's errors) as messages, for
    a button whose page has no form to show them on."""
    for text in error.messages:
        messages.error(request, text)


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors on their
    fields (when the form has them), everything else above the form."""
    if isinstance(error, EditConflict) and isinstance(form, ConcurrentEditMixin):
        form.show_conflict(error)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
