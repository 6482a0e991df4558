"""The workflow kernel (qms.workflow) and optimistic concurrency
(qms.concurrency.Versioned), as a caller and a person see them."""

from __future__ import annotations

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import RequestFactory

from complaints import services as complaint_services
from complaints.models import Case
from improvements.models import Plan
from needs.models import Need
from promises import services as promise_services
from promises.models import Promise
from qms.concurrency import EditConflict, Versioned
from qms.models import Customer, DocumentVersion
from qms.workflow import WORKFLOWS, StatusChange, status_changed, workflow_for
from surveys.models import Wave
from tests.factories import CustomerFactory, OrgUnitFactory, register_case
from tests.promises.helpers import make_promise

pytestmark = pytest.mark.django_db

S = Promise.Status
WORKFLOW = promise_services.WORKFLOW


@pytest.fixture
def promise(quality_manager):
    return make_promise(quality_manager)


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def test_a_step_logs_who_when_which_step_and_why(promise, quality_manager):
    WORKFLOW.transition(promise, "approve", by=quality_manager, comment="  Fine.  ")
    assert promise.status == S.APPROVED
    change = promise.transitions.last()
    assert (change.from_status, change.to_status) == (S.DRAFT, S.APPROVED)
    assert (change.action, change.by, change.comment) == (
        "approve",
        quality_manager,
        "Fine.",
    )
    first = promise.transitions.first()
    assert (first.from_status, first.action) == ("", "create")


def test_a_step_not_open_now_is_refused_and_writes_nothing(promise, quality_manager):
    logged = promise.transitions.count()
    with pytest.raises(ValidationError, match="cannot become “Published”"):
        WORKFLOW.transition(promise, "publish", by=quality_manager)
    promise.refresh_from_db()
    assert promise.status == S.DRAFT
    assert promise.transitions.count() == logged


def test_an_unknown_step_is_refused(promise, quality_manager):
    with pytest.raises(ValidationError, match="not a step of this workflow"):
        WORKFLOW.transition(promise, "teleport", by=quality_manager)


def test_a_step_from_a_stale_copy_sees_the_present_status(promise, quality_manager):
    stale = Promise.objects.get(pk=promise.pk)
    WORKFLOW.transition(promise, "retire", by=quality_manager)
    with pytest.raises(ValidationError, match="Retired"):
        WORKFLOW.transition(stale, "approve", by=quality_manager)
    assert Promise.objects.get(pk=promise.pk).status == S.RETIRED


def test_a_step_writes_only_what_it_changes(promise, quality_manager):
    stale = Promise.objects.get(pk=promise.pk)
    Promise.objects.filter(pk=promise.pk).update(title="Renamed meanwhile")
    WORKFLOW.transition(stale, "approve", by=quality_manager)
    promise.refresh_from_db()
    assert (promise.status, promise.title) == (S.APPROVED, "Renamed meanwhile")
    # The caller's copy is refreshed with what the step saw and saved.
    assert stale.title == "Renamed meanwhile"


def test_a_guard_refuses_with_its_reason(promise, quality_manager):
    WORKFLOW.transition(promise, "approve", by=quality_manager)
    with pytest.raises(ValidationError, match="without at least one indicator"):
        WORKFLOW.transition(promise, "publish", by=quality_manager)
    assert Promise.objects.get(pk=promise.pk).status == S.APPROVED


def test_a_step_that_needs_a_comment_names_the_comment_field(
    quality_manager, process_owner
):
    case = register_case(org_unit=OrgUnitFactory())
    with pytest.raises(ValidationError) as refused:
        complaint_services.case_transition(
            case=case, action="not_a_complaint", by=quality_manager, comment="  "
        )
    assert "comment" in refused.value.error_dict
    assert Case.objects.get(pk=case.pk).status == Case.Status.RECEIVED


def test_a_step_needing_a_permission_is_refused_without_it(process_owner):
    from surveys import services as survey_services
    from tests.surveys.factories import WaveFactory

    wave = WaveFactory()
    assert not process_owner.has_perm("surveys.approve_wave")
    with pytest.raises(PermissionDenied, match="Approve the plan"):
        survey_services.WORKFLOW.transition(wave, "approve", by=process_owner)
    assert "approve" not in [
        a.name for a in survey_services.WORKFLOW.available(wave, process_owner)
    ]
    assert Wave.objects.get(pk=wave.pk).status == Wave.Status.DRAFT


def test_steps_apply_to_their_kinds_of_record(quality_manager):
    unit = OrgUnitFactory()
    feedback = register_case(org_unit=unit, kind=Case.Kind.SUGGESTION)
    complaint = register_case(org_unit=unit)
    assert complaint_services.available_actions(feedback) == ["record_feedback"]
    assert "record_feedback" not in complaint_services.available_actions(complaint)
    with pytest.raises(ValidationError):
        complaint_services.case_transition(
            case=feedback, action="accept", by=quality_manager
        )


