"""Sampling plans, calibration agreement, CSV imports and the API."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from qms.models import Channel, Membership
from standards import calibration, importing
from standards.models import (
    CalibrationSession,
    Evaluation,
    Interaction,
    SamplingPlan,
    TimelinessFigure,
)
from tests.factories import UserFactory
from tests.standards.helpers import add_criterion, days, evaluate, today

pytestmark = pytest.mark.django_db

# Fleiss (1971) as worked in the Wikipedia article "Fleiss' kappa": 10
# subjects, 14 raters, 5 categories; P̄ = 0.378, P̄e = 0.213, κ = 0.210.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_matches_the_textbook_example():
    assert calibration.fleiss_kappa(FLEISS_TABLE) == pytest.approx(0.210, abs=5e-4)
    # Subject 2: (0 + 4 + 36 + 16 + 4 - 14) / (14 * 13) = 46 / 182
    assert calibration.pairwise_agreement(FLEISS_TABLE[1]) == pytest.approx(46 / 182)


def test_agreement_edge_cases():
    assert calibration.fleiss_kappa([[3, 0], [0, 3]]) == pytest.approx(1.0)
    assert calibration.fleiss_kappa([[3], [3]]) is None  # all in one category
    assert calibration.modal_share(["yes", "yes", "no", "yes"]) == 0.75
    assert calibration.modal_share([]) is None


@pytest.fixture
def evaluators(unit):
    people = []
    for name in ("ev1", "ev2", "ev3", "ev4"):
        people.append(UserFactory(username=name, roles=["Quality manager"]))
    return people


def test_calibration_page_shows_agreement_per_criterion(
    client_for, standard, agent, evaluators, quality_manager
):
    session = CalibrationSession.objects.create(
        standard=standard,
        title="March calibration",
        reference="CALL-CAL",
        interaction_date=today() - days(5),
        created_by=quality_manager,
    )
    # Greets: 4 yes; identity: 2 yes / 2 no (poor); summary: 4,4,4,3.
    answers = [("yes", "yes", "4"), ("yes", "no", "4"), ("yes", "yes", "4")]
    answers.append(("yes", "no", "3"))
    for evaluator, values in zip(evaluators, answers, strict=True):
        evaluate(
            standard,
            agent,
            evaluator,
            *values,
            day=session.interaction_date,
            reference="CALL-CAL",
            calibration=session,
        )
    result = calibration.session_agreement(session)
    rows = {r.behaviour: r for r in result.criteria}
    assert rows["Greets."].modal_share == 1 and not rows["Greets."].poor
    assert rows["Checks identity."].modal_share == 0.5 and rows["Checks identity."].poor
    assert rows["Summarises the next step."].modal_share == 0.75
    # Categories 3, 4, no, yes. P_i: 1, (4+4-4)/12 = 1/3, (1+9-4)/12 = 1/2;
    # P̄ = 11/18; p_j = (1, 3, 2, 6)/12 → P̄e = 50/144; κ = (P̄ - P̄e)/(1 - P̄e).
    p_bar, p_e = 11 / 18, 50 / 144
    assert result.kappa == pytest.approx((p_bar - p_e) / (1 - p_e))
    # Calibration scorings stay out of the compliance figures and the list.
    assert Evaluation.objects.regular().count() == 0
    page = client_for(quality_manager).get(session.get_absolute_url())
    assert "poor agreement" in page.content.decode()


def test_calibration_scoring_through_the_form(
    client_for, standard, agent, quality_manager
):
    session = CalibrationSession.objects.create(
        standard=standard,
        title="S",
        reference="CALL-X",
        interaction_date=today() - days(1),
        created_by=quality_manager,
    )
    client = client_for(quality_manager)
    page = client.get(session.get_absolute_url())
    assert "Score this interaction" in page.content.decode()
    criteria = list(standard.document.versions.get().criteria.order_by("order"))
    response = client.post(
        reverse("standards:evaluation-create"),
        {
            "standard": standard.pk,
            "interaction_date": session.interaction_date.isoformat(),
            "calibration": session.pk,
            "interaction_type": "call",
            "reference": "CALL-X",
            "channel": Channel.objects.get(code="phone").pk,
            "employee": agent.pk,
            **{
                f"c{c.pk}": v
                for c, v in zip(criteria, ["yes", "yes", "5"], strict=True)
            },
        },
    )
    assert response.status_code == 302 and response.url == session.get_absolute_url()
    assert session.evaluations.count() == 1


# --- sampling ----------------------------------------------------------------------


@pytest.fixture
def plan(unit):
    return SamplingPlan.objects.create(
        name="Phone", channel=Channel.objects.get(code="phone"), per_employee_month=2
    )


def _interactions_csv(agent, month, count=6, extra="", prefix="C"):
    lines = ["reference,date,channel,employee"]
    for i in range(count):
        day = month + datetime.timedelta(days=i)
        lines.append(f"{prefix}-{i:03d},{day.isoformat()},phone,{agent.username}")
    return "\n".join(lines) + extra + "\n"


def _last_month():
    return (today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def test_sample_is_reproducible_and_sized(plan, agent):
    month = _last_month()
    text = _interactions_csv(agent, month)
    result = importing.import_interactions(plan=plan, text=text, dry_run=False)
    assert result.ok and result.saved == 6
    first = set(Interaction.objects.filter(picked=True).values_list("reference"))
    assert len(first) == 2
    importing.sample_pick(plan=plan, month=month)
    assert set(Interaction.objects.filter(picked=True).values_list("reference")) == (
        first
    )
    # Importing the same list again (after clearing it) gives the same pick.
    plan.interactions.all().delete()
    importing.import_interactions(plan=plan, text=text, dry_run=False)
    again = set(Interaction.objects.filter(picked=True).values_list("reference"))
    assert again == first


def test_interaction_import_errors_save_nothing(plan, agent):
    text = _interactions_csv(
        agent,
        _last_month(),
        count=2,
        extra="\nC-000,2020-01-01,phone,nobody\nC-9,31.12.2020,email," + agent.username,
    )
    result = importing.import_interactions(plan=plan, text=text, dry_run=False)
    assert not result.ok
    assert {(row, column) for row, column, _m in result.errors} == {
        (4, "reference"),
        (4, "employee"),
        (5, "date"),
        (5, "channel"),
    }
    assert not Interaction.objects.exists()
    header_only = importing.import_interactions(
        plan=plan, text="reference,date\n", dry_run=False
    )
    assert [e[1] for e in header_only.errors] == ["channel", "employee"]


def test_plan_page_shows_planned_done_and_links(
    client_for, plan, agent, quality_manager, standard
):
    month = _last_month()
    importing.import_interactions(
        plan=plan, text=_interactions_csv(agent, month), dry_run=False
    )
    picked = Interaction.objects.filter(picked=True).order_by("reference").first()
    evaluate(
        standard,
        agent,
        quality_manager,
        "yes",
        "yes",
        "5",
        day=picked.date,
        reference=picked.reference,
    )
    client = client_for(quality_manager)
    page = client.get(plan.get_absolute_url(), {"month": month.strftime("%Y-%m")})
    body = page.content.decode()
    assert "Done 1 of 2 planned evaluations." in body
    assert f"reference={picked.reference}" not in body
    assert "evaluations/new/?standard=" in body


def test_plan_import_page_dry_run_then_import(client_for, plan, agent, quality_manager):
    client = client_for(quality_manager)
    url = reverse("standards:plan-import", args=[plan.pk])
    text = _interactions_csv(agent, _last_month(), count=3).encode()
    upload = SimpleUploadedFile("i.csv", text, content_type="text/csv")
    page = client.post(url, {"file": upload, "action": "check"})
    assert "All 3 rows are valid" in page.content.decode()
    assert not Interaction.objects.exists()
    upload = SimpleUploadedFile("i.csv", text, content_type="text/csv")
    client.post(url, {"file": upload, "action": "import"})
    assert Interaction.objects.count() == 3


def test_missing_plan_and_session_are_404(client_for, quality_manager):
    client = client_for(quality_manager)
    assert client.get(reverse("standards:plan-detail", args=[99])).status_code == 404
    url = reverse("standards:calibration-detail", args=[99])
    assert client.get(url).status_code == 404


# --- timeliness --------------------------------------------------------------------


@pytest.fixture
def timed_standard(standard):
    version = standard.document.versions.get()
    from qms.models import DocumentVersion

    # Criteria of a released version are locked in the service only.
    add_criterion(
        version, "Answers within 20 seconds.", target_value=20, target_unit="seconds"
    )
    assert version.status == DocumentVersion.Status.APPROVED
    return standard


def test_timeliness_import_measures_against_the_target(timed_standard):
    day = (today() - days(3)).isoformat()
    text = (
        "date,channel,metric,count,within_target,mean_value,value\n"
        f"{day},phone,answer_seconds,100,80,17.5,\n"
        f"{(today() - days(2)).isoformat()},phone,answer_seconds,,,,25\n"
    )
    result = importing.import_timeliness(text=text, dry_run=True)
    assert result.ok and not TimelinessFigure.objects.exists()
    result = importing.import_timeliness(text=text, dry_run=False)
    assert result.saved == 2
    single = TimelinessFigure.objects.get(count=1)
    assert single.within_target == 0 and single.target_value == 20


def test_timeliness_import_errors_save_nothing(timed_standard):
    text = (
        "date,channel,metric,count,within_target\n"
        f"{today().isoformat()},phone,answer_seconds,10,5\n"
        f"{today().isoformat()},phone,answer_seconds,10,5\n"
        "2026-13-01,fax,answer_seconds,5,9\n"
        f"{today().isoformat()},email,answer_seconds,5,9\n"
    )
    result = importing.import_timeliness(text=text, dry_run=False)
    assert {(r, c) for r, c, _m in result.errors} == {
        (3, "date"),
        (4, "date"),
        (4, "channel"),
        (5, "within_target"),
    }
    assert not TimelinessFigure.objects.exists()


def test_api_posts_and_lists_timeliness(timed_standard, quality_manager, executive):
    client = APIClient()
    url = reverse("standards_api:timeliness-list")
    client.force_authenticate(quality_manager)
    response = client.post(
        url,
        {
            "date": (today() - days(1)).isoformat(),
            "channel": "phone",
            "metric": "answer_seconds",
            "value": "12.5",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["within_target"] == 1
    assert response.json()["target_value"] == "20.00"
    again = client.post(
        url,
        {
            "date": (today() - days(1)).isoformat(),
            "channel": "phone",
            "metric": "answer_seconds",
            "count": 5,
            "within_target": 6,
        },
        format="json",
    )
    assert again.status_code == 400
    assert client.get(url).json()["count"] == 1
    client.force_authenticate(executive)
    assert client.get(url).status_code == 200
    assert client.post(url, {}, format="json").status_code == 403


def test_api_is_in_the_schema(quality_manager):
    client = APIClient()
    client.force_authenticate(quality_manager)
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/v1/standards/timeliness/" in schema


# --- evaluations import ------------------------------------------------------------


def test_evaluation_import_is_all_or_nothing(standard, agent, quality_manager):
    day = (today() - days(4)).isoformat()
    header = (
        "standard,reference,interaction_date,interaction_type,channel,employee,"
        "evaluator,c1,c2,c3"
    )
    who = f"{agent.username},{quality_manager.username}"
    good = f"STD-T,E-1,{day},call,phone,{who},yes,no,4"
    self_row = f"STD-T,E-2,{day},call,phone,{agent.username},{agent.username},yes,yes,4"
    bad_answer = f"STD-T,E-3,{day},call,phone,{who},yes,maybe,4"
    result = importing.import_evaluations(
        text="\n".join([header, good, self_row, bad_answer]),
        dry_run=False,
        by=quality_manager,
    )
    assert {(r, c) for r, c, _m in result.errors} == {(3, "employee"), (4, "")}
    assert result.saved == 0
    assert not Evaluation.objects.exists()
    dry = importing.import_evaluations(
        text="\n".join([header, good]), dry_run=True, by=quality_manager
    )
    assert dry.ok and not Evaluation.objects.exists()
    done = importing.import_evaluations(
        text="\n".join([header, good]), dry_run=False, by=quality_manager
    )
    assert done.saved == 1
    evaluation = Evaluation.objects.get()
    assert evaluation.critical_fail and Membership.objects.filter(user=agent).exists()


@pytest.mark.parametrize("agents", [1, 4])
def test_plan_and_calibration_pages_use_constant_queries(
    client_for, plan, unit, standard, quality_manager, agents,
    django_assert_num_queries,
):  # fmt: skip
    month = _last_month()
    session = CalibrationSession.objects.create(
        standard=standard,
        title="S",
        reference="CALL-CAL",
        interaction_date=month,
        created_by=quality_manager,
    )
    for i in range(agents):
        person = UserFactory(username=f"a{i}", roles=["Service staff"])
        Membership.objects.create(user=person, unit=unit)
        importing.import_interactions(
            plan=plan,
            text=_interactions_csv(person, month, prefix=f"C{i}"),
            dry_run=False,
        )
        evaluate(standard, person, quality_manager, "yes", "yes", "4", day=month)
        evaluate(
            standard, person, quality_manager, "yes", "no", "4",
            day=month, calibration=session,
        )  # fmt: skip
    client = client_for(quality_manager)
    # session, user, permissions x2, plan, done, interactions, users, standard,
    # nav permissions
    with django_assert_num_queries(8):
        page = client.get(plan.get_absolute_url(), {"month": month.strftime("%Y-%m")})
    assert page.content.decode().count("-00") >= 2 * agents
    # session, user, permissions, the session, evaluations, scores
    with django_assert_num_queries(6):
        assert client.get(session.get_absolute_url()).status_code == 200


def test_compliance_measure_filters_by_unit(standard, agent, quality_manager, unit):
    from qms import measures
    from tests.factories import OrgUnitFactory

    evaluate(standard, agent, quality_manager, "yes", "yes", "5", day=today())
    start = today().replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    compliance = measures.get("standards.compliance")
    [inside] = compliance.points(start, end, filters={"unit": unit})
    [outside] = compliance.points(start, end, filters={"unit": OrgUnitFactory()})
    assert (inside.successes, inside.trials) == (1, 1)
    assert outside.trials == 0


def test_import_pages_check_then_import(
    client_for, timed_standard, agent, quality_manager
):
    client = client_for(quality_manager)
    day = (today() - days(2)).isoformat()
    evaluations = (
        "standard,reference,interaction_date,interaction_type,channel,employee,"
        f"evaluator,c1,c2,c3,c4\nSTD-T,E-1,{day},call,phone,{agent.username},"
        f"{quality_manager.username},yes,yes,yes,5\n"
    ).encode()
    url = reverse("standards:evaluation-import")
    upload = SimpleUploadedFile("e.csv", evaluations, content_type="text/csv")
    page = client.post(url, {"file": upload, "action": "check"})
    assert "All 1 rows are valid" in page.content.decode() or "1 row is valid" in (
        page.content.decode()
    )
    assert not Evaluation.objects.exists()
    upload = SimpleUploadedFile("e.csv", evaluations, content_type="text/csv")
    client.post(url, {"file": upload, "action": "import"})
    assert Evaluation.objects.count() == 1
    figures = f"date,channel,metric,count,within_target\n{day},phone,x,5,9\n".encode()
    upload = SimpleUploadedFile("t.csv", figures, content_type="text/csv")
    page = client.post(
        reverse("standards:timeliness-import"), {"file": upload, "action": "import"}
    )
    body = page.content.decode()
    assert "Nothing was imported" in body and "Unknown metric." in body
    assert not TimelinessFigure.objects.exists()
    upload = SimpleUploadedFile("t.csv", b"\xff\xfe\x00bad", content_type="text/csv")
    page = client.post(
        reverse("standards:timeliness-import"), {"file": upload, "action": "check"}
    )
    assert "not UTF-8" in page.content.decode()
