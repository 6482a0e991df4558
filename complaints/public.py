"""Public pages, reachable without signing in: the feedback form, its thank-you
page, the status page a customer reaches with their secret link, and the form
that e-mails that link again."""

from __future__ import annotations

import ipaddress
import secrets
import time
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from qms.access import public
from qms.forms import apply_validation_error
from qms.models import Channel, Language, Service

from . import services
from .attachments import attachment_add
from .intake_email import default_intake_unit
from .models import Case, Message

ERR_NEED_CONTACT = _(
    "Give an e-mail address or a phone number so we can answer you, or tick "
    "“I do not want a reply”."
)
ERR_NEED_EMAIL_FOR_LOOKUP = _("Enter the e-mail address you gave with your case.")
MSG_LOOKUP_SENT = _(
    "If the reference and the e-mail address belong to the same case, we have "
    "sent the link to its status page to that address."
)
DESCRIPTION_MIN_LENGTH = 10

# The kinds a customer chooses from; disputes come from external bodies.
PUBLIC_KINDS = [
    (Case.Kind.COMPLAINT, _("Complaint — something went wrong")),
    (Case.Kind.CLAIM, _("Claim — a faulty product or service under warranty")),
    (Case.Kind.COMPLIMENT, _("Compliment — something went well")),
    (Case.Kind.SUGGESTION, _("Suggestion — an idea for doing better")),
]

# What a customer reads for each workflow status (no internal vocabulary).
STATUS_FOR_CUSTOMER = {
    Case.Status.RECEIVED: _("We have received your case."),
    Case.Status.ACKNOWLEDGED: _("We have registered your case and will look into it."),
    Case.Status.INVESTIGATING: _("We are looking into your case."),
    Case.Status.DECIDED: _("We are preparing our answer."),
    Case.Status.COMMUNICATED: _("We have sent you our answer."),
    Case.Status.REVIEW: _("We are reviewing our answer once more."),
    Case.Status.CLOSED: _("Your case is closed."),
}


class PublicCaseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to tell us?"),
        choices=PUBLIC_KINDS,
        initial=Case.Kind.COMPLAINT,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    no_reply = forms.BooleanField(label=_("I do not want a reply"), required=False)
    service = forms.ModelChoiceField(
        label=_("Service or product"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("— not sure / other —"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What happened?"),
        min_length=DESCRIPTION_MIN_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    remedy_sought = forms.CharField(
        label=_("What would you like us to do?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    purchase_date = forms.DateField(
        label=_("Date of purchase"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    claimed_amount = forms.DecimalField(
        label=_("Amount claimed (€)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Optional: one PDF, image, text or Office document."),
    )
    consent = forms.BooleanField(
        label=_("I agree that my data is processed to handle my case."),
    )
    # One token per opened form: submitting it twice registers one case.
    submission_token = forms.UUIDField(
        widget=forms.HiddenInput, required=False, initial=uuid.uuid4
    )
    # Honeypot: hidden from people and assistive technology; bots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(is_active=True)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "kind",
            Fieldset(
                _("How can we reach you?"),
                "name",
                "email",
                "phone",
                "no_reply",
            ),
            Fieldset(
                _("Your message"),
                "service",
                "subject",
                "description",
                "remedy_sought",
            ),
            Fieldset(
                _("For a claim"),
                "purchase_date",
                "claimed_amount",
                css_id="claim-fields",
            ),
            "attachment",
            HTML('{% include "complaints/public/_privacy_notice.html" %}'),
            "consent",
            "submission_token",
            Div(
                Field("website", autocomplete="off", tabindex="-1"),
                css_class="visually-hidden",
                aria_hidden="true",
            ),
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        if not data.get("no_reply") and not (data.get("email") or data.get("phone")):
            self.add_error("email", ERR_NEED_CONTACT)
        if data.get("kind") != Case.Kind.CLAIM:
            data["purchase_date"] = None
            data["claimed_amount"] = None
        return data


class StatusLookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        help_text=_("For example K-2026-000123."),
    )
    email = forms.EmailField(
        label=_("E-mail address you gave"),
        error_messages={"required": ERR_NEED_EMAIL_FOR_LOOKUP},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


# --- Helpers -----------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind the local reverse proxy (deploy/nginx.conf.example,
    which overwrites X-Real-IP with the real peer) every request would come
    from 127.0.0.1, so there the proxy's X-Real-IP is used instead."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
    try:
        behind_local_proxy = ipaddress.ip_address(remote).is_loopback
    except ValueError:
        behind_local_proxy = False
    if behind_local_proxy and forwarded:
        return forwarded[:64]
    return remote or "unknown"


def rate_limited(request: HttpRequest, scope: str) -> bool:
    """Count this request against the client's hourly allowance; True when it
    is over ``PUBLIC_FORM_RATE_PER_HOUR`` (a fixed window in the cache)."""
    window = int(time.time() // 3600)
    key = f"public-rate:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired between add() and incr().
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.PUBLIC_FORM_RATE_PER_HOUR


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/public/rate_limited.html", status=429)


def _request_language() -> str:
    code = (translation.get_language() or "").split("-")[0]
    return code if code in Language.values else Language.ESTONIAN


def status_url(request: HttpRequest, case: Case) -> str:
    return request.build_absolute_uri(
        reverse(
            "complaints_public:case-status", args=[case.reference, case.public_token]
        )
    )


def _case_for_token(reference: str, token: str) -> Case:
    case = Case.objects.filter(reference=reference).first()
    if case is None or not secrets.compare_digest(
        token.encode(), case.public_token.encode()
    ):
        raise Http404
    return case


def submit_public_case(
    *,
    data: dict,
    upload: UploadedFile | None,
    language: str,
    link_for,
) -> Case:
    """Register a case from the public form and acknowledge it by e-mail with a
    link to its status page. All or nothing: a refused attachment raises
    ValidationError (on ``attachment``) and leaves no case behind."""
    case = Case(
        kind=data["kind"],
        channel=Channel.objects.get(code="web-form"),
        contact_name=data["name"],
        contact_email=data["email"],
        contact_phone=data["phone"],
        language=language,
        service=data["service"],
        subject=data["subject"],
        description=data["description"],
        remedy_sought=data["remedy_sought"],
        purchase_date=data["purchase_date"],
        claimed_amount=data["claimed_amount"],
        org_unit=default_intake_unit(),
        submission_token=data.get("submission_token"),
    )
    with transaction.atomic():
        case = services.case_register(case=case, by=None)
        if upload is not None:
            try:
                attachment_add(case=case, upload=upload, by=None)
            except ValidationError as error:
                raise ValidationError({"attachment": error.messages}) from error
        wants_reply = not data["no_reply"]
        if wants_reply and case.contact_email and not case.is_feedback:
            services.send_template(
                case=case,
                template="acknowledgement",
                by=None,
                extra={"status_url": link_for(case)},
            )
            case = services.case_transition(case=case, action="acknowledge", by=None)
    return case


def _already_submitted(token: uuid.UUID | None) -> Case | None:
    if token is None:
        return None
    return Case.objects.filter(submission_token=token).first()


# --- Views -------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    form = PublicCaseForm()
    if request.method == "POST":
        if rate_limited(request, "form"):
            return _too_many(request)
        form = PublicCaseForm(request.POST, request.FILES)
        if form.is_spam:
            # Look like success so the bot learns nothing; store nothing.
            return render(request, "complaints/public/thanks.html", {"case": None})
        if form.is_valid():
            token = form.cleaned_data.get("submission_token")
            case = _already_submitted(token)
            try:
                if case is None:
                    case = submit_public_case(
                        data=form.cleaned_data,
                        upload=form.cleaned_data["attachment"],
                        language=_request_language(),
                        link_for=lambda c: status_url(request, c),
                    )
            except (ValidationError, IntegrityError) as error:
                # The same form submitted twice at once: the other request won.
                case = _already_submitted(token)
                if case is None:
                    if isinstance(error, IntegrityError):
                        raise
                    apply_validation_error(form, error)
            if case is not None:
                return redirect(
                    "complaints_public:case-thanks", case.reference, case.public_token
                )
    return render(request, "complaints/public/form.html", {"form": form})


@public
@require_http_methods(["GET"])
def case_thanks(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    case = _case_for_token(reference, token)
    return render(
        request,
        "complaints/public/thanks.html",
        {"case": case, "status_url": status_url(request, case)},
    )


@public
@require_http_methods(["GET"])
def case_status(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    case = _case_for_token(reference, token)
    answers = []
    if case.communicated_at:
        # Only the letters that carried the decision: never notes, never names.
        answers = list(
            case.messages.filter(
                direction=Message.Direction.OUTGOING, template="decision"
            ).only("at", "subject", "body")
        )
    return render(
        request,
        "complaints/public/status.html",
        {
            "case": case,
            "status_text": STATUS_FOR_CUSTOMER[case.status],
            "answers": answers,
        },
    )


def send_status_link(*, reference: str, email: str, link_for) -> bool:
    """E-mail the status link if ``email`` is the contact address of the case
    ``reference``; True when a mail went out."""
    case = Case.objects.filter(
        reference=reference.strip().upper(), contact_email__iexact=email.strip()
    ).first()
    if case is None:
        return False
    context = {"case": case, "status_url": link_for(case)}
    with translation.override(case.language):
        subject = render_to_string(
            "complaints/public/status_link_subject.txt", context
        ).strip()
        body = render_to_string("complaints/public/status_link.txt", context)
    send_mail(subject, body, None, [case.contact_email])
    return True


@public
@require_http_methods(["GET", "POST"])
def status_lookup(request: HttpRequest) -> HttpResponse:
    form = StatusLookupForm()
    if request.method == "POST":
        if rate_limited(request, "lookup"):
            return _too_many(request)
        form = StatusLookupForm(request.POST)
        if form.is_valid():
            send_status_link(
                reference=form.cleaned_data["reference"],
                email=form.cleaned_data["email"],
                link_for=lambda c: status_url(request, c),
            )
            # The same answer whether or not anything matched.
            messages.info(request, MSG_LOOKUP_SENT)
            return redirect("complaints_public:status-lookup")
    return render(request, "complaints/public/lookup.html", {"form": form})
