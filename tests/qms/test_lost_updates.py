"""No lost updates: when two people edit one record, the second save is
refused with a message naming what changed; concurrent status transitions on
one case cannot both succeed."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from complaints import services as complaint_services
from complaints.models import Case
from qms import services as qms_services
from qms.areas import Area
from qms.concurrency import STATE_FIELD
from qms.models import Document, Membership
from tests.factories import CustomerFactory, OrgUnitFactory, register_case
from tests.improvements.helpers import make_plan
from tests.needs.helpers import make_need


class _FormValues(HTMLParser):
    """The values a browser would submit for the page's main edit form."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.values.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.append((name, ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            name, value = self.values[-1]
            # A browser drops the newline right after <textarea>.
            self.values[-1] = (name, value + (data if value else data.lstrip("\n")))


def form_values(html: str) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(html)
    values: dict[str, list[str]] = {}
    for name, value in parser.values:
        values.setdefault(name, []).append(value)
    return values


@dataclass
class EditCase:
    url: str
    obj: object
    field: str  # a text field both people change


@pytest.fixture
def editors(quality_manager, second_quality_manager):
    unit = OrgUnitFactory(code="u")
    for user in (quality_manager, second_quality_manager):
        Membership.objects.create(user=user, unit=unit)
    return quality_manager, second_quality_manager, unit


def _case(editors) -> EditCase:
    case = register_case(org_unit=editors[2], subject="Wrong bill")
    return EditCase(
        reverse("complaints:case-update", args=[case.reference]), case, "subject"
    )


def _customer(editors) -> EditCase:
    customer = CustomerFactory(name="Mari Maasikas", email="mari@example.org")
    return EditCase(
        reverse("qms:customer-update", args=[customer.pk]), customer, "name"
    )


def _need(editors) -> EditCase:
    need = make_need(by=editors[0], owner=editors[0])
    return EditCase(reverse("needs:need-update", args=[need.pk]), need, "statement")


def _plan(editors) -> EditCase:
    plan = make_plan(editors[0], editors[0])
    return EditCase(reverse("improvements:plan-edit", args=[plan.pk]), plan, "title")


def _version(editors) -> EditCase:
    document = qms_services.document_create(
        identifier="PD-X",
        title="Handling complaints",
        kind=Document.Kind.PROCESS,
        area=Area.COMPLAINTS,
        owner=editors[0],
        body="Acknowledge within one working day.",
    )
    version = document.versions.get()
    url = reverse("qms:document-version-update", args=[document.pk, version.number])
    return EditCase(url, version, "body")


EDIT_FORMS = {
    "case": _case,
    "customer": _customer,
    "need": _need,
    "plan": _plan,
    "document draft": _version,
}


def _open(client, url) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    values = form_values(response.content.decode())
    assert STATE_FIELD in values, "the edit form must render its hidden state field"
    return values


@pytest.mark.parametrize("kind", EDIT_FORMS)
def test_the_second_save_is_refused_with_what_changed(client, editors, kind):
    first, second, _unit = editors
    edit = EDIT_FORMS[kind](editors)
    client.force_login(first)
    mine = _open(client, edit.url)
    client.force_login(second)
    theirs = _open(client, edit.url)

    theirs[edit.field] = ["Their newer text, saved first"]
    response = client.post(edit.url, theirs)
    assert response.status_code == 302, kind

    client.force_login(first)
    mine[edit.field] = ["My text, saved second"]
    response = client.post(edit.url, mine)
    assert response.status_code == 200, kind
    html = response.content.decode()
    assert "Someone else saved this record after you opened it" in html
    assert "Changed by someone else meanwhile; now: Their newer text" in html
    edit.obj.refresh_from_db()
    assert getattr(edit.obj, edit.field) == "Their newer text, saved first"

    # Having seen the change, saving again is a deliberate choice and works.
    again = form_values(html)
    again[edit.field] = ["My text, saved second"]
    assert client.post(edit.url, again).status_code == 302
    edit.obj.refresh_from_db()
    assert getattr(edit.obj, edit.field) == "My text, saved second"


@pytest.mark.parametrize("kind", EDIT_FORMS)
def test_an_unchallenged_save_goes_through(client, editors, kind):
    edit = EDIT_FORMS[kind](editors)
    client.force_login(editors[0])
    values = _open(client, edit.url)
    values[edit.field] = ["Only I edited this"]
    assert client.post(edit.url, values).status_code == 302
    edit.obj.refresh_from_db()
    assert getattr(edit.obj, edit.field) == "Only I edited this"


def test_a_forged_state_is_refused(client, editors):
    edit = _customer(editors)
    client.force_login(editors[0])
    values = _open(client, edit.url)
    values[STATE_FIELD] = ["forged"]
    values["name"] = ["Changed"]
    response = client.post(edit.url, values)
    assert response.status_code == 200
    assert "tampered with" in response.content.decode()
    edit.obj.refresh_from_db()
    assert edit.obj.name == "Mari Maasikas"


# ---------------------------------------------------------------------------
# Status transitions
# ---------------------------------------------------------------------------


def test_a_transition_from_a_stale_copy_is_refused(editors):
    first, second, unit = editors
    case = register_case(org_unit=unit)
    stale = Case.objects.get(pk=case.pk)
    logged = case.transitions.count()
    complaint_services.case_transition(case=case, action="accept", by=first)
    with pytest.raises(ValidationError):
        complaint_services.case_transition(case=stale, action="accept", by=second)
    assert case.transitions.count() == logged + 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_on_one_case_cannot_both_succeed(
    seed_data, quality_manager, second_quality_manager
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs row locks (SELECT … FOR UPDATE) between two connections: "
            "runs on PostgreSQL in CI; SQLite serialises writers anyway"
        )
    unit = OrgUnitFactory(code="u")
    case = register_case(org_unit=unit)
    logged = case.transitions.count()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(user):
        try:
            copy = Case.objects.get(pk=case.pk)
            barrier.wait(timeout=10)
            complaint_services.case_transition(case=copy, action="accept", by=user)
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(user,))
        for user in (quality_manager, second_quality_manager)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["done", "refused"]
    assert case.transitions.count() == logged + 1


# ---------------------------------------------------------------------------
# The public complaint form
# ---------------------------------------------------------------------------

PUBLIC_FORM = {
    "kind": "complaint",
    "name": "Mari Maasikas",
    "email": "mari@example.com",
    "subject": "Late delivery",
    "description": "My parcel arrived two weeks late and damaged.",
    "consent": "on",
    "website": "",
}


@pytest.fixture
def public_form(client, db):
    from django.core.cache import cache

    cache.clear()
    OrgUnitFactory(code="service")
    yield client
    cache.clear()


def test_submitting_the_public_form_twice_creates_one_case(public_form):
    html = public_form.get(reverse("complaints_public:case-create")).content.decode()
    token = form_values(html)["submission_token"][0]
    assert token
    data = {**PUBLIC_FORM, "submission_token": token}
    url = reverse("complaints_public:case-create")
    first = public_form.post(url, data)
    second = public_form.post(url, data)
    assert first.status_code == second.status_code == 302
    # Both answers lead the customer to the same case's thank-you page.
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1


def test_each_opened_form_gets_its_own_token(public_form):
    url = reverse("complaints_public:case-create")
    tokens = {
        form_values(public_form.get(url).content.decode())["submission_token"][0]
        for _ in range(2)
    }
    assert len(tokens) == 2
    for token in tokens:
        public_form.post(url, {**PUBLIC_FORM, "submission_token": token})
    assert Case.objects.count() == 2
