"""A quality manager's improvement cycle in a real browser: a 5 Whys
analysis, an improvement plan, and the plan's effectiveness check."""

from __future__ import annotations

import datetime
import re

import pytest

from complaints.models import RootCauseAnalysis
from improvements import services
from improvements.models import Plan
from qms import measures, roles
from qms.measures import Measure, Point
from tests.e2e.conftest import assert_no_csp_violations
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.e2e,
    # What a person sees in the browser: run once, on SQLite.
    pytest.mark.single_db,
    pytest.mark.django_db(transaction=True),
]

MEASURE = "tests.e2e_rate"
CUTOFF = datetime.date(2024, 6, 1)
BEFORE = {"count": 120, "exposure": 30000.0}
AFTER = {"count": 40, "exposure": 30000.0}


@pytest.fixture
def measure():
    """A measure whose figures the test decides: 120 then 40 complaints per
    30,000 customers before and after the plan."""

    def compute(start, end, *, period, filters):
        stats = BEFORE if start < CUTOFF else AFTER
        return [
            Point(start=lo, end=hi, **stats)
            for _key, lo, hi in measures.period_buckets(start, end, period)
        ]

    measures.register(
        Measure(
            key=MEASURE,
            label="Complaints per 1,000 customers (test)",
            kind=measures.RATE,
            compute=compute,
            higher_is_better=False,
        )
    )
    yield
    measures.unregister(MEASURE)


def test_quality_manager_runs_five_whys_opens_a_plan_and_checks_its_effect(
    page, live_server, login, shot, measure
):
    manager = UserFactory(
        username="kadri",
        first_name="Kadri",
        last_name="Tamm",
        roles=[roles.QUALITY_MANAGER],
    )
    owner = UserFactory(
        username="jaan",
        first_name="Jaan",
        last_name="Mets",
        roles=[roles.PROCESS_OWNER],
    )
    login(manager)

    # 1. A 5 Whys analysis.
    page.goto(f"{live_server.url}/complaints/analyses/new/")
    page.fill("input[name=title]", "Bills with double meter readings")
    page.fill(
        "textarea[name=problem_what]", "Customers are billed twice for one reading."
    )
    page.check("input[name=uses_five_whys]")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/complaints/analyses/\d+/$"))
    analysis = RootCauseAnalysis.objects.get()
    chain = [
        ("Why was the bill too high?", "The reading was entered twice."),
        ("Why was it entered twice?", "The import job ran twice."),
        ("Why did the job run twice?", "Its schedule has no lock."),
    ]
    for number, (question, answer) in enumerate(chain, start=1):
        form = page.locator(f"form[action$='/analyses/{analysis.pk}/whys/']")
        if not form.is_visible():
            page.locator("summary", has_text="Add a why step").click()
        form.locator("[name=question]").fill(question)
        form.locator("[name=answer]").fill(answer)
        if number == len(chain):
            form.locator("input[name=is_root_cause]").check()
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
    assert analysis.why_steps.count() == 3
    assert "Its schedule has no lock." in page.inner_text("main")
    shot("five-whys")
    # Concluded from the page: the marked why step is the verified root cause.
    conclude = page.locator(f"form[action$='/analyses/{analysis.pk}/conclude/']")
    conclude.locator("[name=conclusion]").fill("The import job ran without a lock.")
    conclude.locator("button[type=submit]").click()
    page.wait_for_load_state()
    analysis.refresh_from_db()
    assert analysis.status == RootCauseAnalysis.Status.CONCLUDED
    assert "Its schedule has no lock." in analysis.verified_root_causes
    assert list(analysis.transitions.values_list("action", flat=True)) == [
        "create",
        "conclude",
    ]

    # 2. An improvement plan for the root cause.
    page.goto(f"{live_server.url}/improvements/plans/new/")
    page.fill("input[name=title]", "Lock the meter-reading import")
    page.fill("textarea[name=problem]", "The import job can run twice.")
    page.select_option("select[name=owner]", value=str(owner.pk))
    shot("plan-form")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/improvements/plans/\d+/$"))
    plan = Plan.objects.get()
    assert plan.owner == owner
    shot("plan-opened")

    # Months of work, done with the services: criterion, approval, the work.
    services.plan_set_criterion(
        plan=plan,
        measure_key=MEASURE,
        filters={},
        baseline_start=datetime.date(2024, 3, 1),
        baseline_end=CUTOFF,
        follow_up_days=90,
        target=None,
    )
    services.plan_approve(plan=plan, by=manager)
    # The start is the plan page's own button (the shared step partial).
    page.goto(f"{live_server.url}/improvements/plans/{plan.pk}/")
    start = page.locator("main form").filter(
        has=page.get_by_role("button", name="Start implementation", exact=True)
    )
    start.locator("input[name=comment]").fill("Kick-off with the IT team.")
    start.get_by_role("button", name="Start implementation", exact=True).click()
    page.wait_for_load_state()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_PROGRESS
    assert "Kick-off with the IT team." in page.inner_text("main")
    shot("plan-started")
    services.plan_transition(
        plan=plan, to=Plan.Status.IMPLEMENTED, by=owner, today=datetime.date(2024, 7, 1)
    )

    # 3. The effectiveness check and its verdict.
    page.goto(f"{live_server.url}/improvements/plans/{plan.pk}/")
    page.click(f"form[action$='/plans/{plan.pk}/check/'] button[type=submit]")
    page.wait_for_load_state()
    assert "Significant improvement" in page.inner_text("main")
    shot("effectiveness-checked")
    page.click(f"form[action$='/plans/{plan.pk}/verdict/'] button[type=submit]")
    page.wait_for_load_state()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED_EFFECTIVE
    shot("closed-effective")
    assert_no_csp_violations(page)
