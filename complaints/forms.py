"""Forms of the complaints pages. Shape checks only; rules live in services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms import options
from qms.concurrency import ConcurrentEditMixin
from qms.models import Channel, Customer, OrgUnit, Service

from .models import Case, Category, Message

ERR_CUSTOMER_NOT_FOUND = _("No customer with this number or e-mail.")
ERR_NO_DESCRIPTION = _("Describe what the customer says.")


class _Crispy:
    def _helper(self) -> None:
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


person_label = options.person_label


def _staff_users():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name")
    )


class IntakeForm(_Crispy, forms.ModelForm):
    """Staff intake: a phone complaint can be logged with channel, text and
    (optionally) the customer; the rest has sensible defaults."""

    customer = forms.ModelChoiceField(
        queryset=Customer.objects.all(), required=False, widget=forms.HiddenInput
    )
    new_customer_name = forms.CharField(
        label=_("New customer: name"), max_length=200, required=False
    )
    send_acknowledgement = forms.BooleanField(
        label=_("E-mail the acknowledgement now"), required=False, initial=True
    )

    class Meta:
        model = Case
        fields = [
            "kind",
            "channel",
            "received_at",
            "contact_name",
            "contact_email",
            "contact_phone",
            "language",
            "service",
            "category",
            "subject",
            "description",
            "remedy_sought",
            "severity",
            "priority",
            "safety_related",
            "org_unit",
            "handler",
            "subject_employee",
            "confidential",
            "remedy_type",
            "claimed_amount",
            "purchase_date",
            "guarantee_reference",
        ]
        widgets = {
            "received_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "purchase_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "remedy_sought": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
        self.fields["kind"].choices = [
            c for c in Case.Kind.choices if c[0] != Case.Kind.DISPUTE
        ]
        self.fields["channel"].queryset = Channel.objects.filter(is_active=True)
        self.fields["service"].queryset = Service.objects.filter(is_active=True)
        self.fields["category"].queryset = Category.objects.filter(
            is_active=True
        ).select_related("parent")
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(is_active=True)
        for name in ("handler", "subject_employee"):
            self.fields[name].queryset = _staff_users()
            self.fields[name].label_from_instance = person_label
        self.fields["received_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        self.fields["description"].error_messages["required"] = ERR_NO_DESCRIPTION
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M")
            )
            self.initial.setdefault(
                "channel", Channel.objects.filter(code="phone").first()
            )
            if user is not None:
                membership = getattr(user, "membership", None)
                if membership is not None:
                    self.initial.setdefault("org_unit", membership.unit_id)
                self.initial.setdefault("handler", user.pk)

    def clean(self):
        data = super().clean()
        new_without_contact = not (
            data.get("contact_email") or data.get("contact_phone")
        )
        if data.get("new_customer_name") and new_without_contact:
            self.add_error(
                "new_customer_name", _("Give an e-mail or phone for the new customer.")
            )
        return data


class CaseEditForm(_Crispy, ConcurrentEditMixin, forms.ModelForm):
    """Details staff correct while handling; the workflow fields stay out."""

    class Meta:
        model = Case
        fields = [
            "subject",
            "category",
            "service",
            "severity",
            "priority",
            "safety_related",
            "org_unit",
            "handler",
            "subject_employee",
            "confidential",
            "contact_name",
            "contact_email",
            "contact_phone",
            "language",
            "remedy_sought",
            "remedy_type",
            "claimed_amount",
            "purchase_date",
            "guarantee_reference",
        ]
        widgets = {
            "purchase_date": forms.DateInput(attrs={"type": "date"}),
            "remedy_sought": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
        self.fields["category"].queryset = Category.objects.select_related("parent")
        for name in ("handler", "subject_employee"):
            self.fields[name].queryset = _staff_users()
            self.fields[name].label_from_instance = person_label


class DecisionForm(_Crispy, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Case.Outcome.choices]
    )
    decision_reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required unless the case is fully upheld; the customer reads it."),
    )
    remedy_given = forms.CharField(
        label=_("Remedy given"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    remedy_cost = forms.DecimalField(
        label=_("Cost of the remedy (€)"), required=False, min_value=0, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class CommentForm(_Crispy, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class MessageForm(_Crispy, forms.Form):
    direction = forms.ChoiceField(
        label=_("Kind"), choices=Message.Direction.choices, initial="note"
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.filter(is_active=True),
        required=False,
    )
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    send_email = forms.BooleanField(
        label=_("Send by e-mail to the customer's reply address"), required=False
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
        # Offered from the cached list (qms.options); a submitted channel is
        # still looked up in the queryset.
        channel = self.fields["channel"]
        channel.widget.choices = [
            ("", channel.empty_label),
            *options.choices("active_channels"),
        ]


class PauseForm(_Crispy, forms.Form):
    reason = forms.CharField(
        label=_("Why the clock stops"),
        max_length=300,
        help_text=_("For example: waiting for the customer to send photos."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class DelayForm(_Crispy, forms.Form):
    new_due = forms.DateField(
        label=_("New answer date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason the customer is told"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class ReferenceForm(_Crispy, forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class DisputeForm(_Crispy, forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "body",
            "body_name",
            "body_reference",
            "notice_date",
            "response_due_at",
            "method",
            "description",
        ]
        widgets = {
            "notice_date": forms.DateInput(attrs={"type": "date"}),
            "response_due_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "response_due_at": _("Our response is due"),
            "description": _("What the customer claims before the body"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
        self.fields["body"].required = True
        self.fields["response_due_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        self.fields["description"].required = False


class DisputeOutcomeForm(_Crispy, forms.ModelForm):
    class Meta:
        model = Case
        fields = ["dispute_outcome", "outcome_implemented_on", "outcome_proof"]
        widgets = {
            "outcome_implemented_on": forms.DateInput(attrs={"type": "date"}),
            "outcome_proof": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=_staff_users(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    cases = forms.ModelMultipleChoiceField(queryset=Case.objects.none())

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        handler = self.fields["handler"]
        handler.label_from_instance = person_label
        # Offered from the cached list (qms.options); a submitted handler is
        # still looked up in the queryset.
        handler.widget.choices = [("", handler.empty_label), *options.choices("staff")]
        if queryset is not None:
            self.fields["cases"].queryset = queryset
