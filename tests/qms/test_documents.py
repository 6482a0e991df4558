"""Document control (ISO 9001 7.5): versions, review, approval, effective dates."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from qms import selectors, services
from qms.areas import Area
from qms.models import Document, DocumentTransition, DocumentVersion

Status = DocumentVersion.Status
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


@pytest.fixture
def document(process_owner):
    return services.document_create(
        identifier="PD-X",
        title="Handling complaints",
        kind=Document.Kind.PROCESS,
        area=Area.COMPLAINTS,
        owner=process_owner,
        body="Line one\nLine two",
    )


def _approve_first(document, author, approver, effective_from=None):
    version = document.versions.get(number=1)
    services.version_submit(version=version, by=author)
    return services.version_approve(
        version=version, by=approver, effective_from=effective_from
    )


def test_new_document_starts_as_draft_and_nothing_is_in_force(document):
    version = document.versions.get()
    assert version.status == Status.DRAFT
    assert selectors.effective_version(document) is None


def test_approved_version_is_in_force_and_records_approver(
    document, process_owner, quality_manager
):
    version = _approve_first(document, process_owner, quality_manager)
    version.refresh_from_db()
    assert version.status == Status.APPROVED
    assert version.approver == quality_manager
    assert version.effective_from == TODAY
    assert selectors.effective_version(document) == version
    steps = list(
        DocumentTransition.objects.filter(version=version).values_list(
            "from_status", "to_status"
        )
    )
    assert steps == [("", "draft"), ("draft", "in_review"), ("in_review", "approved")]


def test_author_cannot_approve_own_version(quality_manager):
    document = services.document_create(
        identifier="POL-1",
        title="Policy",
        kind=Document.Kind.POLICY,
        area=Area.GENERAL,
        owner=quality_manager,
        body="text",
    )
    version = document.versions.get()
    services.version_submit(version=version, by=quality_manager)
    with pytest.raises(ValidationError) as error:
        services.version_approve(version=version, by=quality_manager)
    assert str(services.ERR_SELF_APPROVAL) in error.value.messages
    version.refresh_from_db()
    assert version.status == Status.IN_REVIEW


def test_self_approval_allowed_when_setting_says_so(quality_manager, settings):
    settings.QMS_ALLOW_SELF_APPROVAL = True
    document = services.document_create(
        identifier="POL-2",
        title="Policy",
        kind=Document.Kind.POLICY,
        area=Area.GENERAL,
        owner=quality_manager,
        body="text",
    )
    version = _approve_first(document, quality_manager, quality_manager)
    assert version.status == Status.APPROVED


def test_user_without_approve_permission_is_refused(document, process_owner, executive):
    version = document.versions.get()
    services.version_submit(version=version, by=process_owner)
    with pytest.raises(PermissionDenied):
        services.version_approve(version=version, by=executive)


def test_draft_cannot_be_approved_without_review(document, quality_manager):
    version = document.versions.get()
    with pytest.raises(ValidationError, match="cannot go from"):
        services.version_approve(version=version, by=quality_manager)


def test_return_needs_a_comment_and_goes_back_to_draft(
    document, process_owner, quality_manager
):
    version = document.versions.get()
    services.version_submit(version=version, by=process_owner)
    with pytest.raises(ValidationError):
        services.version_return(version=version, by=quality_manager, comment=" ")
    services.version_return(
        version=version, by=quality_manager, comment="Add the deadlines."
    )
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    assert version.transitions.last().comment == "Add the deadlines."


def test_only_drafts_can_be_edited(document, process_owner, quality_manager):
    version = _approve_first(document, process_owner, quality_manager)
    with pytest.raises(ValidationError):
        services.version_update_draft(version=version, body="x", change_reason="y")


def test_only_one_open_version_at_a_time(document, process_owner):
    with pytest.raises(ValidationError) as error:
        services.version_create_draft(
            document=document, author=process_owner, body="b", change_reason="r"
        )
    assert str(services.ERR_OPEN_VERSION_EXISTS) in error.value.messages


def test_new_version_supersedes_old_once_in_force(
    document, process_owner, quality_manager
):
    v1 = _approve_first(document, process_owner, quality_manager)
    v2 = services.version_create_draft(
        document=document, author=process_owner, body="New", change_reason="Update"
    )
    services.version_submit(version=v2, by=process_owner)
    services.version_approve(version=v2, by=quality_manager)
    v1.refresh_from_db()
    assert v1.status == Status.SUPERSEDED
    assert selectors.effective_version(document) == v2


def test_future_effective_date_keeps_old_version_in_force_until_then(
    document, process_owner, quality_manager
):
    v1 = _approve_first(document, process_owner, quality_manager)
    v2 = services.version_create_draft(
        document=document, author=process_owner, body="New", change_reason="Update"
    )
    services.version_submit(version=v2, by=process_owner)
    future = TODAY + datetime.timedelta(days=10)
    services.version_approve(version=v2, by=quality_manager, effective_from=future)
    v1.refresh_from_db()
    assert v1.status == Status.APPROVED
    assert selectors.effective_version(document) == v1
    assert selectors.effective_version(document, on=future) == v2
    # The daily task makes the stored status truthful once v2 takes effect.
    assert services.documents_apply_effective_dates(today=future) == 1
    v1.refresh_from_db()
    assert v1.status == Status.SUPERSEDED


def test_effective_date_in_the_past_is_refused(
    document, process_owner, quality_manager
):
    version = document.versions.get()
    services.version_submit(version=version, by=process_owner)
    with pytest.raises(ValidationError):
        services.version_approve(
            version=version,
            by=quality_manager,
            effective_from=TODAY - datetime.timedelta(days=1),
        )


def test_one_process_description_per_area(document, process_owner):
    with pytest.raises(ValidationError):
        services.document_create(
            identifier="PD-Y",
            title="Another",
            kind=Document.Kind.PROCESS,
            area=Area.COMPLAINTS,
            owner=process_owner,
            body="x",
        )


def test_diff_marks_added_and_removed_lines():
    lines = selectors.version_diff("a\nb\nc", "a\nB\nc\nd")
    kinds = [(line.kind, line.text) for line in lines]
    assert ("del", "b") in kinds
    assert ("add", "B") in kinds
    assert ("add", "d") in kinds
    assert ("same", "a") in kinds


def test_review_due_date_clamps_to_month_end(document):
    version = DocumentVersion(effective_from=datetime.date(2026, 1, 31))
    document.review_interval_months = 1
    assert selectors.document_review_due(document, version) == datetime.date(
        2026, 2, 28
    )
