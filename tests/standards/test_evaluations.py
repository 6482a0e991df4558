"""Scoring, the version in force, self-evaluation, scope and answers."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from qms.models import Channel, Membership
from standards import services
from standards.models import CriterionScore, Evaluation
from tests.factories import OrgUnitFactory, UserFactory
from tests.standards.helpers import approve, days, evaluate, today

pytestmark = pytest.mark.django_db


# --- score computation (hand-computed) -------------------------------------


def test_weighted_score_excludes_not_applicable():
    # (2·1 + 3·0 + 1·0.75) / (2 + 3 + 1) = 2.75 / 6 = 45.83 %; n.a. in neither sum
    result = services.compute_score(
        [(2, False, "yes"), (3, False, "no"), (1, False, "4"), (5, False, "na")]
    )
    assert result.score == 45.83
    assert result.critical_fail is False
    assert result.compliant is False


def test_scale_maps_to_credit():
    assert [services.credit(str(s)) for s in range(1, 6)] == [0, 0.25, 0.5, 0.75, 1]
    # (1·0.5 + 1·1) / 2 = 75 %
    assert services.compute_score([(1, False, "3"), (1, False, "yes")]).score == 75


def test_failed_critical_criterion_fails_the_evaluation():
    # (1·1 + 1·1 + 1·0) / 3 = 66.67 %, shown, but a critical fail
    result = services.compute_score(
        [(1, False, "yes"), (1, False, "yes"), (1, True, "no")]
    )
    assert result.score == 66.67
    assert result.critical_fail is True
    assert result.compliant is False


def test_critical_scale_fails_at_two_and_passes_at_three():
    assert services.compute_score([(4, True, "2"), (1, False, "yes")]).critical_fail
    passed = services.compute_score([(4, True, "3"), (1, False, "yes")])
    # (4·0.5 + 1) / 5 = 60 %
    assert passed.critical_fail is False and passed.score == 60


def test_critical_not_applicable_does_not_fail():
    result = services.compute_score([(1, True, "na"), (1, False, "yes")])
    assert result.score == 100 and result.compliant and not result.critical_fail


def test_all_not_applicable_has_no_score():
    result = services.compute_score([(1, False, "na")])
    assert result.score is None and not result.compliant


# --- evaluations ----------------------------------------------------------


def test_evaluation_stores_score_and_answers(standard, agent, quality_manager, unit):
    evaluation = evaluate(standard, agent, quality_manager, "yes", "yes", "3")
    # (2 + 3 + 0.5) / 6 = 91.67 %
    assert float(evaluation.score) == 91.67
    assert evaluation.compliant and not evaluation.critical_fail
    assert evaluation.org_unit == unit
    assert evaluation.status == Evaluation.Status.SUBMITTED
    assert CriterionScore.objects.filter(evaluation=evaluation).count() == 3
    assert evaluation.history.count() == 1


def test_version_in_force_is_chosen_by_interaction_date(
    standard, agent, quality_manager, process_owner
):
    v1 = standard.document.versions.get()
    v2 = services.standard_new_draft(
        standard=standard, author=process_owner, change_reason="Sharper wording"
    )
    approve(v2, process_owner, quality_manager, effective_from=today() - days(10))
    old = evaluate(
        standard, agent, quality_manager, "yes", "yes", "5", day=today() - days(50)
    )
    new = evaluate(
        standard, agent, quality_manager, "yes", "yes", "5", day=today() - days(2)
    )
    assert old.version == v1
    assert new.version == v2
    assert {s.criterion.version_id for s in new.scores.all()} == {v2.pk}
    with pytest.raises(ValidationError) as error:
        evaluate(
            standard, agent, quality_manager, "yes", "yes", "5", day=today() - days(300)
        )
    assert str(services.ERR_NO_VERSION_IN_FORCE) in str(error.value)


def test_evaluator_cannot_evaluate_themselves(standard, quality_manager):
    with pytest.raises(ValidationError) as error:
        evaluate(standard, quality_manager, quality_manager, "yes", "yes", "5")
    assert str(services.ERR_SELF_EVALUATION) in str(error.value)
    assert not Evaluation.objects.exists()


def test_database_refuses_self_evaluation(standard, agent, quality_manager):
    evaluation = evaluate(standard, agent, quality_manager, "yes", "yes", "5")
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(evaluator=agent)


def test_missing_or_wrong_answers_save_nothing(standard, agent, quality_manager):
    with pytest.raises(ValidationError):
        evaluate(standard, agent, quality_manager, "yes", "yes", "")
    with pytest.raises(ValidationError):
        evaluate(standard, agent, quality_manager, "yes", "3", "5")
    with pytest.raises(ValidationError):
        evaluate(standard, agent, quality_manager, "yes", "yes", "yes")
    assert not Evaluation.objects.exists()


def test_employee_confirms_or_disputes_only_once(standard, agent, quality_manager):
    evaluation = evaluate(standard, agent, quality_manager, "yes", "no", "5")
    assert evaluation.critical_fail
    with pytest.raises(ValidationError):
        services.evaluation_respond(
            evaluation=evaluation, by=quality_manager, confirm=True
        )
    with pytest.raises(ValidationError) as error:
        services.evaluation_respond(evaluation=evaluation, by=agent, confirm=False)
    assert str(services.ERR_DISPUTE_NEEDS_COMMENT) in str(error.value)
    services.evaluation_respond(
        evaluation=evaluation, by=agent, confirm=False, comment="I did check."
    )
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DISPUTED
    assert evaluation.employee_comment == "I did check."
    with pytest.raises(ValidationError):
        services.evaluation_respond(evaluation=evaluation, by=agent, confirm=True)


# --- pages and scope ----------------------------------------------------------


def test_evaluator_scores_an_interaction_on_the_form(
    client_for, standard, agent, quality_manager
):
    client = client_for(quality_manager)
    day = (today() - days(1)).isoformat()
    url = reverse("standards:evaluation-create")
    start = client.get(url)
    assert start.status_code == 200
    page = client.get(url, {"standard": standard.pk, "interaction_date": day})
    assert "Checks identity." in page.content.decode()
    criteria = list(standard.document.versions.get().criteria.order_by("order"))
    data = {
        "standard": standard.pk,
        "interaction_date": day,
        "interaction_type": "call",
        "reference": "CALL-77",
        "channel": Channel.objects.get(code="phone").pk,
        "employee": agent.pk,
        "comments": "Friendly call.",
        f"c{criteria[0].pk}": "yes",
        f"c{criteria[1].pk}": "yes",
        f"c{criteria[2].pk}": "na",
        f"c{criteria[2].pk}_note": "No next step needed.",
    }
    response = client.post(url, data)
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    assert response.url == evaluation.get_absolute_url()
    assert float(evaluation.score) == 100
    assert (
        evaluation.scores.get(criterion=criteria[2]).comment == "No next step needed."
    )
    # Evaluating oneself is refused on the form and saves nothing.
    data["employee"] = quality_manager.pk
    Membership.objects.create(user=quality_manager, unit=agent.membership.unit)
    response = client.post(url, data)
    assert response.status_code == 200
    assert str(services.ERR_SELF_EVALUATION) in response.content.decode()
    assert Evaluation.objects.count() == 1


def test_employee_sees_only_own_evaluations(
    client_for, standard, agent, quality_manager, unit
):
    mine = evaluate(standard, agent, quality_manager, "yes", "yes", "5")
    colleague = UserFactory(username="colleague", roles=["Service staff"])
    Membership.objects.create(user=colleague, unit=unit)
    theirs = evaluate(
        standard, colleague, quality_manager, "no", "yes", "1", reference="CALL-2"
    )
    client = client_for(agent)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("standards:evaluation-detail", args=[999])).status_code
        == 404
    )
    listing = client.get(reverse("standards:evaluation-list")).content.decode()
    assert "CALL-1" in listing and "CALL-2" not in listing
    mine_page = client.get(reverse("standards:my-evaluations")).content.decode()
    assert "CALL-1" in mine_page


def test_employee_disputes_on_the_page(client_for, standard, agent, quality_manager):
    evaluation = evaluate(standard, agent, quality_manager, "yes", "no", "5")
    client = client_for(agent)
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert "critical fail" in page and "Dispute" in page
    # One form holds the comment and both buttons (no form inside it).
    start = page.index('action="/standards/evaluations/')
    form = page[start : page.index("</form>", start)]
    assert "<form" not in form
    assert 'value="confirm"' in form and 'value="dispute"' in form
    url = reverse("standards:evaluation-respond", args=[evaluation.pk])
    client.post(url, {"action": "dispute", "comment": ""})
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED
    client.post(url, {"action": "dispute", "comment": "The caller was known."})
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DISPUTED


def test_team_lead_sees_their_unit_only(
    standard, agent, quality_manager, unit, client_for
):
    from django.contrib.auth.models import Permission

    lead = UserFactory(username="lead", roles=["Service staff"])
    Membership.objects.create(user=lead, unit=unit)
    lead.user_permissions.add(Permission.objects.get(codename="add_evaluation"))
    outside = UserFactory(username="far", roles=["Service staff"])
    Membership.objects.create(user=outside, unit=OrgUnitFactory())
    in_unit = evaluate(standard, agent, quality_manager, "yes", "yes", "5")
    elsewhere = evaluate(
        standard, outside, quality_manager, "yes", "yes", "5", reference="CALL-9"
    )
    client = client_for(lead)
    assert client.get(in_unit.get_absolute_url()).status_code == 200
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    assert client.get(reverse("standards:evaluation-create")).status_code == 200


def _many(standard, agent, quality_manager, count):
    for i in range(count):
        evaluate(
            standard,
            agent,
            quality_manager,
            "yes",
            "no" if i % 3 == 0 else "yes",
            str(1 + i % 5),
            reference=f"CALL-{i}",
            day=today() - days(1 + 7 * i),
        )


@pytest.mark.parametrize("count", [2, 12])
def test_list_export_and_results_use_constant_queries(
    client_for, standard, agent, quality_manager, count, django_assert_num_queries
):
    _many(standard, agent, quality_manager, count)
    client = client_for(quality_manager)
    # session, user, permissions x2, count, page, filter form choices (channels,
    # units, staff), nav
    with django_assert_num_queries(8):
        assert client.get(reverse("standards:evaluation-list")).status_code == 200
    with django_assert_num_queries(4):
        response = client.get(reverse("standards:evaluation-list"), {"export": "csv"})
        body = b"".join(response.streaming_content).decode()
    assert body.count("CALL-") == count
    # session, user, permissions, filter choices, overall, channel, unit,
    # employee, month, criterion, training needs, timeliness, weakest, propose
    with django_assert_num_queries(14):
        assert client.get(reverse("standards:results")).status_code == 200


# --- invariants ---------------------------------------------------------------

ITEMS = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=100),
        st.booleans(),
        st.sampled_from(["yes", "no", "na", "1", "2", "3", "4", "5"]),
    ),
    max_size=12,
)


@given(ITEMS)
def test_score_is_a_percentage_and_ignores_not_applicable(items):
    result = services.compute_score(items)
    applicable = [i for i in items if i[2] != "na"]
    if not applicable:
        assert result.score is None
    else:
        assert 0 <= result.score <= 100
        assert services.compute_score(applicable).score == result.score
    critical = any(c and services.failed(a) for _w, c, a in items)
    assert result.critical_fail == critical
    if result.compliant:
        assert not critical and result.score >= 80
