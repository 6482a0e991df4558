"""Complaint flows in a real browser: a service agent handles a phone
complaint from intake to closure; a customer files one on the public form in
Estonian and follows its status."""

from __future__ import annotations

import re

import pytest

from complaints.models import Case
from qms import roles
from qms.models import Membership
from tests.e2e.conftest import assert_no_csp_violations
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    # What a person sees in the browser: run once, on SQLite.
    pytest.mark.single_db,
    # The live server runs in another thread: data must be committed.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def agent():
    user = UserFactory(
        username="mart",
        first_name="Mart",
        last_name="Kask",
        roles=[roles.SERVICE_STAFF],
    )
    Membership.objects.create(user=user, unit=OrgUnitFactory(code="service"))
    return user


def test_agent_logs_acknowledges_decides_and_closes_a_phone_complaint(
    page, live_server, login, shot, agent
):
    login(agent)
    page.goto(f"{live_server.url}/complaints/cases/new/")
    page.select_option("select[name=channel]", label="Phone")
    page.fill("input[name=contact_name]", "Mari Maasikas")
    page.fill("input[name=contact_phone]", "+372 5555 1234")
    page.fill("textarea[name=description]", "The March bill charges 40 € too much.")
    shot("intake-form")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/complaints/cases/K-\d{4}-\d+/$"))
    case = Case.objects.get()
    assert case.status == Case.Status.RECEIVED
    shot("registered")

    page.click("form:has(input[name=step][value=accept]) button[type=submit]")
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.acknowledged_at is not None
    shot("acknowledged")

    decide = page.locator(f"form[action$='/{case.reference}/decide/']")
    decide.locator("select[name=outcome]").select_option("upheld")
    decide.locator("textarea[name=decision_reasons]").fill(
        "The meter reading was entered twice; we refund 40 €."
    )
    decide.locator("button[type=submit]").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.outcome == Case.Outcome.UPHELD
    shot("decided")

    page.click("form:has(input[name=step][value=communicate]) button[type=submit]")
    page.wait_for_load_state()
    page.click("form:has(input[name=step][value=customer_accepts]) button[type=submit]")
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert "Closed" in page.inner_text("main")
    shot("closed")
    assert_no_csp_violations(page)


def test_customer_files_a_complaint_in_estonian_and_sees_its_status(
    page, live_server, shot
):
    OrgUnitFactory(code="service")
    page.goto(f"{live_server.url}/feedback/")
    # Choose Estonian with the page's own language switch.
    switch = page.locator("form.language-form").first
    switch.locator("select[name=language]").select_option("et")
    switch.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "et"
    shot("form-in-estonian")
    page.fill("input[name=name]", "Mari Maasikas")
    page.fill("input[name=email]", "mari@example.org")
    page.fill("textarea[name=description]", "Arve on 40 eurot liiga suur.")
    page.check("input[name=consent]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/feedback/thanks/"))
    case = Case.objects.get()
    assert case.reference in page.inner_text("main")
    assert case.language == "et"
    shot("thanks")

    page.goto(
        f"{live_server.url}/feedback/status/{case.reference}/{case.public_token}/"
    )
    assert case.reference in page.inner_text("main")
    shot("status")
    assert_no_csp_violations(page)
