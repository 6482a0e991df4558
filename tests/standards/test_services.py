"""Criteria per version, copying to a new draft, locking, effective version."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from qms.selectors import effective_version
from standards import selectors, services
from standards.models import Acknowledgement, Criterion
from tests.factories import OrgUnitFactory, UserFactory
from tests.standards.helpers import add_criterion, approve, days, make_standard, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard(process_owner):
    return make_standard(process_owner)


def test_new_draft_copies_the_previous_criteria(
    standard, process_owner, quality_manager
):
    v1 = standard.document.versions.get()
    add_criterion(
        v1,
        order=10,
        weight=2,
        is_critical=True,
        target_value=Decimal("3"),
        target_unit="rings",
        good_example="Good morning",
        bad_example="Yes?",
    )
    add_criterion(v1, "Summarises the next step.", order=20, scoring="scale")
    approve(v1, process_owner, quality_manager)

    v2 = services.standard_new_draft(
        standard=standard, author=process_owner, change_reason="Yearly review"
    )

    assert v2.number == 2
    assert v2.body == v1.body
    copied = list(v2.criteria.order_by("order"))
    assert [c.behaviour for c in copied] == [
        "Answers within three rings.",
        "Summarises the next step.",
    ]
    first = copied[0]
    assert (
        first.weight,
        first.is_critical,
        first.target_value,
        first.target_unit,
        first.good_example,
        first.bad_example,
    ) == (2, True, Decimal("3.00"), "rings", "Good morning", "Yes?")
    assert copied[1].scoring == Criterion.Scoring.SCALE
    # The originals stay with version 1.
    assert v1.criteria.count() == 2
    assert Criterion.objects.count() == 4


def test_criteria_are_locked_outside_drafts(standard, process_owner, quality_manager):
    v1 = standard.document.versions.get()
    criterion = add_criterion(v1)
    criterion.weight = 5
    services.criterion_save(criterion=criterion, by=process_owner)  # draft: fine
    from qms import services as core_services

    core_services.version_submit(version=v1, by=process_owner)
    criterion.refresh_from_db()
    criterion.weight = 7
    with pytest.raises(ValidationError):
        services.criterion_save(criterion=criterion, by=process_owner)
    core_services.version_approve(version=v1, by=quality_manager)
    with pytest.raises(ValidationError):
        services.criterion_save(
            criterion=Criterion(version=v1, behaviour="New"), by=process_owner
        )
    criterion = Criterion.objects.get(pk=criterion.pk)
    with pytest.raises(ValidationError):
        services.criterion_delete(criterion=criterion, by=process_owner)
    assert Criterion.objects.get(pk=criterion.pk).weight == 5


def test_timeliness_target_needs_value_and_unit(standard, process_owner):
    v1 = standard.document.versions.get()
    with pytest.raises(ValidationError):
        services.criterion_save(
            criterion=Criterion(version=v1, behaviour="Fast", target_value=3),
            by=process_owner,
        )


def test_future_approved_version_waits_for_its_date(
    standard, process_owner, quality_manager
):
    v1 = approve(standard.document.versions.get(), process_owner, quality_manager)
    v2 = services.standard_new_draft(
        standard=standard, author=process_owner, change_reason="Stricter"
    )
    v2 = approve(v2, process_owner, quality_manager, effective_from=today() + days(10))

    assert effective_version(standard.document).pk == v1.pk
    assert effective_version(standard.document, on=today() + days(9)).pk == v1.pk
    assert effective_version(standard.document, on=today() + days(10)).pk == v2.pk
    (listed,) = selectors.standard_list()
    assert listed.effective.pk == v1.pk
    (later,) = selectors.standard_list(on=today() + days(10))
    assert later.effective.pk == v2.pk


def test_acknowledgement_is_unique_and_only_for_released_versions(
    standard, process_owner, quality_manager, service_staff
):
    draft = standard.document.versions.get()
    with pytest.raises(ValidationError):
        services.acknowledge(user=service_staff, version=draft)
    version = approve(draft, process_owner, quality_manager)
    services.acknowledge(user=service_staff, version=version)
    services.acknowledge(user=service_staff, version=version)
    assert Acknowledgement.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Acknowledgement.objects.create(user=service_staff, version=version)


def test_coverage_per_unit_with_missing_people(process_owner, quality_manager):
    from qms.models import Membership

    phone = make_standard(process_owner)
    mail = make_standard(process_owner, "STD-M", "E-mail standard", "email")
    v_phone = approve(phone.document.versions.get(), process_owner, quality_manager)
    v_mail = approve(mail.document.versions.get(), process_owner, quality_manager)
    centre, written = (
        OrgUnitFactory(name="Contact centre"),
        OrgUnitFactory(name="Written service"),
    )
    people = {}
    for name, unit in [
        ("a1", centre),
        ("a2", centre),
        ("a3", centre),
        ("w1", written),
        ("w2", written),
    ]:
        people[name] = UserFactory(
            username=name, first_name=name.upper(), last_name="X"
        )
        Membership.objects.create(user=people[name], unit=unit)
    UserFactory(username="gone", is_active=False)  # no membership, not counted
    for name in ("a1", "a3", "w2"):
        services.acknowledge(user=people[name], version=v_phone)
    services.acknowledge(user=people["w1"], version=v_mail)

    rows = {r.version.pk: r for r in selectors.acknowledgement_coverage()}

    phone_units = {u.unit.name: u for u in rows[v_phone.pk].units}
    assert (
        phone_units["Contact centre"].read,
        phone_units["Contact centre"].staff,
    ) == (2, 3)
    assert [p.username for p in phone_units["Contact centre"].missing] == ["a2"]
    assert phone_units["Contact centre"].percent == 66.7
    assert (
        phone_units["Written service"].read,
        phone_units["Written service"].staff,
    ) == (1, 2)
    assert [p.username for p in phone_units["Written service"].missing] == ["w1"]
    assert (rows[v_phone.pk].read, rows[v_phone.pk].staff) == (3, 5)
    assert rows[v_phone.pk].percent == 60.0
    mail_units = {u.unit.name: u for u in rows[v_mail.pk].units}
    assert mail_units["Contact centre"].read == 0
    assert [p.username for p in mail_units["Contact centre"].missing] == [
        "a1",
        "a2",
        "a3",
    ]
    assert [p.username for p in mail_units["Written service"].missing] == ["w2"]


def test_draft_opened_on_the_document_pages_gets_the_criteria(
    client_for, standard, process_owner, quality_manager
):
    from django.urls import reverse

    v1 = standard.document.versions.get()
    add_criterion(v1)
    approve(v1, process_owner, quality_manager)
    response = client_for(process_owner).post(
        reverse("qms:document-version-create", args=[standard.document.pk]),
        {"body": "Answer quickly and kindly.", "change_reason": "Kinder"},
    )
    assert response.status_code == 302
    v2 = standard.document.versions.get(number=2)
    assert [c.behaviour for c in v2.criteria.all()] == ["Answers within three rings."]
