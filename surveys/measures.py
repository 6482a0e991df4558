"""The survey area's indicators for the registry in :mod:`qms.measures`.

Answers count in the period their response was submitted; excluded responses
never count. Filters: ``series`` (a series code) and ``question`` (a question
code; the same code across questionnaire versions).

* ``surveys.nps`` is a *mean* of the answers coded promoter = +100,
  passive = 0, detractor = -100: the mean of that coding is exactly the NPS,
  and ``(n, Σx, Σx²)`` gives its t interval, which is the F3 NPS interval
  with n - 1 in place of n (no separate "NPS" kind is needed).
* ``surveys.csat_t2b``: share of CSAT answers 4-5.
* ``surveys.ces_mean``: mean CES answer (1-7, higher = easier).
* ``surveys.post_complaint_satisfaction``: share of CSAT answers 4-5 in
  responses to a post-complaint survey (series of that kind, or responses
  that came in after a complaint): satisfaction with complaint handling.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms import measures
from qms.measures import MEAN, SHARE, Measure, Period, Point

from .models import Answer, Question, Response, Series
from .results import DETRACTORS, PROMOTERS, TOP_BOX

FILTERS = ("series", "question")
_TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def _answers(start: datetime.date, end: datetime.date, filters: dict) -> QuerySet:
    submitted = {
        "submitted_at__gte": measures.local_midnight(start),
        "submitted_at__lt": measures.local_midnight(end),
    }
    answers = Answer.objects.filter(
        response__excluded=False,
        **{f"response__{k}": v for k, v in submitted.items()},
        value_int__isnull=False,
        # Redundant with the response's date, but it lets PostgreSQL read only
        # the waves answered in the period through answer_results_idx (wave,
        # question) instead of scanning every answer of ten years (10 million
        # on the benchmark: about 1.5 s per measure, 0.1 s with it; issue 10).
        # The ids are read first (a small query each): with subqueries the
        # planner cannot tell how few waves they are and scans anyway.
        wave_id__in=measures.shared(
            ("surveys.waves_answered", start, end),
            lambda: list(
                Response.objects.filter(**submitted)
                .order_by()
                .values_list("wave_id", flat=True)
                .distinct()
            ),
        ),
    )
    if filters.get("series"):
        answers = answers.filter(wave__series__code=filters["series"])
    if filters.get("question"):
        answers = answers.filter(question__code=filters["question"])
    return answers


def _questions(kind: str) -> list[int]:
    """Ids of the questions of a type (read first, see ``_answers``)."""
    return measures.shared(
        ("surveys.questions_of_type", kind),
        lambda: list(Question.objects.filter(type=kind).values_list("pk", flat=True)),
    )


def _bucketed(answers: QuerySet, start, period: Period) -> QuerySet:
    if period is None:
        return answers.annotate(bucket=Value(start, output_field=DateField()))
    return answers.annotate(
        bucket=_TRUNC[period](
            "response__submitted_at",
            output_field=DateField(),
            tzinfo=timezone.get_default_timezone(),
        )
    )


def _points(start, end, period, answers: QuerySet, make, **aggregates) -> list[Point]:
    rows = {}
    for row in (
        _bucketed(answers, start, period)
        .values("bucket")
        .annotate(**aggregates)
        .order_by()
    ):
        bucket = row["bucket"]
        rows[bucket] = row
    return measures.points_from_rows(start, end, period, rows, make)


def _share_of_top_box(kind: str, answers: QuerySet, start, end, period):
    low, high = TOP_BOX[kind]
    return _points(
        start,
        end,
        period,
        answers.filter(question_id__in=_questions(kind)),
        lambda r: {"successes": r.get("hits") or 0, "trials": r.get("n") or 0},
        n=Count("id"),
        hits=Count("id", filter=Q(value_int__gte=low, value_int__lte=high)),
    )


def compute_nps(start, end, *, period: Period, filters: dict) -> list[Point]:
    coded = Case(
        When(value_int__gte=PROMOTERS[0], then=Value(100)),
        When(value_int__lte=DETRACTORS[1], then=Value(-100)),
        default=Value(0),
        output_field=IntegerField(),
    )
    answers = _answers(start, end, filters).filter(
        question_id__in=_questions(Question.Type.NPS)
    )
    return _points(
        start,
        end,
        period,
        answers,
        lambda r: {
            "n": r.get("n") or 0,
            "sum_x": float(r.get("sx") or 0),
            "sum_x2": 10_000.0 * (r.get("extremes") or 0),
        },
        n=Count("id"),
        sx=Sum(coded),
        extremes=Count(
            "id",
            filter=Q(value_int__gte=PROMOTERS[0]) | Q(value_int__lte=DETRACTORS[1]),
        ),
    )


def compute_csat(start, end, *, period: Period, filters: dict) -> list[Point]:
    return _share_of_top_box(
        Question.Type.CSAT, _answers(start, end, filters), start, end, period
    )


def compute_ces(start, end, *, period: Period, filters: dict) -> list[Point]:
    answers = _answers(start, end, filters).filter(
        question_id__in=_questions(Question.Type.CES)
    )
    return _points(
        start,
        end,
        period,
        answers,
        lambda r: {
            "n": r.get("n") or 0,
            "sum_x": float(r.get("sx") or 0),
            "sum_x2": float(r.get("sxx") or 0),
        },
        n=Count("id"),
        sx=Sum("value_int"),
        sxx=Sum(F("value_int") * F("value_int")),
    )


def compute_post_complaint(start, end, *, period: Period, filters: dict) -> list[Point]:
    answers = _answers(start, end, filters).filter(
        Q(wave__series__kind=Series.Kind.POST_COMPLAINT)
        | Q(response__source=Response.Source.POST_COMPLAINT)
    )
    return _share_of_top_box(Question.Type.CSAT, answers, start, end, period)


NPS = Measure(
    key="surveys.nps",
    label=_("Net Promoter Score"),
    kind=MEAN,
    compute=compute_nps,
    unit=_("points (-100 to 100)"),
    description=_(
        "Promoters (9-10) minus detractors (0-6), in per cent of NPS answers; "
        "the mean of answers coded +100 / 0 / -100."
    ),
    filter_names=FILTERS,
)
CSAT_T2B = Measure(
    key="surveys.csat_t2b",
    label=_("Satisfied customers (CSAT 4-5)"),
    kind=SHARE,
    compute=compute_csat,
    unit="%",
    description=_("Share of satisfaction answers 4 or 5 on the 1-5 scale."),
    filter_names=FILTERS,
)
CES_MEAN = Measure(
    key="surveys.ces_mean",
    label=_("Customer effort (CES, mean 1-7)"),
    kind=MEAN,
    compute=compute_ces,
    unit=_("points (1-7)"),
    description=_("Mean agreement that it was easy to get things done (7 = easiest)."),
    filter_names=FILTERS,
)
POST_COMPLAINT = Measure(
    key="surveys.post_complaint_satisfaction",
    label=_("Satisfied with complaint handling"),
    kind=SHARE,
    compute=compute_post_complaint,
    unit="%",
    description=_(
        "Share of satisfaction answers 4 or 5 in the survey sent after a "
        "complaint is closed."
    ),
    filter_names=FILTERS,
)

ALL = (NPS, CSAT_T2B, CES_MEAN, POST_COMPLAINT)


def register_all() -> None:
    for measure in ALL:
        measures.register(measure)
