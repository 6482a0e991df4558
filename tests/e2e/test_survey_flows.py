"""Survey flow in a real browser: a customer answers a survey from their
personal link on a phone-sized screen."""

from __future__ import annotations

import re

import pytest

from surveys.models import Participant, Response
from tests.e2e.conftest import assert_no_csp_violations
from tests.factories import CustomerFactory
from tests.surveys.conftest import add_group, add_participant, build_wave

pytestmark = [
    pytest.mark.e2e,
    # What a person sees in the browser: run once, on SQLite.
    pytest.mark.single_db,
    # The live server runs in another thread: data must be committed.
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}


def _choose(page, code: str, label: str) -> None:
    """Click the answer ``label`` of question ``code`` (scale points and
    options are labelled inputs)."""
    page.locator(f"#q-{code} label").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
    ).first.click()


def test_customer_answers_a_survey_from_a_personal_link_on_a_phone(
    page, live_server, shot
):
    wave = build_wave()
    customer = CustomerFactory(name="Mari Maasikas", email="mari@example.org")
    participant = add_participant(
        wave, group=add_group(wave), customer=customer, language="en"
    )
    page.set_viewport_size(PHONE)
    link = f"{live_server.url}/s/{participant.token}/"

    page.goto(link)
    assert "Page 1 of 2" in page.inner_text("main")
    shot("page-1")
    # Next without the required overall score: the page says what is missing.
    page.click("main form button[type=submit]:not([name=back])")
    page.wait_for_selector("#error-summary")
    assert "Please check your answers" in page.inner_text("#error-summary")
    assert page.locator("#q-Q_OVERALL.has-error").count() == 1
    shot("missing-required-answer")

    _choose(page, "Q_OVERALL", "4")
    _choose(page, "Q_NPS", "9")
    page.click("main form button[type=submit]:not([name=back])")
    page.wait_for_url(re.compile(r"page=1"))
    assert "Page 2 of 2" in page.inner_text("main")
    participant.refresh_from_db()
    assert participant.disposition == Participant.Disposition.PARTIAL
    _choose(page, "Q_CHANNEL", "E-mail")
    _choose(page, "Q_TOPICS", "Bill")
    _choose(page, "Q_TOPICS", "Meter")
    page.fill("input[name=Q_VISITS]", "2")
    shot("page-2")
    page.click("main form button[type=submit]:not([name=back])")
    page.wait_for_url(re.compile(r"/thanks/"))
    assert "Thank you for your answers!" in page.inner_text("main")
    shot("thanks")

    response = Response.objects.get(wave=wave)
    assert response.participant_id == participant.pk
    answers = {
        a.question.code: a.value_int
        for a in response.answers.select_related("question").exclude(
            question__code="Q_TOPICS"
        )
    }
    assert answers["Q_OVERALL"] == 4 and answers["Q_NPS"] == 9
    assert answers["Q_CHANNEL"] == 2
    assert sorted(
        response.answers.filter(question__code="Q_TOPICS").values_list(
            "value_int", flat=True
        )
    ) == [1, 3]

    # The link works once.
    page.goto(link)
    assert "This link has already been used" in page.inner_text("main")
    shot("link-used")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_csp_violations(page)
