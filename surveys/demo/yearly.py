# Question texts in three languages are data: long lines and Cyrillic letters.
# ruff: noqa: E501, RUF001
"""The yearly, anonymous customer satisfaction survey: three closed waves
and the next wave's draft plan (see :mod:`surveys.demo`)."""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.utils import timezone

from ..models import (
    Answer,
    Option,
    Participant,
    Question,
    Questionnaire,
    Response,
    Series,
    TargetGroup,
    Wave,
    WaveTransition,
    new_token,
)
from ..services import WORKFLOW, plan_figures
from .common import (
    AGREE,
    AGREE_HIGH,
    COMMENTS,
    SEED,
    YEARLY_CODE,
    D,
    T,
    _clamp,
    _labels,
    _moment,
    _question,
    _section,
)

# Segment code → (population, achieved response rate).
GROUPS = {
    "households": (52000, 0.31),
    "business": (6100, 0.22),
    "housing": (1900, 0.33),
    "public": (380, 0.40),
    "new": (4200, 0.27),
}
MARGIN = 0.033
LANGUAGE_CODES = ["et", "ru", "en"]
LANGUAGE_WEIGHTS = [70, 24, 6]


# code, (et, en, ru), mean in each of the three waves.
DRIVERS = [
    ("Q_STAFF_POLITE", ("Teenindajad on viisakad.", "Our staff are polite.", "Сотрудники вежливы."), (4.1, 4.1, 4.1)),
    ("Q_STAFF_COMPETENT", ("Teenindajad oskavad mu küsimustele vastata.", "Our staff can answer my questions.", "Сотрудники могут ответить на мои вопросы."), (3.9, 3.9, 3.9)),
    ("Q_WAIT_TIME", ("Ma ei pea teenindust liiga kaua ootama.", "I do not have to wait too long for service.", "Мне не приходится слишком долго ждать обслуживания."), (3.0, 3.25, 3.65)),
    ("Q_BILL_CLEAR", ("Arve on selge ja arusaadav.", "My bill is clear and easy to understand.", "Счёт ясен и понятен."), (3.85, 3.85, 3.45)),
    ("Q_WATER_QUALITY", ("Olen rahul joogivee kvaliteediga.", "I am satisfied with the quality of the drinking water.", "Я доволен качеством питьевой воды."), (3.9, 3.9, 3.9)),
    ("Q_INFO_OUTAGE", ("Saan veekatkestustest piisavalt vara teada.", "I hear about supply interruptions early enough.", "Я заранее узнаю о перебоях в водоснабжении."), (3.3, 3.3, 3.3)),
    ("Q_WEB_EASY", ("Iseteenindusportaali on lihtne kasutada.", "The self-service portal is easy to use.", "Порталом самообслуживания легко пользоваться."), (3.4, 3.4, 3.4)),
]  # fmt: skip
# Weights of the drivers in overall satisfaction (importance).
WEIGHTS = {
    "Q_STAFF_POLITE": 0.12,
    "Q_STAFF_COMPETENT": 0.10,
    "Q_WAIT_TIME": 0.25,
    "Q_BILL_CLEAR": 0.22,
    "Q_WATER_QUALITY": 0.18,
    "Q_INFO_OUTAGE": 0.08,
    "Q_WEB_EASY": 0.05,
}
CHANNELS = [
    ("Telefon", "Phone", "Телефон"),
    ("E-post", "E-mail", "Электронная почта"),
    ("Teeninduskontor", "Service office", "Офис обслуживания"),
    ("Iseteenindusportaal", "Self-service portal", "Портал самообслуживания"),
    ("Ei ole ühendust võtnud", "I have not contacted you", "Я не обращался"),
]
# Channel weights per wave: the portal grows.
CHANNEL_WEIGHTS = ([34, 18, 10, 15, 23], [32, 18, 9, 20, 21], [29, 17, 8, 27, 19])


