"""The questionnaire builder: codes, conditions, lock and new versions."""

import pytest
from django.core.exceptions import ValidationError

from surveys import services
from surveys.models import Option, Question, Questionnaire, Section
from tests.surveys.conftest import build_questionnaire

T = Question.Type


@pytest.mark.django_db
def test_locked_version_refuses_changes():
    q = build_questionnaire()
    Questionnaire.objects.filter(pk=q.pk).update(locked=True)
    q.refresh_from_db()
    question = q.questions.get(code="Q_NPS")
    question.text_en = "Changed"
    with pytest.raises(ValidationError, match="locked"):
        services.question_save(question=question)
    with pytest.raises(ValidationError):
        services.section_save(section=Section(questionnaire=q, order=9))
    with pytest.raises(ValidationError):
        services.option_delete(
            option=Option.objects.filter(question__questionnaire=q).first()
        )
    with pytest.raises(ValidationError):
        services.question_delete(question=question)
    assert q.questions.get(code="Q_NPS").text_en != "Changed"


@pytest.mark.django_db
def test_new_version_copies_everything_with_the_same_codes(quality_manager):
    old = build_questionnaire()
    new = services.questionnaire_new_version(questionnaire=old, by=quality_manager)
    assert new.version == 2 and new.based_on == old and not new.locked
    assert sorted(new.questions.values_list("code", flat=True)) == sorted(
        old.questions.values_list("code", flat=True)
    )
    assert new.sections.count() == 2
    why = new.questions.get(code="Q_WHY")
    assert why.show_if.questionnaire == new and why.show_if.code == "Q_OVERALL"
    assert why.section.questionnaire == new
    assert list(
        new.questions.get(code="Q_TOPICS").options.values_list("value", flat=True)
    ) == [1, 2, 3]
    # The old version is untouched.
    assert old.questions.count() == new.questions.count()
    assert old.questions.get(code="Q_WHY").show_if.questionnaire == old


@pytest.mark.django_db
def test_code_must_be_unique_within_a_version():
    q = build_questionnaire()
    duplicate = Question(questionnaire=q, code="Q_NPS", type=T.NPS, text_en="x")
    with pytest.raises(ValidationError) as info:
        services.question_save(question=duplicate)
    assert "code" in info.value.message_dict


@pytest.mark.django_db
def test_condition_must_point_to_an_earlier_scale_question():
    q = build_questionnaire()
    overall = q.questions.get(code="Q_OVERALL")
    text = q.questions.get(code="Q_WHY")
    overall.show_if = q.questions.get(code="Q_VISITS")
    overall.show_if_values = [1]
    with pytest.raises(ValidationError):
        services.question_save(question=overall)
    overall.refresh_from_db()
    overall.show_if = text  # a text answer cannot be compared
    with pytest.raises(ValidationError):
        services.question_save(question=overall)
