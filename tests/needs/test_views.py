"""Registry pages (who may open which is in tests/qms/access_matrix.py):
decisions on one's own needs, capture from a complaint, the list's query
budget, export."""

import pytest
from django.urls import reverse

from needs.models import Need
from qms.models import Membership
from tests.factories import SegmentFactory, UserFactory, register_case

from .helpers import accept, make_need


@pytest.fixture
def need(quality_manager):
    return make_need(by=quality_manager)


def test_missing_need_is_404(client_for, quality_manager):
    url = reverse("needs:need-detail", args=[999999])
    assert client_for(quality_manager).get(url).status_code == 404


def test_registry_shows_the_process_description_section(client_for, executive):
    html = client_for(executive).get(reverse("needs:home")).content.decode()
    assert "process description" in html


def test_detail_shows_the_need_and_improvement_cards(client_for, quality_manager, need):
    html = (
        client_for(quality_manager)
        .get(reverse("needs:need-detail", args=[need.pk]))
        .content.decode()
    )
    assert need.statement in html
    assert reverse("needs:need-transition", args=[need.pk]) in html


def test_quality_manager_creates_a_need(client_for, quality_manager):
    segment = SegmentFactory()
    response = client_for(quality_manager).post(
        reverse("needs:need-create"),
        {
            "statement": "Answer the phone within a minute.",
            "segments": [segment.pk],
            "requirement_class": "stated",
            "expectation": "explicit",
            "kano": "performance",
            "importance": "5",
            "performance": "2",
            "source": "survey",
            "identified_on": "2026-11-02",
        },
    )
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == need.get_absolute_url()
    assert list(need.segments.all()) == [segment]
    assert need.raised_by == quality_manager


def test_transition_error_is_shown_to_the_user(client_for, quality_manager, need):
    client = client_for(quality_manager)
    response = client.post(
        reverse("needs:need-transition", args=[need.pk]),
        {"to": "rejected", "comment": ""},
        follow=True,
    )
    assert "Give a reason to reject or defer a need." in response.content.decode()
    need.refresh_from_db()
    assert need.status == Need.Status.IDENTIFIED


def test_process_owner_decides_only_the_needs_they_own(
    client_for, process_owner, quality_manager
):
    own = make_need(by=quality_manager, owner=process_owner)
    other = make_need(by=quality_manager)
    client = client_for(process_owner)
    url = "needs:need-transition"
    ok = client.post(reverse(url, args=[own.pk]), {"to": "validated"})
    assert ok.status_code == 302
    own.refresh_from_db()
    assert own.status == Need.Status.VALIDATED
    refused = client.post(reverse(url, args=[other.pk]), {"to": "validated"})
    assert refused.status_code == 403


