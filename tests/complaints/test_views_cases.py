"""Staff pages: work queue, intake form, case page, actions, exports."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from complaints.models import Case, Category, Message
from qms.models import Channel, Customer, Membership
from tests.factories import CustomerFactory, OrgUnitFactory, register_case

TALLINN = zoneinfo.ZoneInfo("Europe/Tallinn")


@pytest.fixture
def unit(db):
    return OrgUnitFactory(code="team-a")


@pytest.fixture
def staff(service_staff, unit):
    Membership.objects.create(user=service_staff, unit=unit)
    return service_staff


def _post_case(client, **extra):
    data = {
        "kind": "complaint",
        "channel": Channel.objects.get(code="phone").pk,
        "received_at": "2026-11-02T10:00",
        "language": "et",
        "description": "Water has been brown since Monday.",
        "severity": "medium",
        "priority": "normal",
        "org_unit": extra.pop("org_unit"),
        **extra,
    }
    return client.post(reverse("complaints:case-create"), data)


def test_staff_logs_a_phone_complaint_with_a_known_customer(client_for, staff, unit):
    customer = CustomerFactory(name="Mari Tamm", email="mari@example.org")
    response = _post_case(client_for(staff), org_unit=unit.pk, customer=customer.pk)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert case.customer == customer
    assert case.contact_email == "mari@example.org"
    assert case.created_by == staff


def test_staff_creates_a_new_customer_inline(client_for, staff, unit):
    _post_case(
        client_for(staff),
        org_unit=unit.pk,
        new_customer_name="Uus Klient",
        contact_phone="+372 5555 1234",
    )
    case = Case.objects.get()
    assert case.customer.name == "Uus Klient"
    assert Customer.objects.filter(name="Uus Klient").count() == 1


def test_intake_without_description_shows_error_and_saves_nothing(
    client_for, staff, unit
):
    response = _post_case(client_for(staff), org_unit=unit.pk, description="")
    assert response.status_code == 200
    assert "Describe what the customer says." in response.content.decode()
    assert not Case.objects.exists()
    assert not Customer.objects.exists()


def test_customer_lookup_lists_matches(client_for, staff):
    CustomerFactory(name="Kadri Kask")
    html = (
        client_for(staff)
        .get(reverse("complaints:customer-lookup"), {"customer_search": "kask"})
        .content.decode()
    )
    assert "Kadri Kask" in html
    assert 'name="customer"' in html


def test_queue_filters_by_status_kind_category_and_text(client_for, staff, unit):
    billing = Category.objects.create(name="Billing", code="billing")
    wrong = Category.objects.create(name="Wrong amount", code="wrong", parent=billing)
    register_case(org_unit=unit, subject="Bill doubled", category=wrong)
    register_case(org_unit=unit, subject="Rude agent", kind=Case.Kind.CLAIM)
    client = client_for(staff)
    url = reverse("complaints:case-list")

    def subjects(**params):
        return [c.subject for c in client.get(url, params).context["page"]]

    assert subjects(category=billing.pk) == ["Bill doubled"]
    assert subjects(kind="claim") == ["Rude agent"]
    assert subjects(q="doubled") == ["Bill doubled"]
    assert subjects(status="closed") == []
    assert sorted(subjects(status="received")) == ["Bill doubled", "Rude agent"]


def test_queue_shows_overdue_and_my_cases(client_for, staff, unit):
    mine = register_case(org_unit=unit, subject="Mine", handler=staff)
    late = register_case(org_unit=unit, subject="Late")
    Case.objects.filter(pk=late.pk).update(
        response_due_at=late.received_at.replace(year=2000)
    )
    client = client_for(staff)
    url = reverse("complaints:case-list")
    overdue = client.get(url, {"due": "overdue"})
    assert [c.subject for c in overdue.context["page"]] == ["Late"]
    assert "Overdue" in overdue.content.decode()
    assert [c.pk for c in client.get(url, {"mine": "on"}).context["page"]] == [mine.pk]


def test_queue_query_count_does_not_grow(
    client_for, staff, unit, django_assert_num_queries
):
    for n in range(40):
        register_case(org_unit=unit, subject=f"Case {n}", customer=CustomerFactory())
    client = client_for(staff)
    url = reverse("complaints:case-list")
    client.get(url)  # fills the cached option lists (qms.options)
    # session, user, permissions (2), membership unit, units tree, count, rows,
    # process description (document, effective version, open version); the
    # filter's and the assignment's option lists come from the cache.
    with django_assert_num_queries(8):
        response = client.get(url, {"page": 2})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 15


def test_queue_filter_offers_a_new_category_on_the_next_page(client_for, staff, unit):
    client = client_for(staff)
    url = reverse("complaints:case-list")
    assert "Leaking pipes" not in client.get(url).content.decode()
    category = Category.objects.create(code="leaks", name="Leaking pipes")
    html = client.get(url).content.decode()
    assert f'<option value="{category.pk}">Leaking pipes</option>' in html
    category.name = "Burst pipes"
    category.save()
    html = client.get(url, {"category": category.pk}).content.decode()
    assert f'<option value="{category.pk}" selected>Burst pipes</option>' in html


def test_case_page_query_count(client_for, staff, unit, django_assert_num_queries):
    case = register_case(org_unit=unit, subject="Bill doubled")
    Message.objects.create(case=case, direction="note", body="Checked the meter")
    client = client_for(staff)
    client.get(case.get_absolute_url())  # fills the cached option lists
    # session, user, permissions, units (2), case, transitions, messages and
    # their attachments, other attachments, root-cause analyses, promise tags
    # and promises (3), improvement plans (2), related cases, disputes, history.
    with django_assert_num_queries(18):
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200


@time_machine.travel(datetime.datetime(2026, 11, 3, 12, 0, tzinfo=TALLINN), tick=False)
def test_staff_intake_query_count(client_for, staff, unit, django_assert_num_queries):
    client = client_for(staff)
    # session, user, permissions, the form's lookups and model validation,
    # numbering (lock, update), deadline rule, closure days, the service's
    # validation (foreign keys, unique reference, check constraints with their
    # savepoints), insert, history row, first transition. The clock is frozen
    # in the month the case is received: a case of a complete month costs one
    # more query (its month's complaints summary is marked stale).
    with django_assert_num_queries(33):
        response = _post_case(client, org_unit=unit.pk, subject="Counted")
    assert response.status_code == 302
    assert Case.objects.filter(subject="Counted").count() == 1


def test_export_csv_and_xlsx_follow_the_filters(client_for, staff, unit):
    register_case(org_unit=unit, subject="Bill doubled")
    register_case(org_unit=unit, subject="Other", kind=Case.Kind.CLAIM)
    client = client_for(staff)
    url = reverse("complaints:case-list")
    csv_text = b"".join(
        client.get(url, {"kind": "complaint", "export": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "Bill doubled" in csv_text and "Other" not in csv_text
    xlsx = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert len(rows) == 3


def test_bulk_assignment(client_for, staff, unit):
    cases = [register_case(org_unit=unit) for _ in range(3)]
    response = client_for(staff).post(
        reverse("complaints:case-assign"),
        {"assign-handler": staff.pk, "assign-cases": [c.pk for c in cases[:2]]},
        follow=True,
    )
    assert "2 cases assigned" in response.content.decode()
    assert Case.objects.filter(handler=staff).count() == 2


def test_case_page_shows_timeline_and_offered_actions(client_for, staff, unit):
    case = register_case(org_unit=unit, subject="Bill doubled")
    Message.objects.create(case=case, direction="note", body="Checked the meter")
    html = client_for(staff).get(case.get_absolute_url()).content.decode()
    assert "Checked the meter" in html
    assert "Internal note" in html
    assert "Accept for handling" in html
    assert "Communicate decision" not in html


def test_action_buttons_move_the_case(client_for, staff, unit):
    case = register_case(org_unit=unit)
    client = client_for(staff)
    client.post(
        reverse("complaints:case-step", args=[case.reference]), {"step": "accept"}
    )
    response = client.post(
        reverse("complaints:case-decide", args=[case.reference]),
        {"outcome": "not_upheld", "decision_reasons": ""},
        follow=True,
    )
    assert "must give its reasons in writing" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.INVESTIGATING
    client.post(
        reverse("complaints:case-decide", args=[case.reference]),
        {"outcome": "not_upheld", "decision_reasons": "Reading verified."},
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DECIDED


def test_refused_transition_shows_message(client_for, staff, unit):
    case = register_case(org_unit=unit)
    response = client_for(staff).post(
        reverse("complaints:case-step", args=[case.reference]),
        {"step": "communicate"},
        follow=True,
    )
    assert "cannot be" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED


def test_outgoing_message_is_emailed_and_logged(
    client_for, staff, unit, mailoutbox, django_capture_on_commit_callbacks
):
    case = register_case(org_unit=unit, contact_email="mari@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(
            reverse("complaints:case-message", args=[case.reference]),
            {"direction": "out", "body": "We are checking.", "send_email": "on"},
        )
    assert mailoutbox[0].to == ["mari@example.org"]
    assert case.messages.get().to_address == "mari@example.org"


def test_renamed_executable_is_refused_and_nothing_is_saved(client_for, staff, unit):
    case = register_case(org_unit=unit)
    fake = SimpleUploadedFile(
        "invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf"
    )
    response = client_for(staff).post(
        reverse("complaints:case-message", args=[case.reference]),
        {"direction": "note", "body": "See file", "attachment": fake},
        follow=True,
    )
    assert "cannot be attached" in response.content.decode()
    assert not case.messages.exists()
    assert not case.attachments.exists()


def test_pdf_attachment_is_stored_and_served_only_to_those_who_see_the_case(
    client_for, staff, unit, outsider, executive
):
    case = register_case(org_unit=unit)
    pdf = SimpleUploadedFile("photo.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n")
    client_for(staff).post(
        reverse("complaints:case-message", args=[case.reference]),
        {"direction": "in", "body": "Customer sent a file", "attachment": pdf},
    )
    attachment = case.attachments.get()
    assert attachment.content_type == "application/pdf"
    url = attachment.get_absolute_url()
    assert client_for(staff).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 403


def test_staff_correct_case_details_and_history_shows_it(client_for, staff, unit):
    case = register_case(org_unit=unit, subject="Old subject")
    client = client_for(staff)
    url = reverse("complaints:case-update", args=[case.reference])
    response = client.post(
        url,
        {
            "subject": "Bill doubled",
            "severity": "high",
            "priority": "high",
            "org_unit": unit.pk,
            "language": "et",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.subject, case.severity) == ("Bill doubled", "high")
    html = client.get(case.get_absolute_url()).content.decode()
    assert "<del>Old subject</del>" in html


def test_handler_cannot_be_the_employee_the_case_is_about(client_for, staff, unit):
    case = register_case(org_unit=unit)
    response = client_for(staff).post(
        reverse("complaints:case-update", args=[case.reference]),
        {
            "severity": "medium",
            "priority": "normal",
            "org_unit": unit.pk,
            "language": "et",
            "handler": staff.pk,
            "subject_employee": staff.pk,
        },
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.handler is None


def test_closed_case_is_locked_for_edits(client_for, staff, unit):
    from complaints import services

    case = register_case(org_unit=unit)
    services.case_transition(
        case=case, action="not_a_complaint", by=staff, comment="question"
    )
    response = client_for(staff).get(
        reverse("complaints:case-update", args=[case.reference]), follow=True
    )
    assert "A closed case is locked" in response.content.decode()


def test_pause_and_delay_forms_post_under_their_prefixes(
    client_for, staff, unit, mailoutbox, django_capture_on_commit_callbacks
):
    case = register_case(org_unit=unit, contact_email="mari@example.org")
    client = client_for(staff)
    client.post(
        reverse("complaints:case-pause", args=[case.reference]),
        {"pause-reason": "Waiting for photos"},
    )
    case.refresh_from_db()
    assert case.paused_since is not None
    client.post(reverse("complaints:case-resume", args=[case.reference]))
    new_due = (case.response_due_at + datetime.timedelta(days=20)).date()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("complaints:case-delay", args=[case.reference]),
            {"delay-new_due": new_due.isoformat(), "delay-reason": "Lab test"},
        )
    case.refresh_from_db()
    assert case.response_due_at.date() == new_due
    assert "Lab test" in mailoutbox[0].body


def test_case_step_refuses_hostile_input_and_takes_a_double_click_once(
    client_for, staff, unit
):
    """The case page's step buttons post a step name and a comment: an
    unknown step, a 50,000-character comment or a NUL byte is refused with a
    message and changes nothing; the same step posted twice is taken once."""
    case = register_case(org_unit=unit)
    client = client_for(staff)
    url = reverse("complaints:case-step", args=[case.reference])
    for data in (
        {"step": "../../admin"},
        {"step": "no_such_step"},
        {"step": "accept", "comment": "x" * 50_000},
        {"step": "accept", "comment": "nul\x00byte"},
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert list(response.context["messages"]), data
        case.refresh_from_db()
        assert case.status == Case.Status.RECEIVED
        assert not case.transitions.filter(action="accept").exists()
    client.post(url, {"step": "accept", "comment": '=HYPERLINK("x")'})
    response = client.post(url, {"step": "accept"}, follow=True)
    case.refresh_from_db()
    assert case.status == Case.Status.INVESTIGATING
    assert case.transitions.filter(action="accept").count() == 1
    assert "cannot be" in response.content.decode()
