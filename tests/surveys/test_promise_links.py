"""Survey questions are linked to the customer promises they measure
(issue 8, item 2): chosen in the question form, shown on both sides and kept
in a new questionnaire version."""

import pytest
from django.urls import reverse

from surveys import services
from surveys.models import Question
from tests.promises.helpers import make_promise
from tests.surveys.conftest import build_questionnaire


@pytest.mark.django_db
def test_a_question_is_linked_to_promises_from_its_form(
    client_for, quality_manager, process_owner
):
    questionnaire = build_questionnaire()
    question = questionnaire.questions.get(code="Q_OVERALL")
    promise = make_promise(process_owner, title="Calls answered within 60 s")
    client = client_for(quality_manager)
    url = reverse("surveys:question-update", args=[questionnaire.pk, question.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        section=question.section_id, show_if="", show_if_values="",
        promises=[promise.pk],
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert list(question.promises.all()) == [promise]

    detail = client.get(reverse("surveys:question-detail", args=[question.pk]))
    assert promise.title in detail.content.decode()
    page = client.get(promise.get_absolute_url()).content.decode()
    assert "Q_OVERALL" in page


@pytest.mark.django_db
def test_a_new_version_keeps_the_promise_links(quality_manager, process_owner):
    questionnaire = build_questionnaire()
    promise = make_promise(process_owner)
    questionnaire.questions.get(code="Q_NPS").promises.add(promise)
    copy = services.questionnaire_new_version(
        questionnaire=questionnaire, by=quality_manager
    )
    copied = Question.objects.get(questionnaire=copy, code="Q_NPS")
    assert list(copied.promises.all()) == [promise]
