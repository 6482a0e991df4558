"""Reads of the surveys area, with their joins and aggregates built in."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from qms import statistics

from .models import (
    FollowUp,
    Participant,
    Question,
    Questionnaire,
    Response,
    Section,
    Series,
    TargetGroup,
    Wave,
)

D = Participant.Disposition

# A group is flagged as under-represented when its share of the completed
# responses is below this fraction of its planned share (its required
# responses over all required responses; the population share when the plan
# has no sample sizes)…
UNDER_SHARE_RATIO = 0.8
# …or when its RR1 is below this fraction of the overall RR1.
UNDER_RR_RATIO = 0.5
# Flags need this many completed responses in the wave to mean anything.
UNDER_MIN_COMPLETES = 30


def series_list() -> QuerySet[Series]:
    return Series.objects.select_related("owner").annotate(
        wave_count=Count("waves", distinct=True),
        version_count=Count("questionnaires", distinct=True),
    )


def waves_of(series: Series) -> QuerySet[Wave]:
    return series.waves.select_related("questionnaire").annotate(
        response_count=Count("responses", distinct=True)
    )


def questions_of(questionnaire: Questionnaire) -> QuerySet[Question]:
    """Questions in page order, with their section, condition and options
    (three queries whatever their number)."""
    return (
        questionnaire.questions.select_related("section", "show_if")
        .prefetch_related("options")
        .order_by("section__order", "section_id", "order", "id")
    )


def pages_of(questionnaire: Questionnaire) -> list[list[Question]]:
    """The questions grouped by section (one page each); questions without a
    section come last on their own page."""
    pages: dict[object, list[Question]] = {}
    for question in questions_of(questionnaire):
        pages.setdefault(question.section_id, []).append(question)
    ordered = [qs for key, qs in pages.items() if key is not None]
    if None in pages:
        ordered.append(pages[None])
    return ordered


def sections_of(questionnaire: Questionnaire) -> QuerySet[Section]:
    return questionnaire.sections.prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("show_if")
            .prefetch_related("options")
            .order_by("order", "id"),
        )
    )


def wave_detail() -> QuerySet[Wave]:
    return Wave.objects.select_related(
        "series", "questionnaire", "created_by", "approved_by"
    )


def fieldwork_waves() -> QuerySet[Wave]:
    return (
        Wave.objects.filter(status=Wave.Status.FIELDWORK)
        .select_related("series")
        .annotate(
            invited=Count(
                "participants",
                filter=~Q(participants__disposition=D.SELECTED),
                distinct=True,
            ),
            complete=Count(
                "participants",
                filter=Q(participants__disposition=D.COMPLETE),
                distinct=True,
            ),
            response_count=Count("responses", distinct=True),
        )
        .order_by("closes_on", "id")
    )


def upcoming_waves() -> QuerySet[Wave]:
    return (
        Wave.objects.filter(status__in=[Wave.Status.DRAFT, Wave.Status.APPROVED])
        .select_related("series")
        .order_by("opens_on", "id")
    )


def open_follow_ups() -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(status=FollowUp.Status.OPEN).select_related(
        "response__wave", "assigned_to"
    )


def participants_of(wave: Wave) -> QuerySet[Participant]:
    return wave.participants.select_related("group", "customer").order_by("id")


@dataclass(frozen=True)
class GroupMonitor:
    group: TargetGroup | None
    name: str
    population: int
    required: int
    selected: int
    invited: int
    bounced: int
    opened: int
    partial: int
    complete: int
    opted_out: int
    responses: int
    rr1: float | None
    planned_share: float | None
    response_share: float | None
    under_represented: bool
    short_of_sample: bool


@dataclass(frozen=True)
class Monitor:
    groups: list[GroupMonitor]
    total: GroupMonitor
    public_responses: int
    staff_responses: int


def _rates(counts: dict) -> float | None:
    """AAPOR RR1 = complete / (complete + partial + refusals + non-contacts +
    unknown eligibility). Mapping of our dispositions: opened without answer,
    opted out and refused are refusals (break-offs); invited without any
    reaction and bounced are unknown eligibility (nothing known); participants
    only selected, not yet invited, are not in the base."""
    return statistics.response_rates(
        complete=counts["complete"],
        partial=counts["partial"],
        refusal=counts["opened"] + counts["opted_out"] + counts["refused"],
        unknown_other=counts["invited"] + counts["bounced"],
    ).rr1


def fieldwork_monitor(wave: Wave) -> Monitor:
    """Dispositions and RR1 per group, with under-represented groups flagged
    (two aggregate queries plus the groups, whatever the number of
    participants).

    A group is *under-represented* when, with at least
    ``UNDER_MIN_COMPLETES`` completed responses in the wave, its share of the
    responses is below ``UNDER_SHARE_RATIO`` x its planned share (required
    responses of the group / all required responses — for a stratified plan
    the design's own composition, not the population's), or
    its RR1 is below ``UNDER_RR_RATIO`` x the overall RR1.
    """
    dispositions = list(D.values)
    participant_rows = {
        row["group"]: row
        for row in wave.participants.values("group").annotate(
            **{d: Count("id", filter=Q(disposition=d)) for d in dispositions}
        )
    }
    response_rows = {
        row["group"]: row
        for row in wave.responses.values("group").annotate(
            n=Count("id"),
            public=Count("id", filter=Q(source=Response.Source.PUBLIC_LINK)),
            staff=Count(
                "id",
                filter=Q(source__in=[Response.Source.PHONE, Response.Source.PAPER]),
            ),
        )
    }
    groups = list(wave.groups.order_by("name"))
    empty = dict.fromkeys(dispositions, 0)
    total_population = sum(g.population for g in groups)
    total_required = sum(g.required_sample for g in groups)
    total_responses = sum(r["n"] for r in response_rows.values())
    totals = dict(empty)
    for row in participant_rows.values():
        for d in dispositions:
            totals[d] += row[d]
    overall_rr1 = _rates(totals)
    total_complete = totals["complete"]

    def build(group, name, population, required, counts, responses):
        rr1 = _rates(counts)
        if total_required:
            planned = required / total_required
        else:
            planned = population / total_population if total_population else None
        resp_share = responses / total_responses if total_responses else None
        under = False
        if group is not None and total_responses >= UNDER_MIN_COMPLETES:
            if planned and (resp_share or 0) < UNDER_SHARE_RATIO * planned:
                under = True
            if overall_rr1 and rr1 is not None and rr1 < UNDER_RR_RATIO * overall_rr1:
                under = True
        invited = sum(counts[d] for d in dispositions if d != D.SELECTED)
        return GroupMonitor(
            group=group,
            name=name,
            population=population,
            required=required,
            selected=counts[D.SELECTED],
            invited=invited,
            bounced=counts[D.BOUNCED],
            opened=counts[D.OPENED],
            partial=counts[D.PARTIAL],
            complete=counts[D.COMPLETE],
            opted_out=counts[D.OPTED_OUT],
            responses=responses,
            rr1=rr1,
            planned_share=planned,
            response_share=resp_share,
            under_represented=under,
            short_of_sample=bool(required) and responses < required,
        )

    rows = [
        build(
            g,
            g.name,
            g.population,
            g.required_sample,
            {
                **empty,
                **{d: participant_rows.get(g.pk, {}).get(d, 0) for d in dispositions},
            },
            response_rows.get(g.pk, {}).get("n", 0),
        )
        for g in groups
    ]
    total = build(
        None,
        "",
        total_population,
        sum(g.required_sample for g in groups),
        totals,
        total_responses,
    )
    del total_complete
    return Monitor(
        groups=rows,
        total=total,
        public_responses=sum(r["public"] for r in response_rows.values()),
        staff_responses=sum(r["staff"] for r in response_rows.values()),
    )


def export_rows(wave: Wave):
    """Responses of a wave with their answers, for the export (two queries;
    the answers are streamed ordered by response)."""
    from .models import Answer

    responses = wave.responses.select_related(
        "group", "participant__customer"
    ).order_by("id")
    answers = (
        Answer.objects.filter(wave=wave)
        .order_by("response_id", "id")
        .values_list("response_id", "question__code", "value_int", "value_num", "text")
    )
    return responses, answers
