"""Builders of survey data for the analysis tests: a series with a
questionnaire, waves with target groups (from the factories of
``tests.surveys.factories``), and responses with their answers, written with
bulk_create so thousands of answers stay fast."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable

from django.utils import timezone

from surveys import aggregates
from surveys.models import (
    Answer,
    Option,
    Participant,
    Question,
    Questionnaire,
    Response,
    Series,
    TargetGroup,
    Wave,
)
from tests.surveys.factories import (
    OptionFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SeriesFactory,
    TargetGroupFactory,
    WaveFactory,
)

# code -> (type, is_overall)
DEFAULT_QUESTIONS = {
    "Q_NPS": ("nps", False),
    "Q_OVERALL": ("csat", True),
    "Q_SPEED": ("likert", False),
    "Q_STAFF": ("likert", False),
    "Q_CLEAR": ("likert", False),
    "Q_EFFORT": ("ces", False),
    "Q_CHANNEL": ("single", False),
    "Q_COMMENT": ("text", False),
}


def make_series(code: str = "sat", kind: str = Series.Kind.RELATIONSHIP) -> Series:
    return SeriesFactory(name=f"Survey {code}", code=code, kind=kind)


def make_questionnaire(
    series: Series, questions: dict | None = None, version: int = 1
) -> tuple[Questionnaire, dict[str, Question]]:
    questionnaire = QuestionnaireFactory(
        series=series, version=version, title=f"{series.name} v{version}"
    )
    created = {}
    for order, (code, (kind, overall)) in enumerate(
        (questions or DEFAULT_QUESTIONS).items()
    ):
        created[code] = QuestionFactory(
            questionnaire=questionnaire,
            order=order,
            code=code,
            type=kind,
            text_en=f"Question {code}",
            is_overall=overall,
        )
        if kind in ("single", "multiple"):
            for v in (1, 2, 3):
                OptionFactory(question=created[code], order=v, value=v)
    return questionnaire, created


def make_wave(
    series: Series,
    questionnaire: Questionnaire,
    *,
    name: str = "2025",
    opens_on: datetime.date = datetime.date(2025, 3, 1),
    groups: dict[str, int] | None = None,
    status: str = Wave.Status.CLOSED,
    anonymous: bool = False,
    min_seconds: int = 60,
) -> tuple[Wave, dict[str, TargetGroup]]:
    wave = WaveFactory(
        series=series,
        questionnaire=questionnaire,
        name=name,
        status=status,
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=30),
        anonymous=anonymous,
        min_seconds=min_seconds,
    )
    made = {
        group: TargetGroupFactory(wave=wave, name=group, population=population)
        for group, population in (groups or {"Private": 5000, "Business": 800}).items()
    }
    return wave, made


def add_responses(
    wave: Wave,
    rows: Iterable[dict],
) -> list[Response]:
    """``rows``: dicts with ``answers`` ({code: int | list[int] | str}) and
    optional ``group``, ``duration``, ``excluded``, ``participant``,
    ``source``. Questions are looked up by code in the wave's questionnaire."""
    rows = list(rows)
    questions = {q.code: q for q in wave.questionnaire.questions.all()}
    options = {
        (o.question_id, o.value): o
        for o in Option.objects.filter(question__questionnaire=wave.questionnaire)
    }
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            wave=wave,
            group=row.get("group"),
            participant=row.get("participant"),
            source=row.get("source", Response.Source.PERSONAL_LINK),
            submitted_at=row.get("submitted_at", now),
            duration_seconds=row.get("duration", 300),
            excluded=row.get("excluded", False),
            exclusion_reason="test" if row.get("excluded") else "",
        )
        for row in rows
    )
    answers = []
    for response, row in zip(responses, rows, strict=True):
        for code, value in row["answers"].items():
            question = questions[code]
            if value is None:
                continue
            if question.type == "text":
                answers.append(
                    Answer(response=response, wave=wave, question=question, text=value)
                )
            elif question.type == "numeric":
                answers.append(
                    Answer(
                        response=response, wave=wave, question=question, value_num=value
                    )
                )
            elif question.type == "multiple":
                answers.extend(
                    Answer(
                        response=response,
                        wave=wave,
                        question=question,
                        value_int=v,
                        option=options[(question.pk, v)],
                    )
                    for v in value
                )
            else:
                answers.append(
                    Answer(
                        response=response,
                        wave=wave,
                        question=question,
                        value_int=value,
                        option=options.get((question.pk, value))
                        if question.type == "single"
                        else None,
                    )
                )
    Answer.objects.bulk_create(answers, batch_size=2000)
    # Written past the services (which take responses only in fieldwork):
    # what is stored for the wave no longer holds.
    aggregates.invalidate([wave.pk])
    return responses


