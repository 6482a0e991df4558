"""Builders for survey tests: a small questionnaire with every answer type,
and waves in a chosen status (written as stored with the factories of
``tests.surveys.factories``)."""

import datetime

import pytest
from django.utils import timezone

from surveys.models import Participant, Question, Questionnaire, Wave
from tests.factories import CustomerFactory, SegmentFactory
from tests.surveys.factories import (
    OptionFactory,
    ParticipantFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
    SeriesFactory,
    TargetGroupFactory,
    WaveFactory,
)

T = Question.Type


def build_questionnaire(series=None, title="Satisfaction", version=1) -> Questionnaire:
    """Two pages: (1) Q_OVERALL csat required, Q_NPS nps, Q_WHY text shown
    only if Q_OVERALL is 1 or 2; (2) Q_CHANNEL single, Q_TOPICS multiple,
    Q_VISITS numeric."""
    series = series or SeriesFactory(name="Yearly", code="yearly")
    q = QuestionnaireFactory(series=series, version=version, title=title)
    s1 = SectionFactory(questionnaire=q, order=1, title_en="About us", title_et="Meist")
    s2 = SectionFactory(questionnaire=q, order=2, title_en="You", title_et="Teie")
    overall = QuestionFactory(
        questionnaire=q, section=s1, order=1, code="Q_OVERALL", type=T.CSAT,
        required=True, is_overall=True, text_en="How satisfied are you overall?",
        text_et="Kui rahul te üldiselt olete?", text_ru="Насколько вы довольны?",
        low_label_en="Very dissatisfied", high_label_en="Very satisfied",
    )  # fmt: skip
    QuestionFactory(
        questionnaire=q, section=s1, order=2, code="Q_NPS", type=T.NPS,
        text_en="How likely are you to recommend us?",
        text_et="Kui tõenäoliselt soovitaksite meid?",
    )  # fmt: skip
    QuestionFactory(
        questionnaire=q, section=s1, order=3, code="Q_WHY", type=T.TEXT,
        required=True, text_en="What went wrong?", text_et="Mis läks valesti?",
        show_if=overall, show_if_values=[1, 2],
    )  # fmt: skip
    channel = QuestionFactory(
        questionnaire=q, section=s2, order=1, code="Q_CHANNEL", type=T.SINGLE,
        text_en="How did you contact us?", text_et="Kuidas te meiega ühendust võtsite?",
    )  # fmt: skip
    for value, label in [(1, "Phone"), (2, "E-mail"), (3, "Office")]:
        OptionFactory(question=channel, order=value, value=value, label_en=label)
    topics = QuestionFactory(
        questionnaire=q, section=s2, order=2, code="Q_TOPICS", type=T.MULTIPLE,
        text_en="What was it about?",
    )  # fmt: skip
    for value, label in [(1, "Bill"), (2, "Water"), (3, "Meter")]:
        OptionFactory(question=topics, order=value, value=value, label_en=label)
    QuestionFactory(
        questionnaire=q, section=s2, order=3, code="Q_VISITS", type=T.NUMERIC,
        text_en="How many times did you contact us?",
    )  # fmt: skip
    return q


def build_wave(
    status=Wave.Status.FIELDWORK, anonymous=False, questionnaire=None, **fields
):
    questionnaire = questionnaire or build_questionnaire()
    today = timezone.localdate()
    fields.setdefault("opens_on", today - datetime.timedelta(days=1))
    fields.setdefault("closes_on", today + datetime.timedelta(days=14))
    return WaveFactory(
        questionnaire=questionnaire, status=status, anonymous=anonymous, **fields
    )


def add_group(wave, name="Households", population=1000, customers=0, **customer_fields):
    segment = SegmentFactory(name=name)
    for _ in range(customers):
        customer_fields.setdefault("consent_surveys", True)
        c = CustomerFactory(**customer_fields)
        c.segments.add(segment)
    return TargetGroupFactory(
        wave=wave, segment=segment, name=name, population=population
    )


def add_participant(wave, group=None, **fields):
    fields.setdefault("email", "p@example.org")
    fields.setdefault("disposition", Participant.Disposition.INVITED)
    # English unless a test asks for another language: the assertions read
    # the English texts (the pages speak the participant's language).
    fields.setdefault("language", "en")
    return ParticipantFactory(wave=wave, group=group, **fields)


# Answers that pass page 1 and page 2.
PAGE1 = {"Q_OVERALL": "4", "Q_NPS": "9"}
PAGE2 = {"Q_CHANNEL": "2", "Q_TOPICS": ["1", "3"], "Q_VISITS": "2"}


@pytest.fixture
def wave(db):
    return build_wave()


@pytest.fixture
def participant(wave):
    group = add_group(wave)
    return add_participant(wave, group=group, language="en")
