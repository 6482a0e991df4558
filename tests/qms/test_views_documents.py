"""Document pages: list, detail, versions, review actions, differences."""

import pytest
from django.urls import reverse

from qms import services
from qms.areas import Area
from qms.models import Document, DocumentVersion

Status = DocumentVersion.Status


@pytest.fixture
def document(process_owner):
    return services.document_create(
        identifier="PD-C",
        title="Handling complaints",
        kind=Document.Kind.PROCESS,
        area=Area.COMPLAINTS,
        owner=process_owner,
        body="Acknowledge within one working day.",
    )


@pytest.fixture
def in_review(document, process_owner):
    version = document.versions.get()
    services.version_submit(version=version, by=process_owner)
    return version


def _url(name, version):
    return reverse(f"qms:{name}", args=[version.document_id, version.number])


def test_quality_manager_approves_version_in_review(
    client_for, quality_manager, in_review
):
    response = client_for(quality_manager).post(
        _url("document-version-approve", in_review),
        {"approve-effective_from": "2099-01-01", "approve-comment": "OK"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Version approved." in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED
    assert in_review.approver == quality_manager


def test_author_sees_error_when_approving_own_version(
    client_for, quality_manager, second_quality_manager
):
    document = services.document_create(
        identifier="POL",
        title="Policy",
        kind=Document.Kind.POLICY,
        area=Area.GENERAL,
        owner=quality_manager,
        body="x",
    )
    version = document.versions.get()
    services.version_submit(version=version, by=quality_manager)
    response = client_for(quality_manager).post(
        _url("document-version-approve", version),
        {"approve-effective_from": "2099-01-01"},
        follow=True,
    )
    assert str(services.ERR_SELF_APPROVAL) in response.content.decode()
    version.refresh_from_db()
    assert version.status == Status.IN_REVIEW


def test_service_staff_cannot_approve(client_for, service_staff, in_review):
    response = client_for(service_staff).post(
        _url("document-version-approve", in_review),
        {"approve-effective_from": "2099-01-01"},
    )
    assert response.status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_approve_with_bad_date_shows_error_and_changes_nothing(
    client_for, quality_manager, in_review
):
    response = client_for(quality_manager).post(
        _url("document-version-approve", in_review),
        {"approve-effective_from": "not a date"},
        follow=True,
    )
    assert "Enter a valid date." in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_return_without_comment_is_refused(client_for, quality_manager, in_review):
    response = client_for(quality_manager).post(
        _url("document-version-return", in_review), {"return-comment": ""}, follow=True
    )
    assert str(services.ERR_RETURN_NEEDS_COMMENT) in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_process_owner_drafts_and_submits_new_version(
    client_for, process_owner, quality_manager, in_review
):
    services.version_approve(version=in_review, by=quality_manager)
    client = client_for(process_owner)
    response = client.post(
        reverse("qms:document-version-create", args=[in_review.document_id]),
        {
            "body": "Acknowledge within one working day.\nAnswer in 15 days.",
            "change_reason": "Add the answer deadline",
        },
    )
    v2 = DocumentVersion.objects.get(document=in_review.document, number=2)
    assert response.status_code == 302
    assert response.url == v2.get_absolute_url()
    client.post(_url("document-version-submit", v2))
    v2.refresh_from_db()
    assert v2.status == Status.IN_REVIEW


def test_new_version_without_reason_shows_error(
    client_for, process_owner, quality_manager, in_review
):
    services.version_approve(version=in_review, by=quality_manager)
    response = client_for(process_owner).post(
        reverse("qms:document-version-create", args=[in_review.document_id]),
        {"body": "text", "change_reason": ""},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not DocumentVersion.objects.filter(number=2).exists()


def test_compare_page_shows_added_and_removed_lines(
    client_for, executive, process_owner, quality_manager, in_review
):
    services.version_approve(version=in_review, by=quality_manager)
    v2 = services.version_create_draft(
        document=in_review.document,
        author=process_owner,
        body="Acknowledge within two working days.",
        change_reason="Staff shortage",
    )
    response = client_for(executive).get(
        reverse("qms:document-compare", args=[in_review.document_id]),
        {"from": 1, "to": v2.number},
    )
    html = response.content.decode()
    assert "<del>" in html and "Acknowledge within one working day." in html
    assert "<ins>" in html and "Acknowledge within two working days." in html
    assert "Staff shortage" in html


def test_missing_document_and_version_give_404(client_for, executive, document):
    client = client_for(executive)
    assert client.get(reverse("qms:document-detail", args=[9999])).status_code == 404
    assert (
        client.get(reverse("qms:document-version", args=[document.pk, 9])).status_code
        == 404
    )


def test_document_detail_shows_version_in_force_and_history(
    client_for, executive, quality_manager, in_review
):
    services.version_approve(version=in_review, by=quality_manager)
    response = client_for(executive).get(in_review.document.get_absolute_url())
    html = response.content.decode()
    assert "Version in force" in html
    assert "Acknowledge within one working day." in html
    assert "History" in html


def test_document_list_query_count_does_not_grow(
    client_for, executive, process_owner, django_assert_num_queries
):
    for n in range(30):
        services.document_create(
            identifier=f"DOC-{n}",
            title=f"Doc {n}",
            kind=Document.Kind.PROCEDURE,
            area=Area.GENERAL,
            owner=process_owner,
            body="x",
        )
    client = client_for(executive)
    # session + user + groups/permissions (2) + count + page of documents.
    with django_assert_num_queries(5):
        response = client.get(reverse("qms:document-list"))
    assert response.status_code == 200
    assert "DOC-29" in response.content.decode() or "DOC-9" in response.content.decode()


def test_area_page_shows_process_description(
    client_for, service_staff, quality_manager, in_review
):
    services.version_approve(version=in_review, by=quality_manager)
    response = client_for(service_staff).get(reverse("complaints:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Process description" in html
    assert "Acknowledge within one working day." in html


def test_area_page_says_when_nothing_is_described(client_for, service_staff):
    response = client_for(service_staff).get(reverse("surveys:home"))
    assert "has not been described yet" in response.content.decode()
