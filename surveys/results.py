"""Database reads behind the results pages: every figure starts as an aggregate
(GROUP BY question, value) over a wave's answers, never a loop over responses.

Each function runs a fixed number of queries whatever the number of answers;
:mod:`surveys.analysis` turns the sums into intervals and tests. Excluded
responses (data-quality exclusions) never count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce

from .models import Answer, Option, Participant, Question, Response, Wave

SCORED_TYPES = (
    Question.Type.NPS,
    Question.Type.CSAT,
    Question.Type.CES,
    Question.Type.LIKERT,
)
# Top-2-box (CES: "agree") per scale, and the NPS classes.
TOP_BOX = {
    Question.Type.CSAT: (4, 5),
    Question.Type.LIKERT: (4, 5),
    Question.Type.CES: (5, 7),
}
PROMOTERS = (9, 10)
DETRACTORS = (0, 6)
# Items whose identical answers mark a straight-liner (same 1-5 agreement grid).
GRID_TYPES = (Question.Type.LIKERT,)


def wave_for_results(pk: int) -> Wave:
    """The wave with what the results page header needs (one query);
    ``Wave.DoesNotExist`` when it is missing."""
    return Wave.objects.select_related("series", "questionnaire").get(pk=pk)


def previous_wave(wave: Wave) -> Wave | None:
    """The wave of the same series that ran before ``wave`` (by start date,
    then id), leaving out drafts and cancelled waves. One query."""
    earlier = Wave.objects.filter(series_id=wave.series_id).exclude(
        Q(pk=wave.pk) | Q(status__in=[Wave.Status.DRAFT, Wave.Status.CANCELLED])
    )
    if wave.opens_on is not None:
        earlier = earlier.filter(
            Q(opens_on__lt=wave.opens_on) | Q(opens_on=wave.opens_on, pk__lt=wave.pk)
        )
    else:
        earlier = earlier.filter(pk__lt=wave.pk)
    return (
        earlier.select_related("questionnaire")
        .order_by(F("opens_on").desc(nulls_last=True), "-pk")
        .first()
    )


def questions_of(questionnaire_ids: list[int]) -> list[Question]:
    """Questions of the given questionnaire versions with their options
    (two queries)."""
    return list(
        Question.objects.filter(questionnaire_id__in=questionnaire_ids)
        .select_related("section")
        .prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order", "value"))
        )
        .order_by("questionnaire_id", "section__order", "order", "id")
    )


def counted_answers(wave_ids: list[int]) -> QuerySet[Answer]:
    """Answers of the waves that count: their response is not excluded."""
    return Answer.objects.filter(wave_id__in=wave_ids, response__excluded=False)


def value_counts(wave_ids: list[int]) -> dict[tuple[int, int, int | None], Counter]:
    """``{(wave, question, group): Counter({value: answers})}`` for every
    answer with a coded value (a scale point or an option's value). One
    query (GROUP BY wave, question, group, value) on ``answer_results_idx``."""
    rows = (
        counted_answers(wave_ids)
        .annotate(
            code=Coalesce("value_int", "option__value", output_field=IntegerField())
        )
        .filter(code__isnull=False)
        .values("wave_id", "question_id", "response__group_id", "code")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict[tuple[int, int, int | None], Counter] = defaultdict(Counter)
    for row in rows:
        key = (row["wave_id"], row["question_id"], row["response__group_id"])
        found[key][row["code"]] += row["n"]
    return found


@dataclass
class QuestionSums:
    respondents: int = 0
    num_n: int = 0
    num_sum: float = 0.0
    num_sum2: float = 0.0
    texts: int = 0


def question_sums(wave_ids: list[int]) -> dict[tuple[int, int], QuestionSums]:
    """Per ``(wave, question)``: respondents (distinct responses: a multiple
    choice question has a row per option), the sufficient statistics of
    numeric answers and the number of non-empty texts. One query."""
    rows = (
        counted_answers(wave_ids)
        .values("wave_id", "question_id")
        .annotate(
            respondents=Count("response_id", distinct=True),
            num_n=Count("value_num"),
            num_sum=Sum("value_num"),
            num_sum2=Sum(F("value_num") * F("value_num"), output_field=FloatField()),
            texts=Count("id", filter=~Q(text="")),
        )
        .order_by()
    )
    return {
        (r["wave_id"], r["question_id"]): QuestionSums(
            r["respondents"],
            r["num_n"],
            float(r["num_sum"] or 0),
            float(r["num_sum2"] or 0),
            r["texts"],
        )
        for r in rows
    }


@dataclass
class GroupCounts:
    pk: int | None
    name: str
    population: int | None
    responses: int = 0
    excluded: int = 0
    dispositions: Counter = field(default_factory=Counter)


def group_rows(
    wave: Wave,
) -> tuple[dict[int | None, Counter], dict[int | None, tuple[int, int]]]:
    """The participants per disposition and the (counted, excluded) responses
    per target group of ``wave``: two GROUP BY queries."""
    dispositions: dict[int | None, Counter] = defaultdict(Counter)
    for row in (
        Participant.objects.filter(wave=wave)
        .values("group_id", "disposition")
        .annotate(n=Count("id"))
        .order_by()
    ):
        dispositions[row["group_id"]][row["disposition"]] += row["n"]
    responses: dict[int | None, tuple[int, int]] = {}
    for row in (
        Response.objects.filter(wave=wave)
        .values("group_id")
        .annotate(
            counted=Count("id", filter=Q(excluded=False)),
            excluded=Count("id", filter=Q(excluded=True)),
        )
        .order_by()
    ):
        responses[row["group_id"]] = (row["counted"], row["excluded"])
    return dict(dispositions), responses


def assemble_group_counts(
    wave: Wave,
    dispositions: dict[int | None, Counter],
    responses: dict[int | None, tuple[int, int]],
) -> list[GroupCounts]:
    """The wave's target groups (one query) with the figures of
    :func:`group_rows`; participants or responses of no (or another wave's)
    group come last as an unnamed row."""
    groups = {
        g.pk: GroupCounts(g.pk, g.name, g.population)
        for g in wave.groups.order_by("name")
    }

    def row(group_id: int | None) -> GroupCounts:
        group = groups.get(group_id)
        if group is None:
            group = groups.setdefault(None, GroupCounts(None, "", None))
        return group

    for group_id in sorted(dispositions, key=lambda g: (g is not None, g or 0)):
        row(group_id).dispositions.update(dispositions[group_id])
    for group_id in sorted(responses, key=lambda g: (g is not None, g or 0)):
        counted, excluded = responses[group_id]
        group = row(group_id)
        group.responses += counted
        group.excluded += excluded
    return list(groups.values())


def group_counts(wave: Wave) -> list[GroupCounts]:
    """The wave's target groups with participant dispositions and counted
    (and excluded) responses: three queries. Responses without a group come
    last as an unnamed row when there are any."""
    return assemble_group_counts(wave, *group_rows(wave))


@dataclass(frozen=True)
class PairedSums:
    n: int
    sum_x: float
    sum_y: float
    sum_x2: float
    sum_y2: float
    sum_xy: float


def driver_sums(wave: Wave, overall: Question) -> dict[int, PairedSums]:
    """Per scored question: the paired sums of its score (x) and the overall
    item's score (y) over the counted responses that answered both. One
    query: each answer is joined to the overall answer of the same response
    (through the response, ``FilteredRelation``), then GROUP BY question.

    A join, not a correlated subquery: Django repeats an annotated subquery
    inside every aggregate that uses it, so the subquery form looked the
    overall answer up six times per answer — about 40 s for a wave of 25,000
    responses (500,000 answers) on the benchmark; the join is one hash join
    (issue 10)."""
    x = Cast("value_int", FloatField())
    y = Cast("overall__value_int", FloatField())
    rows = (
        counted_answers([wave.pk])
        .filter(question__type__in=SCORED_TYPES, value_int__isnull=False)
        .exclude(question_id=overall.pk)
        .annotate(
            overall=FilteredRelation(
                "response__answers",
                condition=Q(response__answers__question_id=overall.pk),
            )
        )
        .filter(overall__value_int__isnull=False)
        .values("question_id")
        .annotate(
            n=Count("id"),
            sx=Sum(x),
            sy=Sum(y),
            sxx=Sum(x * x),
            syy=Sum(y * y),
            sxy=Sum(x * y),
        )
        .order_by()
    )
    return {
        r["question_id"]: PairedSums(
            r["n"],
            float(r["sx"]),
            float(r["sy"]),
            float(r["sxx"]),
            float(r["syy"]),
            float(r["sxy"]),
        )
        for r in rows
    }


def speeders(wave: Wave) -> QuerySet[Response]:
    """Responses faster than the wave's plausible minimum (excluded or not)."""
    return (
        Response.objects.filter(wave=wave, duration_seconds__lt=wave.min_seconds)
        .select_related("group", "excluded_by")
        .order_by("duration_seconds", "pk")
    )


def straight_liner_ids(wave: Wave, min_items: int) -> QuerySet:
    """Ids of responses that gave the same answer to at least ``min_items``
    grid (Likert) items: per response, count, min and max of those answers
    (one GROUP BY response)."""
    return (
        Answer.objects.filter(
            wave=wave, question__type__in=GRID_TYPES, value_int__isnull=False
        )
        .values("response_id")
        .annotate(k=Count("id"), lo=Min("value_int"), hi=Max("value_int"))
        .filter(k__gte=min_items, lo=F("hi"))
        .values("response_id")
    )


def straight_liners(wave: Wave, min_items: int) -> QuerySet[Response]:
    return (
        Response.objects.filter(pk__in=straight_liner_ids(wave, min_items))
        .select_related("group", "excluded_by")
        .order_by("pk")
    )


def comments(
    wave: Wave,
    *,
    question: int | None = None,
    group: int | None = None,
    overall: Question | None = None,
    score_min: int | None = None,
    score_max: int | None = None,
    search: str = "",
) -> QuerySet[Answer]:
    """Free-text answers of counted responses, newest first, with the score
    the same respondent gave the overall item (``overall_score``)."""
    answers = (
        counted_answers([wave.pk])
        .exclude(text="")
        .filter(question__type=Question.Type.TEXT)
        .select_related("question", "response__group")
    )
    if overall is not None:
        answers = answers.annotate(
            overall_score=Subquery(
                Answer.objects.filter(
                    response_id=OuterRef("response_id"), question_id=overall.pk
                ).values("value_int")[:1],
                output_field=IntegerField(),
            )
        )
        if score_min is not None:
            answers = answers.filter(overall_score__gte=score_min)
        if score_max is not None:
            answers = answers.filter(overall_score__lte=score_max)
    if question:
        answers = answers.filter(question_id=question)
    if group:
        answers = answers.filter(response__group_id=group)
    if search:
        answers = answers.filter(text__icontains=search)
    return answers.order_by("-response__submitted_at", "-pk")


@dataclass(frozen=True)
class ActionLink:
    kind: str  # "plan" or "proposal"
    title: str
    status: str
    url: str
    question_id: int | None


def actions_from(
    questions: list[Question], waves: list[Wave], *, since=None, before=None
) -> list[ActionLink]:
    """Improvement plans and proposals raised from the given questions or
    waves, created in ``[since, before)``. Two queries (plans, proposals);
    an empty list when the improvements app is not installed."""
    try:
        from improvements.models import Plan, Proposal
    except ImportError:  # pragma: no cover - the app is part of the product
        return []
    question_type = ContentType.objects.get_for_model(Question)
    wave_type = ContentType.objects.get_for_model(Wave)
    question_ids = [str(q.pk) for q in questions]
    wave_ids = [str(w.pk) for w in waves]

    def origin_filter(prefix: str) -> Q:
        return Q(
            **{
                f"{prefix}origin_type": question_type,
                f"{prefix}origin_id__in": question_ids,
            }
        ) | Q(**{f"{prefix}origin_type": wave_type, f"{prefix}origin_id__in": wave_ids})

    def period(qs):
        if since is not None:
            qs = qs.filter(created_at__gte=since)
        if before is not None:
            qs = qs.filter(created_at__lt=before)
        return qs

    links: list[ActionLink] = []
    plans = (
        period(Plan.objects.filter(origin_filter("origins__")))
        .annotate(
            question_origin=Max(
                Cast("origins__origin_id", IntegerField()),
                filter=Q(origins__origin_type=question_type),
            )
        )
        .order_by("-created_at")
    )
    for plan in plans:
        links.append(
            ActionLink(
                "plan",
                plan.title,
                plan.get_status_display(),
                plan.get_absolute_url(),
                plan.question_origin,
            )
        )
    for proposal in period(Proposal.objects.filter(origin_filter(""))).order_by(
        "-created_at"
    ):
        links.append(
            ActionLink(
                "proposal",
                proposal.title,
                proposal.get_status_display(),
                proposal.get_absolute_url(),
                int(proposal.origin_id)
                if proposal.origin_type_id == question_type.pk
                else None,
            )
        )
    return links