def test_status_changed_is_sent_after_the_commit_only(
    promise, quality_manager, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, instance, change, action, by, **kwargs):
        received.append((sender, instance.pk, change.to_status, action, by))

    status_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            WORKFLOW.transition(promise, "approve", by=quality_manager)
        assert received == []
        for callback in callbacks:
            callback()
    finally:
        status_changed.disconnect(receiver)
    assert received == [(Promise, promise.pk, S.APPROVED, "approve", quality_manager)]


def test_a_refused_step_sends_nothing(
    promise, quality_manager, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ValidationError),
    ):
        WORKFLOW.transition(promise, "publish", by=quality_manager)
    assert callbacks == []


def test_targets_and_step_names_for_the_status_choice(promise):
    assert WORKFLOW.targets(promise) == [
        (S.APPROVED, "Approved"),
        (S.RETIRED, "Retired"),
    ]
    assert WORKFLOW.step_between("", S.DRAFT) == "create"
    assert WORKFLOW.step_between(S.APPROVED, S.PUBLISHED) == "publish"
    assert WORKFLOW.step_between(S.DRAFT, S.PUBLISHED) == ""


def test_every_model_with_a_status_log_has_a_workflow_and_a_protected_log():
    for model in apps.get_models():
        workflow_for(model)
    logs = [
        model
        for model in apps.get_models()
        if issubclass(model, StatusChange) and not model._meta.abstract
    ]
    assert {WORKFLOWS[m].log for m in WORKFLOWS} == set(logs)
    assert set(WORKFLOWS) >= {
        Case,
        Promise,
        Need,
        Plan,
        Wave,
        DocumentVersion,
    }
    for log in logs:
        workflow = next(w for w in WORKFLOWS.values() if w.log is log)
        record = log._meta.get_field(workflow.log_fk)
        assert record.remote_field.on_delete.__name__ == "PROTECT", log
        assert log._meta.get_field("by").null, log
        assert log._meta.get_field("at").db_index, log


def test_no_edit_form_and_no_admin_form_writes_a_workflow_field(admin_user):
    """Edit forms and the admin leave the status to the workflow."""
    import importlib

    for model in apps.get_models():
        workflow_for(model)
    modules = [
        "complaints.forms",
        "complaints.rca.forms",
        "improvements.forms",
        "needs.forms",
        "promises.forms",
        "qms.forms",
        "reports.forms",
        "standards.forms",
        "surveys.forms",
    ]
    for name in modules:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.ModelForm):
                meta = getattr(value, "Meta", None)
                model = getattr(meta, "model", None)
                if model in WORKFLOWS:
                    # What a model form writes is its Meta.fields (a form
                    # may still offer the next status for a service to take
                    # as a workflow step, as the action edit form does).
                    assert meta.fields != "__all__", value
                    assert WORKFLOWS[model].field not in meta.fields, value
    request = RequestFactory().get("/")
    request.user = admin_user
    for model in list(apps.get_models()):
        workflow = workflow_for(model)
        if workflow is None:
            continue
        model_admin = admin.site._registry.get(model)
        obj = model._default_manager.first()
        if model_admin is None or not model_admin.has_change_permission(request, obj):
            continue
        form = model_admin.get_form(request, obj)
        assert workflow.field not in form.base_fields, model


# ---------------------------------------------------------------------------
# row_version
# ---------------------------------------------------------------------------


def test_every_write_moves_the_version():
    customer = CustomerFactory(name="Mari")
    assert customer.row_version == 1
    customer.name = "Mari M."
    customer.save()
    assert customer.row_version == 2
    assert Customer.objects.get(pk=customer.pk).row_version == 2
    Customer.objects.filter(pk=customer.pk).update(name="Mari Maasikas")
    assert Customer.objects.get(pk=customer.pk).row_version == 3
    fresh = Customer.objects.get(pk=customer.pk)
    fresh.name = "M. Maasikas"
    Customer.objects.bulk_update([fresh], ["name"])
    assert Customer.objects.get(pk=customer.pk).row_version == 4


def test_a_copy_read_without_its_version_still_moves_it_forward():
    customer = CustomerFactory(name="Mari")
    Customer.objects.filter(pk=customer.pk).update(email="new@example.org")
    partial = Customer.objects.only("name").get(pk=customer.pk)
    partial.name = "Mari Maasikas"
    partial.save(update_fields=["name"])
    now = Customer.objects.get(pk=customer.pk)
    assert (now.name, now.email, now.row_version) == (
        "Mari Maasikas",
        "new@example.org",
        3,
    )


