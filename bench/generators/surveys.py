"""Survey waves with their responses and answers (the bulk: 10 million
answers at scale 1), and a wave in fieldwork with fresh personal links.

One relationship series with a one-page questionnaire of 21 questions
(overall satisfaction, NPS, the demo's seven drivers and nine more agreement
items, effort, last contact channel, a comment), so a response has about 20
answers and one POST submits a whole questionnaire. Twenty closed, anonymous
waves, two a year over ten years, each with the demo's target groups (the
customer segments) and their plan figures; the last closed wave holds 25,000
responses (fewer only at tiny scales) for the results page, the others share
the rest, growing over the years. Answers follow one latent satisfaction per
respondent plus noise, overall satisfaction is driven by the items, about
1 % of responses are excluded as speeders. Anonymous waves keep only the
group on a response, as ``surveys.services.response_submit`` does.

A twenty-first wave is in fieldwork (identified, e-mail invitations) with a
pool of invited participants whose personal tokens the survey-answer POST
scenario uses, one token per request (each can answer once).

Responses and answers go in by COPY in chunks with the secondary indexes
dropped during the load and rebuilt after it.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import time

from django.conf import settings
from django.db import connection
from django.utils import translation

from qms.periods import month_start
from surveys import aggregates, analysis
from surveys import demo as surveys_demo
from surveys.models import (
    Answer,
    Option,
    Participant,
    Question,
    Questionnaire,
    Response,
    Section,
    Series,
    TargetGroup,
    Wave,
    WaveTransition,
)
from surveys.services import plan_figures

from .base import (
    BenchContext,
    analyze,
    first_id,
    indexes_deferred,
    reset_sequences,
    scaled,
    write,
)

RESPONSES = 500_000
WAVES = 20
BIG_WAVE = 25_000
TOKENS = 20_000  # fresh personal links in the fieldwork wave at scale 1
CHUNK = 20_000  # responses per COPY round
SERIES_CODE = "bench-satisfaction"
T = Question.Type
EXTRA_ITEMS = [
    ("Q_INFO_CLEAR", "Our letters are easy to understand.", 3.7),
    ("Q_PORTAL_FAST", "The portal answers quickly.", 3.5),
    ("Q_FIX_FIRST", "My matter was solved at the first contact.", 3.4),
    ("Q_PRICE_FAIR", "The price is fair for the service.", 3.1),
    ("Q_TRUST", "I trust the utility to keep its promises.", 3.8),
    ("Q_REPAIR_FAST", "Repairs are done quickly.", 3.5),
    ("Q_METER_EASY", "Reading the meter is easy.", 4.0),
    ("Q_OFFICE_HOURS", "Office hours suit me.", 3.6),
    ("Q_ENVIRONMENT", "The utility cares for the environment.", 3.7),
]
COMMENTS = [text for texts in surveys_demo.COMMENTS.values() for _lang, text in texts]
RESPONSE_COLUMNS = [
    "id", "wave_id", "group_id", "source", "language", "submitted_at",
    "duration_seconds", "excluded", "exclusion_reason",
]  # fmt: skip
ANSWER_COLUMNS = ["response_id", "wave_id", "question_id", "value_int", "option_id",
                  "text"]  # fmt: skip
PARTICIPANT_COLUMNS = [
    "id", "wave_id", "group_id", "customer_id", "email", "language", "token",
    "disposition", "invited_at",
]  # fmt: skip


def _questionnaire(ctx: BenchContext) -> tuple[Series, Questionnaire, list[tuple]]:
    """The series and its questionnaire (made once; a second run reuses them)
    and the questions as (pk, code, type, mean, weight, option ids)."""
    owner = ctx.demo.users["quality"]
    series, _ = Series.objects.get_or_create(
        code=SERIES_CODE,
        defaults={"name": "Bench customer satisfaction", "owner": owner,
                  "purpose": "Customer satisfaction twice a year."},
    )  # fmt: skip
    q = Questionnaire.objects.filter(series=series, version=1).first()
    if q is None:
        q = Questionnaire.objects.create(
            series=series, version=1, title="Customer satisfaction",
            intro_en="Thank you for taking five minutes.", locked=True,
            created_by=owner,
        )  # fmt: skip
        section = Section.objects.create(
            questionnaire=q, order=1, title_en="Your experience"
        )
        order = iter(range(1, 100))

        def add(code, type_, text, **fields):
            return Question.objects.create(
                questionnaire=q, section=section, order=next(order), code=code,
                type=type_, text_en=text, text_et=text, text_ru=text, **fields,
            )  # fmt: skip

        add("Q_OVERALL", T.CSAT, "Overall, how satisfied are you?",
            required=True, is_overall=True)  # fmt: skip
        add("Q_NPS", T.NPS, "How likely are you to recommend us?", required=True)
        for code, texts, _means in surveys_demo.DRIVERS:
            add(code, T.LIKERT, texts[1])
        for code, text, _mean in EXTRA_ITEMS:
            add(code, T.LIKERT, text)
        add("Q_EFFORT", T.CES, "How easy was it to get your matter handled?")
        channel = add("Q_CHANNEL", T.SINGLE, "How did you last contact us?")
        Option.objects.bulk_create(
            Option(question=channel, order=i, value=i, label_en=texts[1],
                   label_et=texts[0], label_ru=texts[2])
            for i, texts in enumerate(surveys_demo.CHANNELS, start=1)
        )  # fmt: skip
        add("Q_COMMENT", T.TEXT, "What should we do better?")
    means = {code: m[-1] for code, _t, m in surveys_demo.DRIVERS}
    means.update({code: m for code, _t, m in EXTRA_ITEMS})
    questions = []
    for question in q.questions.order_by("order").prefetch_related("options"):
        options = {o.value: o.pk for o in question.options.all()}
        questions.append(
            (question.pk, question.code, question.type,
             means.get(question.code, 3.6),
             surveys_demo.WEIGHTS.get(question.code, 0.02), options)
        )  # fmt: skip
    return series, q, questions


def _wave(ctx, series, q, name, status, opens, closes, anonymous) -> Wave:
    """The wave of that name (a second run adds responses to the same waves)
    or a new one with its status history."""
    existing = Wave.objects.filter(series=series, name=name).first()
    if existing is not None:
        return existing
    owner = ctx.demo.users["quality"]
    wave = Wave.objects.create(
        series=series, questionnaire=q, name=name, status=status,
        goal="Follow satisfaction in every customer group.",
        sampling=Wave.Sampling.STRATIFIED, margin_of_error=0.03, confidence=0.95,
        expected_response_rate=0.30, mode=Wave.Mode.EMAIL, anonymous=anonymous,
        opens_on=opens, closes_on=closes, created_by=owner, approved_by=owner,
        approved_at=ctx.now.replace(year=opens.year, month=opens.month, day=1)
        - datetime.timedelta(days=14),
    )  # fmt: skip
    steps = ["draft", "approved", "fieldwork", "closed"]
    steps = steps[: steps.index(status) + 1]
    WaveTransition.objects.bulk_create(
        WaveTransition(wave=wave, from_status=a, to_status=b, by=owner)
        for a, b in itertools.pairwise(steps)
    )
    return wave


def _groups(ctx, wave) -> list[tuple[int, float]]:
    """The wave's target groups as (pk, share of the responses)."""
    segments = ctx.demo.segments
    existing = list(wave.groups.order_by("pk"))
    if existing:
        total = sum(g.required_sample for g in existing) or 1
        return [(g.pk, g.required_sample / total) for g in existing]
    codes = [c for c in surveys_demo.GROUPS if c in segments]
    plans = plan_figures(
        sampling=wave.sampling,
        populations={c: surveys_demo.GROUPS[c][0] for c in codes},
        margin=0.03, confidence=0.95, response_rate=0.30,
    )  # fmt: skip
    groups = TargetGroup.objects.bulk_create(
        TargetGroup(
            wave=wave, segment=segments[p.name], name=segments[p.name].name,
            population=p.population, required_sample=p.required_sample,
            invitations=p.invitations,
        )
        for p in plans
    )  # fmt: skip
    total = sum(p.required_sample for p in plans) or 1
    return [
        (g.pk, p.required_sample / total) for g, p in zip(groups, plans, strict=True)
    ]


