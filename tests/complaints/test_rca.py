"""Root-cause analyses: 5 Whys, Ishikawa, concluding, pages and access."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import (
    Case,
    IshikawaCategory,
    IshikawaCause,
    RootCauseAnalysis,
    RootCauseCategory,
)
from complaints.rca import selectors as rca_selectors
from complaints.rca import services as rca_services
from qms.models import Membership
from tests.factories import OrgUnitFactory, register_case

pytestmark = pytest.mark.django_db

Status = RootCauseAnalysis.Status


@pytest.fixture
def analysis(quality_manager):
    return rca_services.analysis_create(
        title="Brown water",
        problem_what="Customers get brown water.",
        lead=quality_manager,
        by=quality_manager,
    )


def _close(case):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    case.refresh_from_db()
    return case


def _chain(analysis, *answers, root=None):
    return [
        rca_services.why_step_add(
            analysis=analysis,
            question=f"Why {n}?",
            answer=answer,
            is_root_cause=root == n,
        )
        for n, answer in enumerate(answers, start=1)
    ]


# --------------------------------------------------------------------------
# 5 Whys
# --------------------------------------------------------------------------


def test_why_steps_are_numbered_in_order_and_not_limited_to_five(analysis):
    _chain(analysis, *[f"answer {n}" for n in range(1, 8)])
    orders = list(analysis.why_steps.values_list("order", "answer"))
    assert orders == [(n, f"answer {n}") for n in range(1, 8)]
    assert RootCauseAnalysis.objects.get(pk=analysis.pk).uses_five_whys


def test_moving_a_step_swaps_it_with_its_neighbour(analysis):
    first, _second, third = _chain(analysis, "a", "b", "c")
    rca_services.why_step_move(step=third, up=True)
    assert list(analysis.why_steps.values_list("answer", flat=True)) == ["a", "c", "b"]
    rca_services.why_step_move(step=first, up=False)
    assert list(analysis.why_steps.values_list("answer", flat=True)) == ["c", "a", "b"]


def test_deleting_a_step_closes_the_gap(analysis):
    _first, second, _third = _chain(analysis, "a", "b", "c")
    rca_services.why_step_delete(step=second)
    assert list(analysis.why_steps.values_list("order", "answer")) == [
        (1, "a"),
        (2, "c"),
    ]


def test_only_one_step_is_the_root_cause(analysis):
    first, second = _chain(analysis, "a", "b", root=1)
    rca_services.why_step_update(step=second, is_root_cause=True)
    first.refresh_from_db()
    assert not first.is_root_cause
    assert analysis.why_steps.filter(is_root_cause=True).get() == second


@pytest.mark.parametrize(
    "answer",
    [
        "Human error: the clerk typed the wrong reading.",
        "The agent forgot to send the letter.",
        "Inimlik viga, operaator sisestas vale näidu.",
        "Töötaja hooletus.",
        "Ошибка человека при вводе.",
    ],
)
def test_chain_ending_at_human_error_is_warned_about(analysis, answer):
    steps = _chain(analysis, "Wrong bill.", answer)
    assert rca_services.human_error_warning(steps)


def test_chain_going_past_human_error_to_a_systemic_cause_is_not_warned(analysis):
    steps = _chain(
        analysis,
        "The agent made a mistake.",
        "The procedure does not say readings must be checked twice.",
    )
    assert not rca_services.human_error_warning(steps)


def test_marked_root_cause_at_human_error_is_warned_even_with_later_steps(analysis):
    steps = _chain(analysis, "Careless clerk.", "Customer was angry.", root=1)
    assert rca_services.human_error_warning(steps)


def test_human_error_with_its_systemic_reason_is_not_warned(analysis):
    steps = _chain(analysis, "Mistake because the training never covered meters.")
    assert not rca_services.human_error_warning(steps)


def test_detail_page_shows_the_human_error_warning(
    client_for, quality_manager, analysis
):
    _chain(analysis, "Human error.")
    response = client_for(quality_manager).get(analysis.get_absolute_url())
    assert str(rca_services.WARN_HUMAN_ERROR) in response.content.decode()


# --------------------------------------------------------------------------
# Ishikawa
# --------------------------------------------------------------------------


def test_causes_have_statuses_and_sub_causes_take_the_parent_category(analysis):
    people = IshikawaCategory.objects.get(code="people")
    methods = IshikawaCategory.objects.get(code="methods")
    cause = rca_services.cause_add(
        analysis=analysis, category=people, text="Not trained"
    )
    assert cause.status == IshikawaCause.Status.HYPOTHESIS
    sub = rca_services.cause_add(
        analysis=analysis, category=methods, text="No induction", parent=cause
    )
    assert sub.category == people
    rca_services.cause_update(
        cause=cause, status=IshikawaCause.Status.CONFIRMED, evidence="HR"
    )
    rca_services.cause_update(cause=sub, status=IshikawaCause.Status.REJECTED)
    tree = rca_selectors.ishikawa_tree(analysis)
    assert [(c.text, c.status) for c in tree] == [("Not trained", "confirmed")]
    assert [(s.text, s.status) for s in tree[0].sub_causes.all()] == [
        ("No induction", "rejected")
    ]
    data = rca_selectors.fishbone_data(analysis)
    assert data["People"] == [
        ("Not trained", "confirmed", [("No induction", "rejected")])
    ]
    assert "Environment" in data  # empty bones are drawn too


def test_sub_cause_must_belong_to_the_same_analysis(analysis, quality_manager):
    other = rca_services.analysis_create(
        title="Other", problem_what="x", lead=quality_manager, by=quality_manager
    )
    people = IshikawaCategory.objects.get(code="people")
    foreign = rca_services.cause_add(analysis=other, category=people, text="Foreign")
    with pytest.raises(ValidationError):
        rca_services.cause_add(
            analysis=analysis, category=people, text="x", parent=foreign
        )


def test_detail_page_draws_the_fishbone(client_for, service_staff, analysis):
    people = IshikawaCategory.objects.get(code="people")
    rca_services.cause_add(analysis=analysis, category=people, text="Crew not trained")
    response = client_for(service_staff).get(analysis.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="qms-chart qms-fishbone"' in body
    assert body.count("Crew not trained") >= 2  # diagram and table


# --------------------------------------------------------------------------
# Concluding
# --------------------------------------------------------------------------


def test_conclude_needs_a_conclusion(analysis, quality_manager):
    _chain(analysis, "No flushing procedure.", root=1)
    with pytest.raises(ValidationError) as error:
        rca_services.analysis_conclude(
            analysis=analysis, conclusion=" ", by=quality_manager
        )
    assert error.value.message_dict["conclusion"] == [
        str(rca_services.ERR_NO_CONCLUSION)
    ]
    analysis.refresh_from_db()
    assert analysis.status == Status.OPEN


def test_conclude_needs_a_verified_root_cause(analysis, quality_manager):
    _chain(analysis, "Something.")  # not marked as root cause
    with pytest.raises(ValidationError) as error:
        rca_services.analysis_conclude(
            analysis=analysis, conclusion="Done.", by=quality_manager
        )
    assert error.value.message_dict["verified_root_causes"] == [
        str(rca_services.ERR_NO_ROOT_CAUSE)
    ]


def test_conclude_takes_root_causes_from_marked_step_and_confirmed_causes(
    analysis, quality_manager
):
    _chain(analysis, "Sediment.", "No flushing procedure.", root=2)
    rca_services.cause_add(
        analysis=analysis,
        category=IshikawaCategory.objects.get(code="environment"),
        text="Road works",
        status=IshikawaCause.Status.CONFIRMED,
    )
    rca_services.analysis_conclude(
        analysis=analysis, conclusion="Done.", by=quality_manager
    )
    analysis.refresh_from_db()
    assert analysis.status == Status.CONCLUDED
    assert analysis.root_cause_lines == ["No flushing procedure.", "Road works"]
    assert analysis.concluded_by == quality_manager


def test_conclude_applies_category_to_closed_cases_without_one(
    analysis, quality_manager, django_assert_num_queries
):
    unit = OrgUnitFactory()
    weather = RootCauseCategory.objects.get(code="environment-weather")
    training = RootCauseCategory.objects.get(code="people-training")
    closed = _close(register_case(org_unit=unit))
    open_case = register_case(org_unit=unit)
    already = _close(register_case(org_unit=unit, root_cause_category=training))
    analysis.cases.set([closed, open_case, already])
    analysis.verified_root_causes = "Storm"
    analysis.root_cause_category = weather
    # One UPDATE whatever the number of cases.
    with django_assert_num_queries(1):
        updated = rca_services.apply_root_cause_category(analysis=analysis)
    assert updated == 1
    closed.refresh_from_db()
    open_case.refresh_from_db()
    already.refresh_from_db()
    assert closed.root_cause_category == weather
    assert open_case.root_cause_category is None
    assert already.root_cause_category == training


def test_concluded_analysis_cannot_be_changed_until_reopened(analysis, quality_manager):
    rca_services.analysis_conclude(
        analysis=analysis,
        conclusion="Done.",
        verified_root_causes="Cause",
        by=quality_manager,
    )
    with pytest.raises(ValidationError):
        rca_services.why_step_add(analysis=analysis, question="Why?", answer="x")
    with pytest.raises(ValidationError):
        rca_services.analysis_conclude(
            analysis=analysis, conclusion="Again", by=quality_manager
        )
    rca_services.analysis_reopen(analysis=analysis, by=quality_manager)
    rca_services.why_step_add(analysis=analysis, question="Why?", answer="x")


def test_case_root_cause_is_set_only_on_closed_cases(quality_manager):
    weather = RootCauseCategory.objects.get(code="environment-weather")
    case = register_case()
    with pytest.raises(ValidationError):
        rca_services.case_set_root_cause(
            case=case, category=weather, by=quality_manager
        )
    _close(case)
    rca_services.case_set_root_cause(case=case, category=weather, by=quality_manager)
    case.refresh_from_db()
    assert case.root_cause_category == weather
    assert case.history.first().root_cause_category_id == weather.pk


# --------------------------------------------------------------------------
# Pages and access
# --------------------------------------------------------------------------


def test_staff_start_an_analysis_from_a_case(client_for, service_staff):
    unit = OrgUnitFactory()
    Membership.objects.create(user=service_staff, unit=unit)
    case = register_case(org_unit=unit, subject="Brown water")
    client = client_for(service_staff)
    url = reverse("complaints:analysis-create")
    form = client.get(url, {"case": case.reference})
    assert form.status_code == 200
    assert case.reference in form.content.decode()
    response = client.post(
        url,
        {
            "title": "Brown water",
            "problem_what": "Brown water from taps",
            "lead": service_staff.pk,
            "case_references": case.reference.lower(),
            "uses_five_whys": "on",
        },
    )
    analysis = RootCauseAnalysis.objects.get()
    assert response.status_code == 302
    assert response.url == analysis.get_absolute_url()
    assert list(analysis.cases.all()) == [case]


def test_create_rejects_cases_the_user_cannot_see(client_for, service_staff):
    hidden = register_case()  # another unit
    response = client_for(service_staff).post(
        reverse("complaints:analysis-create"),
        {
            "title": "x",
            "problem_what": "x",
            "lead": service_staff.pk,
            "case_references": hidden.reference,
        },
    )
    assert response.status_code == 200
    assert hidden.reference in response.content.decode()
    assert not RootCauseAnalysis.objects.exists()


def test_staff_add_and_reorder_why_steps_through_the_page(
    client_for, service_staff, analysis
):
    client = client_for(service_staff)
    add = reverse("complaints:whystep-add", args=[analysis.pk])
    client.post(add, {"question": "Why 1?", "answer": "a", "evidence": "log"})
    client.post(add, {"question": "Why 2?", "answer": "b", "is_root_cause": "on"})
    second = analysis.why_steps.get(order=2)
    response = client.post(
        reverse("complaints:whystep-move", args=[analysis.pk, second.pk, "up"])
    )
    assert response.status_code == 302
    assert list(analysis.why_steps.values_list("answer", flat=True)) == ["b", "a"]


def test_conclude_page_applies_category(client_for, quality_manager, analysis):
    case = _close(register_case())
    analysis.cases.add(case)
    weather = RootCauseCategory.objects.get(code="environment-weather")
    response = client_for(quality_manager).post(
        reverse("complaints:analysis-conclude", args=[analysis.pk]),
        {
            "conclusion": "Storm",
            "verified_root_causes": "Storm damaged the pipes",
            "root_cause_category": weather.pk,
            "apply_to_cases": "on",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.root_cause_category == weather


def test_handler_sets_root_cause_of_closed_case_from_case_page(
    client_for, quality_manager
):
    case = _close(register_case())
    weather = RootCauseCategory.objects.get(code="environment-weather")
    client = client_for(quality_manager)
    page = client.get(case.get_absolute_url()).content.decode()
    url = reverse("complaints:case-root-cause", args=[case.reference])
    assert url in page
    assert "Start a root-cause analysis" in page
    response = client.post(url, {"root_cause_category": weather.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.root_cause_category == weather


def test_executive_cannot_write_to_an_analysis(client_for, executive, analysis):
    client = client_for(executive)
    response = client.post(
        reverse("complaints:whystep-add", args=[analysis.pk]),
        {"question": "Why?", "answer": "x"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("complaints:analysis-conclude", args=[analysis.pk]),
        {"conclusion": "x", "verified_root_causes": "x"},
    )
    assert response.status_code == 403
    assert not analysis.why_steps.exists()


def test_missing_analysis_is_404(client_for, quality_manager):
    response = client_for(quality_manager).get(
        reverse("complaints:analysis-detail", args=[999999])
    )
    assert response.status_code == 404


def test_list_filters_by_status(client_for, quality_manager, analysis):
    rca_services.analysis_create(
        title="Concluded one",
        problem_what="x",
        lead=quality_manager,
        by=quality_manager,
    )
    done = RootCauseAnalysis.objects.get(title="Concluded one")
    rca_services.analysis_conclude(
        analysis=done, conclusion="c", verified_root_causes="r", by=quality_manager
    )
    response = client_for(quality_manager).get(
        reverse("complaints:analysis-list"), {"status": "concluded"}
    )
    body = response.content.decode()
    assert "Concluded one" in body
    assert "Brown water" not in body


def test_list_query_budget(client_for, quality_manager, django_assert_num_queries):
    for n in range(30):
        rca_services.analysis_create(
            title=f"A{n}", problem_what="x", lead=quality_manager, by=quality_manager
        )
    client = client_for(quality_manager)
    # session + user + permissions (3), count + page rows with lead, category
    # and case count (2), layout and context processors (a few); not one per row.
    with django_assert_num_queries(5):
        response = client.get(reverse("complaints:analysis-list"))
    assert response.status_code == 200


def test_detail_query_budget(
    client_for, quality_manager, analysis, django_assert_num_queries
):
    people = IshikawaCategory.objects.get(code="people")
    for n in range(5):
        parent = rca_services.cause_add(
            analysis=analysis, category=people, text=f"c{n}"
        )
        rca_services.cause_add(
            analysis=analysis, category=people, text=f"s{n}", parent=parent
        )
        rca_services.why_step_add(analysis=analysis, question=f"q{n}", answer=f"a{n}")
    client = client_for(quality_manager)
    # analysis, cases, team, steps, causes + sub-causes, bones, form choices,
    # suggested causes, status changes, history: constant in the number of
    # steps and causes.
    with django_assert_num_queries(19):
        response = client.get(analysis.get_absolute_url())
    assert response.status_code == 200


# The root-cause demo is tested with the complaints demo it analyses, on the
# demo world seeded once for that module: tests/complaints/test_demo.py.
