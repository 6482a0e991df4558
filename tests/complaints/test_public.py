"""The public feedback form, its thank-you page, the status page and the
status-link lookup, as an anonymous visitor sees them."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import public, services
from complaints.models import Case, Message
from qms.uploads import ERR_TYPE_NOT_ALLOWED
from tests.factories import OrgUnitFactory, ServiceFactory

pytestmark = pytest.mark.django_db

FORM_URL = reverse("complaints_public:case-create")
LOOKUP_URL = reverse("complaints_public:status-lookup")


@pytest.fixture(autouse=True)
def fresh_cache():
    # The rate limit lives in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def unit(db):
    return OrgUnitFactory(code="service", name="Customer service")


def valid_data(**overrides) -> dict:
    data = {
        "kind": "complaint",
        "name": "Mari Maasikas",
        "email": "mari@example.com",
        "phone": "",
        "subject": "Late delivery",
        "description": "My parcel arrived two weeks late and damaged.",
        "remedy_sought": "A refund of the delivery fee.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def submit(client, unit, django_capture_on_commit_callbacks):
    """POST the form; e-mails queued on commit are sent."""

    def post(data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(FORM_URL, data or valid_data(), **extra)

    return post


def test_form_page_is_public_and_protected_against_csrf(client, unit):
    response = client.get(FORM_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'id="language-select"' in html  # the site language switcher


def test_csrf_is_enforced(unit):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(FORM_URL, valid_data())

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_honeypot_is_hidden_from_people_and_assistive_technology(client, unit):
    html = client.get(FORM_URL).content.decode()

    hidden = re.search(
        r'class="visually-hidden"\s+aria-hidden="true">(.*?)</div>', html, re.S
    )
    assert hidden is not None
    assert 'name="website"' in hidden.group(1)
    assert 'autocomplete="off"' in hidden.group(1)
    assert 'tabindex="-1"' in hidden.group(1)


def test_form_page_renders_in_estonian(client, unit):
    client.cookies["django_language"] = "et"

    html = client.get(FORM_URL).content.decode()

    assert 'lang="et"' in html


def test_successful_submission_redirects_to_thanks_with_reference(submit):
    response = submit()

    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(
        "complaints_public:case-thanks", args=[case.reference, case.public_token]
    )
    assert case.channel.code == "web-form"
    assert case.org_unit.code == "service"
    assert case.contact_email == "mari@example.com"
    assert case.remedy_sought == "A refund of the delivery fee."
    assert case.status == Case.Status.ACKNOWLEDGED


def test_thanks_page_shows_reference_and_status_link(client, submit):
    response = submit()

    page = client.get(response.url).content.decode()
    case = Case.objects.get()
    assert case.reference in page
    assert (
        reverse(
            "complaints_public:case-status", args=[case.reference, case.public_token]
        )
        in page
    )


def test_acknowledgement_email_contains_the_status_link(submit):
    submit()

    case = Case.objects.get()
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["mari@example.com"]
    assert case.reference in letter.subject
    assert (
        "http://testserver"
        + reverse(
            "complaints_public:case-status", args=[case.reference, case.public_token]
        )
        in letter.body
    )
    assert case.messages.filter(
        direction=Message.Direction.OUTGOING, template="acknowledgement"
    ).exists()


def test_case_language_follows_the_page_language(client, submit):
    client.cookies["django_language"] = "ru"

    submit()

    assert Case.objects.get().language == "ru"


def test_claim_keeps_purchase_date_and_amount(submit):
    submit(valid_data(kind="claim", purchase_date="2026-01-15", claimed_amount="49.90"))

    case = Case.objects.get()
    assert case.kind == "claim"
    assert str(case.purchase_date) == "2026-01-15"
    assert str(case.claimed_amount) == "49.90"


def test_optional_service_is_stored(submit):
    service = ServiceFactory()

    submit(valid_data(service=service.pk))

    assert Case.objects.get().service == service


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "", "phone": ""}, "email", public.ERR_NEED_CONTACT),
        ({"description": "too short"}, "description", None),
        ({"description": ""}, "description", None),
        ({"consent": ""}, "consent", None),
        ({"kind": "dispute"}, "kind", None),
        ({"email": "not-an-address"}, "email", None),
    ],
)
def test_bad_input_shows_field_messages_and_saves_nothing(
    submit, overrides, field, message
):
    response = submit(valid_data(**overrides))

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert str(message) in form.errors[field]
    # Errors are linked to their field for screen readers.
    html = response.content.decode()
    assert f'aria-describedby="id_{field}_error"' in html
    assert not Case.objects.exists()
    assert mail.outbox == []


def test_anonymous_feedback_without_contact_is_accepted(submit):
    response = submit(
        valid_data(kind="suggestion", email="", phone="", name="", no_reply="on")
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.contact_email == case.contact_phone == ""
    assert mail.outbox == []


def test_no_reply_wish_is_respected_even_with_an_address(submit):
    submit(valid_data(no_reply="on"))

    assert Case.objects.get().status == Case.Status.RECEIVED
    assert mail.outbox == []


def test_allowed_attachment_is_stored(submit):
    upload = SimpleUploadedFile("receipt.txt", b"Receipt no 123\n", "text/plain")

    submit(valid_data(attachment=upload))

    assert Case.objects.get().attachments.get().original_name == "receipt.txt"


def test_refused_attachment_is_shown_on_the_field_and_nothing_is_saved(submit):
    upload = SimpleUploadedFile(
        "invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"
    )

    response = submit(valid_data(attachment=upload))

    assert response.status_code == 200
    errors = response.context["form"].errors["attachment"]
    assert str(ERR_TYPE_NOT_ALLOWED).split("%")[0] in errors[0]
    assert not Case.objects.exists()
    assert mail.outbox == []


def test_filled_honeypot_pretends_success_and_saves_nothing(submit):
    response = submit(valid_data(website="http://spam.example"))

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert not Case.objects.exists()
    assert mail.outbox == []


def test_too_many_posts_from_one_address_get_429(submit, settings):
    settings.PUBLIC_FORM_RATE_PER_HOUR = 2

    codes = [submit().status_code for _ in range(3)]

    assert codes == [302, 302, 429]
    assert Case.objects.count() == 2


def test_rate_limit_counts_per_client_address(submit, settings):
    settings.PUBLIC_FORM_RATE_PER_HOUR = 1
    submit(REMOTE_ADDR="10.0.0.1")

    response = submit(REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 302


def test_behind_the_local_proxy_the_forwarded_address_counts(submit, settings):
    settings.PUBLIC_FORM_RATE_PER_HOUR = 1
    submit(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.7")

    other = submit(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.8")
    again = submit(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.7")

    assert (other.status_code, again.status_code) == (302, 429)


def test_forwarded_address_from_a_remote_peer_is_ignored(submit, settings):
    settings.PUBLIC_FORM_RATE_PER_HOUR = 1
    submit(REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP="198.51.100.7")

    response = submit(REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP="198.51.100.9")

    assert response.status_code == 429


def test_rate_limited_page_is_friendly_and_saves_nothing(submit, settings):
    settings.PUBLIC_FORM_RATE_PER_HOUR = 0

    response = submit()

    assert response.status_code == 429
    assert "try again" in response.content.decode()
    assert not Case.objects.exists()


# --- Status page -------------------------------------------------------------


@pytest.fixture
def case(submit):
    submit()
    return Case.objects.get()


def status_url(case, token=None):
    return reverse(
        "complaints_public:case-status",
        args=[case.reference, token or case.public_token],
    )


def test_status_page_shows_case_in_plain_words(client, case):
    response = client.get(status_url(case))

    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html
    assert str(public.STATUS_FOR_CUSTOMER[Case.Status.ACKNOWLEDGED]) in html
    assert "We will answer by" in html


def test_status_page_with_wrong_token_is_not_found(client, case):
    assert client.get(status_url(case, token="x" * 43)).status_code == 404


def test_thanks_page_with_wrong_token_is_not_found(client, case):
    url = reverse("complaints_public:case-thanks", args=[case.reference, "wrong"])

    assert client.get(url).status_code == 404


def test_status_page_shows_the_decision_but_no_notes_or_staff(
    client, case, quality_manager
):
    quality_manager.first_name, quality_manager.last_name = "Kalle", "Kask"
    quality_manager.save()
    case = services.case_transition(case=case, action="accept", by=quality_manager)
    services.message_add(
        case=case,
        direction=Message.Direction.NOTE,
        body="Internal: the courier was at fault.",
        by=quality_manager,
    )
    case = services.case_transition(
        case=case,
        action="decide",
        by=quality_manager,
        outcome=Case.Outcome.UPHELD,
        remedy_given="We refund the delivery fee.",
    )
    before = client.get(status_url(case)).content.decode()
    assert "We refund the delivery fee." not in before
    services.send_template(case=case, template="decision", by=quality_manager)
    services.case_transition(case=case, action="communicate", by=quality_manager)

    html = client.get(status_url(case)).content.decode()

    assert "We refund the delivery fee." in html
    assert str(public.STATUS_FOR_CUSTOMER[Case.Status.COMMUNICATED]) in html
    assert "courier was at fault" not in html
    assert "Kalle" not in html and "Kask" not in html


# --- Status-link lookup ------------------------------------------------------


def test_lookup_mails_the_status_link_when_reference_and_email_match(client, case):
    mail.outbox.clear()

    response = client.post(
        LOOKUP_URL, {"reference": case.reference, "email": "MARI@example.com"}
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert status_url(case) in mail.outbox[0].body
    page = client.get(response.url).content.decode()
    assert "If the reference and the e-mail address belong" in page


def test_lookup_answers_the_same_when_nothing_matches(client, case):
    mail.outbox.clear()

    response = client.post(
        LOOKUP_URL, {"reference": case.reference, "email": "other@example.com"}
    )
    page = client.get(response.url).content.decode()

    assert mail.outbox == []
    assert "If the reference and the e-mail address belong" in page


def test_lookup_is_rate_limited(client, unit, settings):
    settings.PUBLIC_FORM_RATE_PER_HOUR = 1
    data = {"reference": "K-2026-000001", "email": "a@example.com"}
    client.post(LOOKUP_URL, data)

    assert client.post(LOOKUP_URL, data).status_code == 429