def _answers(rng, response, wave, questions, excluded, out: list) -> None:
    latent = rng.gauss(0, 1)
    straight = excluded and rng.random() < 0.5
    overall_pull = 0.0
    for pk, _code, type_, mean, weight, options in questions:
        if type_ == T.LIKERT:
            if straight:
                value = 3
            elif rng.random() < 0.03:
                continue  # item non-response
            else:
                value = min(5, max(1, round(mean + 0.8 * latent + rng.gauss(0, 0.7))))
            overall_pull += weight * (value - mean)
            out.append((response, wave, pk, value, None, ""))
        elif type_ == T.CSAT:
            overall = min(5, max(1, round(3.8 + 0.9 * latent + overall_pull)))
            out.append((response, wave, pk, overall, None, ""))
        elif type_ == T.NPS:
            out.append((response, wave, pk,
                        min(10, max(0, round(7.4 + 1.9 * latent + rng.gauss(0, 1)))),
                        None, ""))  # fmt: skip
        elif type_ == T.CES:
            out.append((response, wave, pk,
                        min(7, max(1, round(5 + 1.2 * latent + rng.gauss(0, 1)))),
                        None, ""))  # fmt: skip
        elif type_ == T.SINGLE and options:
            value = rng.choices(list(options), surveys_demo.CHANNEL_WEIGHTS[-1])[0]
            out.append((response, wave, pk, value, options[value], ""))
        elif type_ == T.TEXT and rng.random() < 0.2:
            out.append((response, wave, pk, None, None, rng.choice(COMMENTS)))


def _token(seed: str, pk: int) -> str:
    return hashlib.sha256(f"{seed}-{pk}".encode()).hexdigest()[:43]


