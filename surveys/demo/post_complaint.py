# Question texts in three languages are data: long lines.
# ruff: noqa: E501
"""The post-complaint survey (identified): last year's wave closed, this
year's in fieldwork (see :mod:`surveys.demo`)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ..models import (
    Answer,
    FollowUp,
    Participant,
    Questionnaire,
    Response,
    Series,
    TargetGroup,
    Wave,
)
from .common import (
    AGREE,
    AGREE_HIGH,
    COMMENTS,
    POST_CODE,
    SEED,
    D,
    T,
    _clamp,
    _labels,
    _moment,
    _question,
    _section,
)


def seed_post_complaint(ctx, rng, this_year: int) -> int:
    """Post-complaint series: last year's wave closed, this year's in
    fieldwork, answered by customers of closed complaints."""
    from complaints.models import Case

    owner = ctx.users.get("quality")
    series = Series.objects.create(
        name="Rahulolu kaebuse lahendamisega / After a complaint",
        code=POST_CODE,
        kind=Series.Kind.POST_COMPLAINT,
        purpose="Satisfaction with complaint handling (ISO 10002 §8.3), "
        "sent when a complaint is closed.",
        owner=owner,
    )
    q = Questionnaire.objects.create(
        series=series, version=1, locked=True, created_by=owner,
        title="Kaebuse lahendamine / Complaint handling",
        intro_et="Lõpetasime hiljuti teie kaebuse menetlemise. Kuidas meil läks?",
        intro_en="We recently closed your complaint. How did we do?",
        intro_ru="Мы недавно завершили рассмотрение вашей жалобы. Как мы справились?",
    )  # fmt: skip
    s1 = _section(q, 1, ("Kaebuse lahendamine", "Your complaint", "Ваша жалоба"))
    sat = (("Väga rahulolematu", "Very dissatisfied", "Очень недоволен"),
           ("Väga rahul", "Very satisfied", "Очень доволен"))  # fmt: skip
    questions = {
        "Q_OVERALL": _question(
            q, s1, 1, "Q_OVERALL", T.CSAT,
            ("Kui rahul olete sellega, kuidas teie kaebust menetleti?",
             "How satisfied are you with how we handled your complaint?",
             "Насколько вы довольны тем, как была рассмотрена ваша жалоба?"),
            required=True, is_overall=True, **_labels(*sat),
        ),
        "Q_FAIR": _question(
            q, s1, 2, "Q_FAIR", T.LIKERT,
            ("Otsus oli õiglane.", "The decision was fair.", "Решение было справедливым."),
            **_labels(AGREE, AGREE_HIGH),
        ),
        "Q_SPEED": _question(
            q, s1, 3, "Q_SPEED", T.LIKERT,
            ("Vastus tuli piisavalt kiiresti.", "We answered quickly enough.",
             "Ответ пришёл достаточно быстро."),
            **_labels(AGREE, AGREE_HIGH),
        ),
        "Q_NPS": _question(
            q, s1, 4, "Q_NPS", T.NPS,
            ("Kui tõenäoliselt soovitaksite meid sõbrale või kolleegile?",
             "How likely are you to recommend us to a friend or colleague?",
             "Насколько вероятно, что вы порекомендуете нас другу или коллеге?"),
        ),
        "Q_COMMENT": _question(
            q, s1, 5, "Q_COMMENT", T.TEXT,
            ("Mida oleksime võinud teha teisiti?", "What could we have done differently?",
             "Что мы могли бы сделать иначе?"),
        ),
    }  # fmt: skip
    cases = list(
        Case.objects.filter(
            status=Case.Status.CLOSED,
            closure_reason=Case.ClosureReason.RESOLVED,
            customer__isnull=False,
        )
        .exclude(closed_at=None)
        .order_by("closed_at", "pk")
        .values_list(
            "pk", "customer_id", "closed_at", "outcome", "language", "customer__email"
        )
    )
    total = 0
    now = timezone.now()
    for year, status in (
        (this_year - 1, Wave.Status.CLOSED),
        (this_year, Wave.Status.FIELDWORK),
    ):
        in_year = [c for c in cases if timezone.localtime(c[2]).year == year]
        if not in_year:
            continue
        wave = Wave.objects.create(
            series=series, questionnaire=q, name=f"Pärast kaebust {year}",
            status=status, sampling=Wave.Sampling.CENSUS, mode=Wave.Mode.EMAIL,
            anonymous=False, opens_on=datetime.date(year, 1, 1),
            closes_on=datetime.date(year, 12, 31), reminder_days=[7],
            goal="Satisfaction with complaint handling, continuously.",
            sample_seed=SEED + year, created_by=owner, approved_by=owner,
            approved_at=_moment(datetime.date(year, 1, 1), rng),
        )  # fmt: skip
        seen = set()
        participants = []
        group = TargetGroup.objects.create(
            wave=wave,
            name="Complainants",
            population=len({c[1] for c in in_year}),
        )
        for pk, customer_id, closed_at, outcome, language, email in in_year:
            if customer_id in seen:
                continue
            seen.add(customer_id)
            completed = closed_at + datetime.timedelta(days=rng.randint(1, 6))
            # Nobody answers in the future: recent cases are still waiting.
            answered = rng.random() < 0.45 and completed < now
            participants.append(
                Participant(
                    wave=wave,
                    group=group,
                    customer_id=customer_id,
                    case_id=pk,
                    email=email,
                    language=language or "et",
                    invited_at=closed_at,
                    disposition=D.COMPLETE if answered else D.INVITED,
                    completed_at=completed if answered else None,
                )
            )
            participants[-1]._outcome = outcome
        Participant.objects.bulk_create(participants, batch_size=1000)
        done = [p for p in participants if p.disposition == D.COMPLETE]
        responses = Response.objects.bulk_create(
            [
                Response(
                    wave=wave,
                    participant=p,
                    group=group,
                    source=Response.Source.POST_COMPLAINT,
                    language=p.language,
                    started_at=p.completed_at - datetime.timedelta(minutes=3),
                    submitted_at=p.completed_at,
                    duration_seconds=rng.randint(70, 400),
                )
                for p in done
            ]
        )
        answers = []
        follow_ups = []
        for p, response in zip(done, responses, strict=True):
            base = {"upheld": 4.2, "partly": 3.4, "not_upheld": 2.4}.get(
                p._outcome, 3.3
            )
            latent = rng.gauss(0, 0.8)
            overall = _clamp(base + latent, 1, 5)
            values = {
                "Q_OVERALL": overall,
                "Q_FAIR": _clamp(base + latent + rng.gauss(0, 0.6), 1, 5),
                "Q_SPEED": _clamp(3.4 + 0.5 * latent + rng.gauss(0, 0.8), 1, 5),
                "Q_NPS": _clamp(2.2 * overall - 1 + rng.gauss(0, 1.3), 0, 10),
            }
            for code, value in values.items():
                answers.append(
                    Answer(
                        response=response,
                        wave=wave,
                        question=questions[code],
                        value_int=value,
                    )
                )
            if rng.random() < 0.3:
                pool = COMMENTS[
                    "negative"
                    if overall <= 2
                    else "mixed"
                    if overall == 3
                    else "positive"
                ]
                answers.append(
                    Answer(response=response, wave=wave, question=questions["Q_COMMENT"],
                           text=rng.choice(pool)[1])
                )  # fmt: skip
            if overall <= 2 and status == Wave.Status.FIELDWORK:
                due = response.submitted_at + datetime.timedelta(days=5)
                done = due < now - datetime.timedelta(days=60)
                follow_ups.append(
                    FollowUp(
                        response=response,
                        reason="Low satisfaction after a complaint (CSAT ≤ 2)",
                        assigned_to=ctx.users.get("agent"),
                        due_at=due,
                        status=FollowUp.Status.DONE if done else FollowUp.Status.OPEN,
                        done_at=due if done else None,
                        outcome="Called the customer and explained the decision."
                        if done
                        else "",
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=2000)
        FollowUp.objects.bulk_create(follow_ups)
        total += len(responses)
    return total