def test_review_form_records_a_review(client_for, quality_manager, need):
    client = client_for(quality_manager)
    client.post(reverse("needs:need-transition", args=[need.pk]), {"to": "validated"})
    response = client.post(
        reverse("needs:need-review", args=[need.pk]),
        {"result": "partly", "conditions": "Only in Tallinn.", "rationale": "Staff."},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == Need.Status.REVIEWED
    assert need.reviews.get().result == "partly"


def test_link_added_and_edit_flags_links_for_review(client_for, quality_manager):
    from tests.factories import ServiceFactory

    need = accept(make_need(by=quality_manager), quality_manager)
    service = ServiceFactory()
    client = client_for(quality_manager)
    client.post(
        reverse("needs:link-add", args=[need.pk]),
        {"kind": "answers", "service": service.pk},
    )
    assert need.links.get().target_id == str(service.pk)
    data = {
        "statement": "A new statement.",
        "requirement_class": need.requirement_class,
        "expectation": need.expectation,
        "kano": "",
        "importance": 3,
        "performance": 3,
        "source": need.source,
        "identified_on": need.identified_on.isoformat(),
    }
    client.post(reverse("needs:need-update", args=[need.pk]), data)
    html = client.get(need.get_absolute_url()).content.decode()
    assert "review them" in html
    assert service.name in html
    client.post(reverse("needs:links-reviewed", args=[need.pk]))
    need.refresh_from_db()
    assert not need.links_need_review


def test_capture_from_a_complaint_keeps_the_link(client_for, service_staff):
    case = register_case(subject="Invoice hard to understand")
    Membership.objects.create(user=service_staff, unit=case.org_unit)
    client = client_for(service_staff)
    response = client.post(
        reverse("needs:need-capture-case"), {"reference": case.reference}
    )
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:need-update", args=[need.pk])
    assert need.statement == "Invoice hard to understand"
    assert need.source == Need.Source.COMPLAINT
    assert need.source_type.model_class() is type(case)
    assert need.source_id == str(case.pk)
    assert need.raised_by == service_staff
    # Whoever captured it may complete it, and its page links to the case.
    assert client.get(response["Location"]).status_code == 200
    html = client.get(need.get_absolute_url()).content.decode()
    assert case.get_absolute_url() in html


def test_capture_of_an_unknown_case_is_404(client_for, service_staff):
    response = client_for(service_staff).post(
        reverse("needs:need-capture-case"), {"reference": "K-2026-999999"}
    )
    assert response.status_code == 404
    assert not Need.objects.exists()


def test_registry_list_runs_a_constant_number_of_queries(
    client_for, quality_manager, django_assert_num_queries
):
    client = client_for(quality_manager)
    segments = [SegmentFactory(), SegmentFactory()]
    for _n in range(3):
        make_need(by=quality_manager, owner=UserFactory(), segments=segments)
    client.get(reverse("needs:need-list"))  # warm caches (content types, ...)
    with django_assert_num_queries(10) as few:
        client.get(reverse("needs:need-list"))
    for _n in range(20):
        make_need(by=quality_manager, owner=UserFactory(), segments=segments)
    # Session, user, permissions, filter choices, count, page, segments
    # prefetch, process description: the same with 3 needs or 23.
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("needs:need-list"))


def test_filters_narrow_the_registry(client_for, quality_manager):
    segment = SegmentFactory()
    wanted = make_need(by=quality_manager, segments=[segment], kano="attractive")
    make_need(by=quality_manager, kano="must_be")
    client = client_for(quality_manager)
    page = client.get(reverse("needs:need-list"), {"segment": segment.pk}).context[
        "page"
    ]
    assert list(page) == [wanted]
    page = client.get(reverse("needs:need-list"), {"kano": "must_be"}).context["page"]
    assert [n.kano for n in page] == ["must_be"]


def test_export_csv_and_xlsx(client_for, executive):
    make_need(statement="Export me")
    client = client_for(executive)
    response = client.get(reverse("needs:need-list"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "Export me" in body
    response = client.get(reverse("needs:need-list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_need_links_an_improvement_plan_and_offers_a_proposal(
    client_for, quality_manager
):
    from improvements import services as improvement_services

    need = accept(make_need(by=quality_manager), quality_manager)
    plan = improvement_services.plan_create(
        title="Readable bills", problem="Bills confuse people.",
        owner=quality_manager, by=quality_manager,
    )  # fmt: skip
    client = client_for(quality_manager)
    client.post(
        reverse("needs:link-add", args=[need.pk]),
        {"kind": "answers", "plan": plan.pk},
    )
    assert need.links.get().target == plan
    html = client.get(need.get_absolute_url()).content.decode()
    assert "Readable bills" in html
    assert "needs.need%3A" in html  # the propose card carries the need as origin


def test_case_panel_posts_the_case_reference_to_the_capture_view(
    client_for, quality_manager, executive
):
    """The needs area's panel on the case page (qms.panels): the button posts
    the case to the capture view; without the permission it is not there."""
    case = register_case()
    html = client_for(quality_manager).get(case.get_absolute_url()).content.decode()
    assert reverse("needs:need-capture-case") in html
    assert f'name="reference" value="{case.reference}"' in html
    html = client_for(executive).get(case.get_absolute_url()).content.decode()
    assert reverse("needs:need-capture-case") not in html