def _yearly_questionnaire(series, owner) -> tuple[Questionnaire, dict[str, Question]]:
    q = Questionnaire.objects.create(
        series=series,
        version=1,
        title="Kliendirahulolu uuring / Customer satisfaction survey",
        intro_et="Aitäh, et leiate viis minutit! Vastused on anonüümsed.",
        intro_en="Thank you for taking five minutes. Your answers are anonymous.",
        intro_ru="Спасибо, что уделили пять минут! Ответы анонимны.",
        locked=True,
        created_by=owner,
    )
    s1 = _section(q, 1, ("Üldhinnang", "Overall", "Общая оценка"))
    s2 = _section(q, 2, ("Teenindus ja teenused", "Service", "Обслуживание"))
    s3 = _section(q, 3, ("Suhtlus meiega", "Contact with us", "Общение с нами"))
    questions = {}
    sat = (("Väga rahulolematu", "Very dissatisfied", "Очень недоволен"),
           ("Väga rahul", "Very satisfied", "Очень доволен"))  # fmt: skip
    questions["Q_OVERALL"] = _question(
        q, s1, 1, "Q_OVERALL", T.CSAT,
        ("Kui rahul olete kokkuvõttes meie teenustega?",
         "Overall, how satisfied are you with our services?",
         "Насколько вы в целом довольны нашими услугами?"),
        required=True, is_overall=True, **_labels(*sat),
    )  # fmt: skip
    questions["Q_NPS"] = _question(
        q, s1, 2, "Q_NPS", T.NPS,
        ("Kui tõenäoliselt soovitaksite meid sõbrale või kolleegile?",
         "How likely are you to recommend us to a friend or colleague?",
         "Насколько вероятно, что вы порекомендуете нас другу или коллеге?"),
        required=True,
        **_labels(("Üldse mitte", "Not at all likely", "Совсем маловероятно"),
                  ("Väga tõenäoliselt", "Extremely likely", "Очень вероятно")),
    )  # fmt: skip
    for order, (code, texts, _means) in enumerate(DRIVERS, start=1):
        questions[code] = _question(
            q, s2, order, code, T.LIKERT, texts, **_labels(AGREE, AGREE_HIGH)
        )
    questions["Q_EFFORT"] = _question(
        q, s3, 1, "Q_EFFORT", T.CES,
        ("Kui lihtne oli oma asja meiega ajada?",
         "How easy was it to get your matter handled with us?",
         "Насколько легко было решить ваш вопрос с нами?"),
        **_labels(("Väga raske", "Very difficult", "Очень трудно"),
                  ("Väga lihtne", "Very easy", "Очень легко")),
    )  # fmt: skip
    channel = _question(
        q, s3, 2, "Q_CHANNEL", T.SINGLE,
        ("Kuidas võtsite meiega viimati ühendust?", "How did you last contact us?",
         "Как вы в последний раз связывались с нами?"),
    )  # fmt: skip
    questions["Q_CHANNEL"] = channel
    Option.objects.bulk_create(
        Option(
            question=channel, order=i, value=i, label_et=et, label_en=en, label_ru=ru
        )
        for i, (et, en, ru) in enumerate(CHANNELS, start=1)
    )
    questions["Q_COMMENT"] = _question(
        q, s3, 3, "Q_COMMENT", T.TEXT,
        ("Mida peaksime paremini tegema?", "What should we do better?",
         "Что нам следует улучшить?"),
    )  # fmt: skip
    return q, questions


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _yearly_wave(ctx, series, q, questions, index, year, rng) -> tuple[int, int]:
    """One closed wave: plan, groups, participants, responses, answers."""
    opens = datetime.date(year, 10, 1)
    closes = datetime.date(year, 10, 31)
    owner = ctx.users.get("quality")
    wave = Wave.objects.create(
        series=series,
        questionnaire=q,
        name=f"Kliendirahulolu {year}",
        status=Wave.Status.CLOSED,
        goal="Measure satisfaction of every customer group and follow the effect "
        "of the improvement actions since the last wave.",
        research_questions="Has waiting time improved after the contact-centre "
        "changes?\nWhich items drive overall satisfaction?\nDo business "
        "customers differ from households?",
        sampling=Wave.Sampling.STRATIFIED,
        margin_of_error=MARGIN,
        confidence=0.95,
        expected_response_rate=0.30,
        mode=Wave.Mode.EMAIL,
        anonymous=True,
        opens_on=opens,
        closes_on=closes,
        reminder_days=[5, 12],
        analysis_plan="Per group: response rate and achieved margin. Per item: "
        "mean and top-2-box with 95 % intervals, change since the last wave "
        "with Benjamini–Hochberg control. Key drivers: correlation with "
        "Q_OVERALL.",
        responsibilities="Quality manager: plan and analysis. Contact centre: "
        "phone interviews. Communication: invitation texts.",
        sample_seed=SEED + year,
        created_by=owner,
        approved_by=owner,
        approved_at=_moment(opens - datetime.timedelta(days=14), rng),
    )
    WaveTransition.objects.bulk_create(
        [
            WaveTransition(
                wave=wave,
                from_status=a,
                to_status=b,
                action=WORKFLOW.step_between(a, b),
                by=owner,
            )
            for a, b in (
                ("draft", "approved"),
                ("approved", "fieldwork"),
                ("fieldwork", "closed"),
            )
        ]
    )
    plans = plan_figures(
        sampling=wave.sampling,
        populations={code: pop for code, (pop, _rr) in GROUPS.items()},
        margin=MARGIN,
        confidence=0.95,
        response_rate=0.30,
    )
    groups = TargetGroup.objects.bulk_create(
        [
            TargetGroup(
                wave=wave,
                segment=ctx.segments[plan.name],
                name=ctx.segments[plan.name].name,
                population=plan.population,
                required_sample=plan.required_sample,
                invitations=plan.invitations,
            )
            for plan in plans
        ]
    )
    days = (closes - opens).days
    adapt = connection.ops.adapt_datetimefield_value
    invited_times = [adapt(_moment(opens, rng)) for _ in range(48)]
    noon = {
        d: adapt(_noon(opens + datetime.timedelta(days=d))) for d in range(days + 1)
    }
    rows = []
    completes: list[tuple[TargetGroup, datetime.date]] = []
    for group, plan in zip(groups, plans, strict=True):
        rate = GROUPS[plan.name][1] + rng.uniform(-0.02, 0.02)
        cuts = [
            (rate, D.COMPLETE), (rate + 0.03, D.PARTIAL), (rate + 0.08, D.OPENED),
            (rate + 0.11, D.BOUNCED), (rate + 0.12, D.OPTED_OUT), (2, D.INVITED),
        ]  # fmt: skip
        for _ in range(plan.invitations):
            roll = rng.random()
            disposition = next(d for cut, d in cuts if roll < cut)
            offset = min(days, int(rng.expovariate(1 / 5)))
            complete = disposition == D.COMPLETE
            rows.append(
                (
                    wave.pk,
                    group.pk,
                    rng.choices(LANGUAGE_CODES, LANGUAGE_WEIGHTS)[0],
                    new_token(),
                    disposition.value,
                    rng.choice(invited_times),
                    0 if complete else 2,
                    noon[offset] if complete else None,
                )
            )
            if complete:
                completes.append((group, opens + datetime.timedelta(days=offset)))
    _insert_participants(rows)
    responses = []
    for group, day in completes:
        roll = rng.random()
        source = (
            Response.Source.PHONE if roll < 0.04
            else Response.Source.PAPER if roll < 0.07
            else Response.Source.PERSONAL_LINK
        )  # fmt: skip
        speeder = rng.random() < 0.03
        responses.append(
            Response(
                wave=wave,
                group=group,
                source=source,
                language=rng.choices(["et", "ru", "en"], [70, 24, 6])[0],
                submitted_at=_noon(day),
                duration_seconds=(
                    rng.randint(20, 55)
                    if speeder
                    else int(rng.lognormvariate(5.4, 0.4))
                ),
                entered_by=ctx.users.get("agent")
                if source != Response.Source.PERSONAL_LINK
                else None,
            )
        )
    Response.objects.bulk_create(responses, batch_size=2000)
    answers = _yearly_answers(wave, questions, responses, index, rng)
    _insert_answers(answers)
    return len(responses), len(answers)