def generate(conn, scale: float, rng, ctx: BenchContext) -> None:
    series, q, questions = _questionnaire(ctx)
    # CSAT comes after the items it summarises in the stream of answers.
    questions.sort(key=lambda row: row[2] == T.CSAT)
    total = scaled(RESPONSES, scale, minimum=WAVES * 5)
    big = min(BIG_WAVE, total // 2)
    rest = total - big
    today = ctx.now.date()
    weights = [1 + 0.08 * i for i in range(WAVES - 1)]  # growing over the years
    sizes = [int(rest * w / sum(weights)) for w in weights] + [big]
    sizes[0] += total - sum(sizes)
    first_response = first_id(Response)
    pk = first_response
    answers_made = 0
    languages, language_weights = (
        surveys_demo.LANGUAGE_CODES,
        surveys_demo.LANGUAGE_WEIGHTS,
    )
    with indexes_deferred(Response, Answer):
        for index, size in enumerate(sizes):
            months_ago = 6 * (WAVES - index) - 2  # the last one ends months ago
            opens = month_start(today, -months_ago)
            closes = opens + datetime.timedelta(days=27)
            label = "spring" if opens.month <= 6 else "autumn"
            wave = _wave(ctx, series, q, f"Satisfaction {opens.year} {label} (bench)",
                         Wave.Status.CLOSED, opens, closes, anonymous=True)  # fmt: skip
            groups = _groups(ctx, wave)
            group_ids, group_weights = zip(*groups, strict=True)
            done = 0
            while done < size:
                n = min(CHUNK, size - done)
                responses, answers = [], []
                for _ in range(n):
                    day = opens + datetime.timedelta(days=int(27 * rng.random() ** 2))
                    at = datetime.datetime.combine(
                        day,
                        datetime.time(8 + rng.randrange(14), rng.randrange(60)),
                        ctx.now.tzinfo,
                    )
                    excluded = rng.random() < 0.01
                    responses.append(
                        (pk, wave.pk, rng.choices(group_ids, group_weights)[0],
                         Response.Source.PERSONAL_LINK,
                         rng.choices(languages, language_weights)[0], at,
                         rng.randint(20, 60) if excluded else rng.randint(150, 900),
                         excluded, "speeder" if excluded else "")
                    )  # fmt: skip
                    _answers(rng, pk, wave.pk, questions, excluded, answers)
                    pk += 1
                write(Response, RESPONSE_COLUMNS, responses)
                answers_made += write(Answer, ANSWER_COLUMNS, answers)
                done += n
                ctx.say(
                    f"  surveys: wave {index + 1}/{WAVES}, {done:,}/{size:,} "
                    f"responses, {answers_made:,} answers so far"
                )
    _fieldwork(ctx, scale, series, q)
    reset_sequences(Response, Answer)
    analyze(Wave, TargetGroup, Response, Answer)
    _freeze(ctx, series)
    ctx.count("survey waves", WAVES + 1)  # made or added to
    ctx.count("survey responses", total)
    ctx.count("survey answers", answers_made)


def _freeze(ctx: BenchContext, series: Series) -> None:
    """Store the aggregates of the closed waves (as their first results view
    would) and the charts of the last one's results page in each language,
    so the benchmark measures the warm state; a wave left out is computed on
    its first view."""
    started = time.perf_counter()
    waves = list(
        Wave.objects.filter(series=series, status=Wave.Status.CLOSED)
        .select_related("questionnaire")
        .order_by("opens_on", "pk")
    )
    overall = {w.pk: aggregates.overall_of(w.questionnaire_id) for w in waves}
    # A regenerated wave's old figures go first.
    aggregates.invalidate(w.pk for w in waves)
    aggregates.wave_figures(waves, overall)
    if waves:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                analysis.wave_results(waves[-1])
    ctx.say(
        f"  surveys: stored aggregates of {len(waves)} closed waves "
        f"in {time.perf_counter() - started:.1f} s"
    )


def _fieldwork(ctx: BenchContext, scale: float, series, q) -> None:
    """A wave in fieldwork now, with invited participants (fresh tokens)."""
    today = ctx.now.date()
    wave = _wave(ctx, series, q, f"Satisfaction {today.year} now (bench)",
                 Wave.Status.FIELDWORK, today - datetime.timedelta(days=7),
                 today + datetime.timedelta(days=60), anonymous=False)  # fmt: skip
    groups = [pk for pk, _share in _groups(ctx, wave)]
    n = scaled(TOKENS, scale, minimum=50)
    customers = list(ctx.customer_ids)
    first = first_id(Participant)
    invited = ctx.now - datetime.timedelta(days=7)
    rows = (
        (pk, wave.pk, groups[i % len(groups)],
         customers[i] if i < len(customers) else None,
         f"p{pk}@example.org", "en", _token(f"{connection.alias}-{wave.pk}", pk),
         Participant.Disposition.INVITED, invited)
        for i, pk in enumerate(range(first, first + n))
    )  # fmt: skip
    write(Participant, PARTICIPANT_COLUMNS, rows)
    reset_sequences(Participant)
    ctx.count("fresh survey links", n)
