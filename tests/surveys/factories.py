"""factory_boy factories for surveys (conventions in ``tests/factories.py``).

All written as stored, like the builders they replace: a wave is created in
the status the test asks for, without the plan figures ``services.wave_save``
computes and without a ``WaveTransition`` row; a target group without the
sample sizes ``services.group_save`` computes; a response without the
validation and locking of ``services.response_submit``. A test about those
lifecycles calls the services itself (``wave_transition``, ``group_save``,
``response_submit``).

A wave's ``sample_seed`` is fixed (42), where ``wave_save`` would draw one,
so a sample drawn in a test is the same every run. Public and personal link
tokens keep the models' random defaults: tests read them back, never compare
them with a constant.

Many responses or answers at once: build them (``build_batch``, with every
relation given) and ``bulk_create``, as ``tests/surveys/factories_analysis.py``
does for the analysis tests.
"""

import factory
from django.utils import timezone

from surveys.models import (
    Answer,
    FollowUp,
    Option,
    Participant,
    Question,
    Questionnaire,
    Response,
    Section,
    Series,
    TargetGroup,
    Wave,
)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    name = factory.Sequence(lambda n: f"Survey {n}")
    code = factory.Sequence(lambda n: f"survey-{n}")


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    """Version 1 of a new series' questionnaire, with no questions yet."""

    class Meta:
        model = Questionnaire

    series = factory.SubFactory(SeriesFactory)
    version = 1
    title = "Satisfaction"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    order = 1
    title_en = "About us"
    title_et = "Meist"


class QuestionFactory(factory.django.DjangoModelFactory):
    """An overall-satisfaction question (CSAT, 1-5) outside any section."""

    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    code = factory.Sequence(lambda n: f"Q_{n}")
    type = Question.Type.CSAT
    text_en = "How satisfied are you overall?"


class OptionFactory(factory.django.DjangoModelFactory):
    """An option of a single-choice question."""

    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory, type=Question.Type.SINGLE)
    value = factory.Sequence(lambda n: n + 1)
    order = factory.SelfAttribute("value")
    label_en = factory.LazyAttribute(lambda o: f"Option {o.value}")


class WaveFactory(factory.django.DjangoModelFactory):
    """A draft wave of a new questionnaire's series."""

    class Meta:
        model = Wave

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    series = factory.SelfAttribute("questionnaire.series")
    name = "Wave 2026"
    sample_seed = 42


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    wave = factory.SubFactory(WaveFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    population = 1000


class ParticipantFactory(factory.django.DjangoModelFactory):
    """Invited, in English (the pages then speak English)."""

    class Meta:
        model = Participant

    wave = factory.SubFactory(WaveFactory)
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    disposition = Participant.Disposition.INVITED
    language = "en"


class ResponseFactory(factory.django.DjangoModelFactory):
    """A response through a personal link, submitted now, in five minutes."""

    class Meta:
        model = Response

    wave = factory.SubFactory(WaveFactory)
    submitted_at = factory.LazyFunction(timezone.now)
    duration_seconds = 300


class AnswerFactory(factory.django.DjangoModelFactory):
    """A 4 on a question of the response's questionnaire."""

    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    wave = factory.SelfAttribute("response.wave")
    question = factory.SubFactory(
        QuestionFactory, questionnaire=factory.SelfAttribute("..wave.questionnaire")
    )
    value_int = 4


class FollowUpFactory(factory.django.DjangoModelFactory):
    """An open task to call a respondent back."""

    class Meta:
        model = FollowUp

    response = factory.SubFactory(ResponseFactory)
    reason = "Low score"