def test_a_stale_copy_merges_what_others_changed_elsewhere():
    customer = CustomerFactory(name="Mari", email="mari@example.org")
    stale = Customer.objects.get(pk=customer.pk)
    Customer.objects.filter(pk=customer.pk).update(email="new@example.org")
    stale.name = "Mari Maasikas"
    stale.save()
    now = Customer.objects.get(pk=customer.pk)
    assert (now.name, now.email) == ("Mari Maasikas", "new@example.org")
    assert now.row_version == 3
    # The copy now holds what the others wrote, and saves again cleanly.
    assert stale.email == "new@example.org"
    stale.phone = "+372 5555 5555"
    stale.save()
    assert Customer.objects.get(pk=customer.pk).row_version == 4


def test_a_stale_copy_changing_the_same_field_is_refused_and_writes_nothing():
    customer = CustomerFactory(name="Mari", email="mari@example.org")
    stale = Customer.objects.get(pk=customer.pk)
    Customer.objects.filter(pk=customer.pk).update(name="Their name")
    stale.name = "My name"
    stale.email = "mine@example.org"
    with pytest.raises(EditConflict) as refused, transaction.atomic():
        stale.save()
    assert refused.value.fields == ["name"]
    assert "Their name" in str(refused.value.error_dict["name"])
    now = Customer.objects.get(pk=customer.pk)
    assert (now.name, now.email) == ("Their name", "mari@example.org")


def test_a_refreshed_copy_saves_without_conflict():
    customer = CustomerFactory(name="Mari")
    copy = Customer.objects.get(pk=customer.pk)
    Customer.objects.filter(pk=customer.pk).update(name="Their name")
    copy.refresh_from_db()
    copy.name = "Agreed name"
    copy.save()
    assert Customer.objects.get(pk=customer.pk).name == "Agreed name"


def test_erased_personal_data_is_never_written_back_by_an_old_copy():
    case = register_case(org_unit=OrgUnitFactory(), contact_name="Mari Maasikas")
    old = Case.objects.get(pk=case.pk)
    Case.objects.filter(pk=case.pk).update(contact_name="")  # the erasure
    old.subject = "Corrected subject"
    old.save()
    now = Case.objects.get(pk=case.pk)
    assert (now.subject, now.contact_name) == ("Corrected subject", "")


def test_the_editable_records_are_versioned():
    for model in (Case, Customer, Need, Plan, DocumentVersion):
        assert issubclass(model, Versioned), model
        assert not model._meta.get_field("row_version").editable


def test_a_conflict_found_while_saving_shows_on_the_form_with_the_present_state():
    from qms.concurrency import STATE_FIELD
    from qms.forms import CustomerForm, apply_validation_error

    customer = CustomerFactory(name="Mari", email="mari@example.org")
    opened = CustomerForm(instance=customer)
    data = {
        name: opened[name].value() or "" for name in opened.fields if name != "segments"
    }
    data["name"] = "My name"
    form = CustomerForm(data, instance=Customer.objects.get(pk=customer.pk))
    assert form.is_valid(), form.errors
    Customer.objects.filter(pk=customer.pk).update(name="Their name")
    with pytest.raises(EditConflict) as refused, transaction.atomic():
        form.save()
    apply_validation_error(form, refused.value)
    assert form.errors["name"] == ["Changed by someone else meanwhile; now: Their name"]
    assert "changed meanwhile" in form.non_field_errors()[0]
    assert form.data[STATE_FIELD] != data[STATE_FIELD]
    assert Customer.objects.get(pk=customer.pk).name == "Their name"


# ---------------------------------------------------------------------------
# The step buttons under hostile input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment, message",
    [
        ("x" * 50_000, "at most 2000 characters"),
        ("Back\x00to draft", "Null characters are not allowed"),
    ],
)
def test_a_hostile_step_comment_is_refused_and_changes_nothing(
    client_for, quality_manager, promise, comment, message
):
    from django.urls import reverse

    WORKFLOW.transition(promise, "approve", by=quality_manager)
    url = reverse("promises:promise-transition", args=[promise.pk])
    response = client_for(quality_manager).post(
        url, {"to": S.DRAFT, "comment": comment}, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Promise.objects.get(pk=promise.pk).status == S.APPROVED
    assert promise.transitions.count() == 2


def test_a_double_click_on_a_step_takes_it_once(client_for, quality_manager, promise):
    from django.urls import reverse

    url = reverse("promises:promise-transition", args=[promise.pk])
    client = client_for(quality_manager)
    first = client.post(url, {"to": S.APPROVED})
    second = client.post(url, {"to": S.APPROVED}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "cannot become “Approved”" in second.content.decode()
    assert list(promise.transitions.values_list("action", flat=True)) == [
        "create",
        "approve",
    ]


def test_a_formula_in_a_step_comment_is_shown_as_text(
    client_for, quality_manager, promise
):
    from django.urls import reverse

    formula = '=HYPERLINK("http://evil.example","x")<b>'
    WORKFLOW.transition(promise, "retire", by=quality_manager, comment=formula)
    page = client_for(quality_manager).get(
        reverse("promises:promise-detail", args=[promise.pk])
    )
    html = page.content.decode()
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)&lt;b&gt;" in html