def _insert_participants(rows: list[tuple]) -> None:
    """Participants of a closed anonymous wave as plain rows (wave, group,
    language, token, disposition, invited, reminders, completed); their
    contact details are not kept after the wave (none in the demo)."""
    table = Participant._meta.db_table
    sql = (
        f"INSERT INTO {table} (wave_id, group_id, language, token, disposition, "
        "invited_at, reminders_sent, completed_at, email, draft) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', '{}')"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])


def _insert_answers(rows: list[tuple]) -> None:
    """Answers as plain rows (response, wave, question, value_int, option,
    text): one executemany instead of building ~30,000 model instances per
    wave, which keeps the demo seed fast."""
    table = Answer._meta.db_table
    sql = (
        f"INSERT INTO {table} (response_id, wave_id, question_id, value_int, "
        "option_id, text) VALUES (%s, %s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])


def _yearly_answers(wave, questions, responses, index, rng) -> list[tuple]:
    """Answer rows (response, wave, question, value_int, option, text)."""
    ids = {code: q.pk for code, q in questions.items()}
    options = {o.value: o.pk for o in questions["Q_CHANNEL"].options.all()}
    w = wave.pk
    rows: list[tuple] = []
    add = rows.append
    for response in responses:
        rid = response.pk
        latent = rng.gauss(0, 1)
        straight = rng.random() < 0.02
        if straight:
            same = rng.choice([3, 4, 5, 5])
            scores = {code: same for code, _t, _m in DRIVERS}
        else:
            scores = {
                code: _clamp(means[index] + 0.75 * latent + rng.gauss(0, 0.75), 1, 5)
                for code, _texts, means in DRIVERS
            }
        overall = _clamp(
            0.35 + sum(WEIGHTS[c] * s for c, s in scores.items()) + 0.25 * latent
            + rng.gauss(0, 0.45),
            1, 5,
        )  # fmt: skip
        nps = _clamp(2.3 * overall - 1.2 + rng.gauss(0, 1.3), 0, 10)
        effort = _clamp(1.3 + 1.1 * scores["Q_WAIT_TIME"] + rng.gauss(0, 0.9), 1, 7)
        add((rid, w, ids["Q_OVERALL"], overall, None, ""))
        add((rid, w, ids["Q_NPS"], nps, None, ""))
        for code, score in scores.items():
            # About 3 % leave an item out ("cannot say").
            if straight or rng.random() >= 0.03:
                add((rid, w, ids[code], score, None, ""))
        add((rid, w, ids["Q_EFFORT"], effort, None, ""))
        channel = rng.choices(range(1, 6), CHANNEL_WEIGHTS[index])[0]
        add((rid, w, ids["Q_CHANNEL"], channel, options[channel], ""))
        if rng.random() < 0.22:
            if index == 2 and scores["Q_BILL_CLEAR"] <= 3 and rng.random() < 0.5:
                pool = COMMENTS["bill"]
            elif overall <= 2:
                pool = COMMENTS["negative"]
            elif overall == 3:
                pool = COMMENTS["mixed"]
            else:
                pool = COMMENTS["positive"]
            add((rid, w, ids["Q_COMMENT"], None, None, rng.choice(pool)[1]))
    return rows


def _draft_wave(ctx, series, q, year) -> None:
    owner = ctx.users.get("quality")
    wave = Wave.objects.create(
        series=series,
        questionnaire=q,
        name=f"Kliendirahulolu {year}",
        goal="Yearly satisfaction measurement; check that bill clarity recovers "
        "after the bill layout is corrected.",
        research_questions="Did bill clarity recover?\nDid the waiting time gain hold?",
        sampling=Wave.Sampling.STRATIFIED,
        margin_of_error=MARGIN,
        expected_response_rate=0.30,
        mode=Wave.Mode.EMAIL,
        anonymous=True,
        opens_on=datetime.date(year, 10, 1),
        closes_on=datetime.date(year, 10, 31),
        reminder_days=[5, 12],
        sample_seed=SEED + year,
        created_by=owner,
    )
    plans = plan_figures(
        sampling=wave.sampling,
        populations={code: pop for code, (pop, _rr) in GROUPS.items()},
        margin=MARGIN,
        confidence=0.95,
        response_rate=0.30,
    )
    TargetGroup.objects.bulk_create(
        TargetGroup(
            wave=wave,
            segment=ctx.segments[p.name],
            name=ctx.segments[p.name].name,
            population=p.population,
            required_sample=p.required_sample,
            invitations=p.invitations,
        )
        for p in plans
    )


def seed_yearly(ctx, rng: random.Random, last: int) -> tuple[int, int]:
    """The series, its questionnaire, the closed waves of the three years up
    to ``last`` and the draft of the next; returns (responses, answers)."""
    owner = ctx.users.get("quality")
    series = Series.objects.create(
        name="Kliendirahulolu uuring / Customer satisfaction survey",
        code=YEARLY_CODE,
        kind=Series.Kind.RELATIONSHIP,
        purpose="Yearly measurement of customer satisfaction in every "
        "customer group (ISO 10004, ISO 9001 §9.1.2).",
        owner=owner,
    )
    q, questions = _yearly_questionnaire(series, owner)
    responses = answers = 0
    for index, year in enumerate((last - 2, last - 1, last)):
        r, a = _yearly_wave(ctx, series, q, questions, index, year, rng)
        responses += r
        answers += a
    _draft_wave(ctx, series, q, last + 1)
    return responses, answers