def add_participants(wave: Wave, group: TargetGroup, **dispositions: int) -> None:
    Participant.objects.bulk_create(
        Participant(wave=wave, group=group, disposition=disposition)
        for disposition, count in dispositions.items()
        for _ in range(count)
    )
    aggregates.invalidate([wave.pk])


EVEN_CES = dict.fromkeys(range(1, 8), 1)


def draw(rng: random.Random, weights: dict[int, float]) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def random_rows(
    n: int,
    *,
    seed: int = 1,
    groups: list[TargetGroup] | None = None,
    scores: dict[str, dict[int, float]] | None = None,
    extra: Callable[[random.Random, dict], None] | None = None,
) -> list[dict]:
    """``n`` response rows whose answers follow ``scores`` (weights per
    value); Q_OVERALL tracks Q_SPEED so it is a real driver."""
    rng = random.Random(seed)
    scores = scores or {}
    rows = []
    for i in range(n):
        speed = draw(rng, scores.get("Q_SPEED", {1: 1, 2: 2, 3: 3, 4: 4, 5: 2}))
        answers = {
            "Q_NPS": draw(rng, scores.get("Q_NPS", dict.fromkeys(range(11), 1))),
            "Q_SPEED": speed,
            "Q_OVERALL": max(1, min(5, speed + rng.choice((-1, 0, 0, 0, 1)))),
            "Q_STAFF": draw(rng, scores.get("Q_STAFF", {1: 1, 2: 1, 3: 2, 4: 4, 5: 3})),
            "Q_CLEAR": draw(rng, scores.get("Q_CLEAR", {1: 1, 2: 2, 3: 3, 4: 3, 5: 2})),
            "Q_EFFORT": draw(rng, scores.get("Q_EFFORT", EVEN_CES)),
            "Q_CHANNEL": draw(rng, scores.get("Q_CHANNEL", {1: 2, 2: 1, 3: 1})),
            "Q_COMMENT": f"Comment {i}" if i % 5 == 0 else None,
        }
        row = {
            "answers": answers,
            "group": groups[i % len(groups)] if groups else None,
            "duration": rng.randint(90, 900),
        }
        if extra:
            extra(rng, row)
        rows.append(row)
    return rows


def fresh(model, pks: dict, *related: str) -> dict:
    """``{key: pk}`` as ``{key: instance}`` read from the database, for a
    module's world (tests.worlds) handed to each test as new instances: a
    test may change them in memory as well as in the database."""
    found = model.objects.select_related(*related).in_bulk(pks.values())
    return {key: found[pk] for key, pk in pks.items()}


def skip_chart_drawing(monkeypatch) -> None:
    """Results without matplotlib's drawing (most of a results page's time):
    every chart an empty SVG. Charts are still asked for, looked up, stored
    and read as before, with the same queries; for tests that look at the
    figures and at what is stored, never at a chart's picture."""
    from surveys.analysis import rendering

    for kind in rendering._CHARTS:
        monkeypatch.setitem(rendering._CHARTS, kind, lambda *a, **k: "<svg></svg>")
