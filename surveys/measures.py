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
from collections import Counter, defaultdict

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Q,
    QuerySet,
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


# The scored question types the measures read; within one build (a
# dashboard, a report) one grouped query of their value counts serves all four
# measures (about 0.15 s each at 10 million answers when run separately).
SCORED = (Question.Type.NPS, Question.Type.CSAT, Question.Type.CES)


def _value_counts(
    start,
    end,
    period: Period,
    filters: dict,
    kinds: tuple[str, ...],
    *,
    post_only: bool = False,
) -> dict[tuple, Counter]:
    """Answers counted per ``(bucket, question type, post-complaint)`` and
    value, for the question types ``kinds`` (all of :data:`SCORED` within a
    :func:`qms.measures.memoized` build, shared by the measures; a lone call
    with ``post_only`` reads only the post-complaint answers). Two queries
    (the question types, the counts); the rows are buckets x questions x
    values, not answers."""

    def compute(kinds: tuple[str, ...], post_only: bool) -> dict[tuple, Counter]:
        types = dict(Question.objects.filter(type__in=kinds).values_list("pk", "type"))
        after_complaint = Q(wave__series__kind=Series.Kind.POST_COMPLAINT) | Q(
            response__source=Response.Source.POST_COMPLAINT
        )
        post = Case(
            When(after_complaint, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        answers = _answers(start, end, filters).filter(question_id__in=list(types))
        if post_only:
            answers = answers.filter(after_complaint)
        rows = (
            _bucketed(answers, start, period)
            .annotate(post=post)
            .values("bucket", "question_id", "post", "value_int")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts: dict[tuple, Counter] = defaultdict(Counter)
        for row in rows:
            key = (row["bucket"], types[row["question_id"]], row["post"])
            counts[key][row["value_int"]] += row["n"]
        return counts

    if measures.memoizing():
        key = ("surveys.value_counts", start, end, period, sorted(filters.items()))
        return measures.shared(key, lambda: compute(SCORED, False))
    return compute(kinds, post_only)


def _points_of(start, end, period, filters, kind, make, *, post_only=False):
    """Points of a measure of the answers to ``kind`` questions (only those
    of the post-complaint survey with ``post_only``), from their value counts:
    ``make(values)`` turns a Counter of values into the point's fields."""
    counts = _value_counts(start, end, period, filters, (kind,), post_only=post_only)
    per_bucket: dict = defaultdict(Counter)
    for (bucket, question_type, post), values in counts.items():
        if question_type == kind and (post or not post_only):
            per_bucket[bucket].update(values)
    return [
        Point(start=lo, end=hi, **make(per_bucket.get(key) or Counter()))
        for key, lo, hi in measures.period_buckets(start, end, period)
    ]


def _top_box(kind: str):
    low, high = TOP_BOX[kind]

    def make(values: Counter) -> dict:
        return {
            "successes": sum(n for v, n in values.items() if low <= v <= high),
            "trials": sum(values.values()),
        }

    return make


def _nps(values: Counter) -> dict:
    promoters = sum(n for v, n in values.items() if v >= PROMOTERS[0])
    detractors = sum(n for v, n in values.items() if v <= DETRACTORS[1])
    return {
        "n": sum(values.values()),
        "sum_x": float(100 * promoters - 100 * detractors),
        "sum_x2": 10_000.0 * (promoters + detractors),
    }


def _moments(values: Counter) -> dict:
    return {
        "n": sum(values.values()),
        "sum_x": float(sum(v * n for v, n in values.items())),
        "sum_x2": float(sum(v * v * n for v, n in values.items())),
    }


def compute_nps(start, end, *, period: Period, filters: dict) -> list[Point]:
    return _points_of(start, end, period, filters, Question.Type.NPS, _nps)


def compute_csat(start, end, *, period: Period, filters: dict) -> list[Point]:
    kind = Question.Type.CSAT
    return _points_of(start, end, period, filters, kind, _top_box(kind))


def compute_ces(start, end, *, period: Period, filters: dict) -> list[Point]:
    return _points_of(start, end, period, filters, Question.Type.CES, _moments)


def compute_post_complaint(start, end, *, period: Period, filters: dict) -> list[Point]:
    kind = Question.Type.CSAT
    return _points_of(start, end, period, filters, kind, _top_box(kind), post_only=True)


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


# Found at start-up by the core's autodiscovery (qms.apps).
register_all()
