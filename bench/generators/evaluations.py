"""Interaction evaluations against the communication standards, with their
criterion scores.

The four demo standards (``standards.demo.STANDARDS``: phone, e-mail, letter,
in person) are created through the services — document, criteria, submitted
and approved — and their first version is made effective ten years back, so
every generated evaluation is scored against the version in force on its
interaction date. Evaluations (the bulk) go in by COPY: each evaluates a
service agent of the unit the standard applies to (``UNIT_STANDARDS`` of the
demo), by a team lead or the quality manager, never by the agent. Every
criterion gets an answer; the stored score, critical fail and compliance are
computed with ``standards.services.compute_score``, as the evaluation form
does, so the results page's SQL aggregates match what a person would enter.
"""

from __future__ import annotations

import datetime

from django.db.models import F

from qms import services as core_services
from qms.models import Channel, DocumentVersion, Membership
from standards import demo as standards_demo
from standards import services
from standards.demo_evaluations import DISPUTES, TYPE_OF, UNIT_STANDARDS
from standards.models import PASS_SCORE, Criterion, CriterionScore, Evaluation, Standard

from .base import (
    BenchContext,
    analyze,
    first_id,
    indexes_deferred,
    reset_sequences,
    scaled,
    write,
)

EVALUATIONS = 100_000
DAYS = 3650
EVALUATION_COLUMNS = [
    "id", "standard_id", "version_id", "interaction_type", "reference",
    "interaction_date", "channel_id", "employee_id", "evaluator_id",
    "org_unit_id", "comments", "score", "critical_fail", "compliant", "status",
    "employee_comment", "responded_at", "created_at",
]  # fmt: skip
# The evaluation's fields each score copies (``Evaluation.SCORE_COPIED_FIELDS``).
SCORE_COLUMNS = [
    "evaluation_id", "criterion_id", "answer", "credit", "failed",
    "interaction_date", "channel_id", "employee_id", "org_unit_id", "calibration_id",
]  # fmt: skip


def _standards(ctx: BenchContext) -> dict[str, Standard]:
    users = ctx.demo.users
    author, approver = users["owner2"], users["quality"]
    channels = {c.code: c for c in Channel.objects.all()}
    since = ctx.now.date() - datetime.timedelta(days=DAYS + 30)
    made = {}
    for (
        identifier,
        title,
        codes,
        purpose,
        scope,
        text,
        rows,
    ) in standards_demo.STANDARDS:
        standard = Standard.objects.filter(document__identifier=identifier).first()
        if standard is None:
            standard = services.standard_create(
                identifier=identifier, title=title, owner=author, purpose=purpose,
                scope=scope, channels=[channels[c] for c in codes if c in channels],
                body=text,
            )  # fmt: skip
            version = standard.document.versions.get()
            standards_demo._criteria(version, rows)
            core_services.version_submit(version=version, by=author)
            core_services.version_approve(version=version, by=approver)
        # In force for the whole ten years the evaluations span.
        DocumentVersion.objects.filter(document_id=standard.document_id).update(
            effective_from=since
        )
        made[identifier] = standard
    return made


def generate(conn, scale: float, rng, ctx: BenchContext) -> None:
    standards = _standards(ctx)
    today = ctx.now.date()
    plan = {}  # identifier → (standard, version, channel, type, criteria)
    for identifier, standard in standards.items():
        version = services.version_in_force(standard=standard, on=today)
        criteria = list(
            Criterion.objects.filter(version=version)
            .order_by("order", "pk")
            .values_list("pk", "weight", "is_critical", "scoring")
        )
        plan[identifier] = (
            standard.pk, version.pk, standard.channels.first().pk,
            TYPE_OF.get(identifier, "call"), criteria,
        )  # fmt: skip
    # The evaluated staff: every agent with a unit a standard applies to.
    staff = [
        (user, unit, UNIT_STANDARDS[code])
        for user, unit, code in Membership.objects.filter(
            unit__code__in=UNIT_STANDARDS, user_id__in=ctx.handlers
        ).values_list("user_id", "unit_id", F("unit__code"))
    ]
    evaluators = [ctx.users["lead"], ctx.users["quality"]]
    ability = {user: rng.uniform(-0.08, 0.05) for user, _u, _k in staff}
    n = scaled(EVALUATIONS, scale, minimum=20)
    first = first_id(Evaluation)
    scores: list[tuple] = []
    counts = {"scores": 0}

    def evaluations():
        for i in range(n):
            pk = first + i
            user, unit, keys = staff[i % len(staff)]
            standard, version, channel, kind, criteria = plan[rng.choice(keys)]
            day = today - datetime.timedelta(days=int(DAYS * rng.random() ** 1.3))
            p_yes = 0.88 + ability[user]
            items = []
            for criterion, weight, critical, scoring in criteria:
                if scoring == Criterion.Scoring.SCALE:
                    answer = str(
                        min(5, max(1, round(rng.gauss(3.9 + 5 * ability[user], 0.9))))
                    )
                elif rng.random() < 0.05 and not critical:
                    answer = "na"
                else:
                    answer = (
                        "yes" if rng.random() < (0.98 if critical else p_yes) else "no"
                    )
                items.append((weight, critical, answer))
                credit, failed = services.credit(answer), services.failed(answer)
                scores.append(
                    (
                        pk,
                        criterion,
                        answer,
                        credit,
                        failed,
                        day,
                        channel,
                        user,
                        unit,
                        None,
                    )
                )
            result = services.compute_score(items)
            created = datetime.datetime.combine(
                day + datetime.timedelta(days=rng.randint(0, 6)),
                datetime.time(9 + rng.randrange(8), rng.randrange(60)),
                ctx.now.tzinfo,
            )
            created = min(created, ctx.now)
            roll = rng.random()
            status, comment, responded = "submitted", "", None
            if (ctx.now - created).days > 14 or roll < 0.5:
                if roll < 0.04:
                    status, comment = "disputed", rng.choice(DISPUTES)
                else:
                    status = "confirmed"
                responded = min(ctx.now, created + datetime.timedelta(days=2))
            evaluator = evaluators[0] if rng.random() < 0.8 else evaluators[1]
            if evaluator == user:
                evaluator = evaluators[1]
            yield (
                pk, standard, version, kind, f"BENCH-{pk}", day, channel, user,
                evaluator, unit, "", result.score, result.critical_fail,
                not result.critical_fail and result.score is not None
                and result.score >= PASS_SCORE,
                status, comment, responded, created,
            )  # fmt: skip

    with indexes_deferred(Evaluation, CriterionScore):
        # Evaluations first (the scores point at them), in chunks so the
        # scores list stays small.
        rows = evaluations()
        while True:
            chunk = [row for _, row in zip(range(20_000), rows, strict=False)]
            if not chunk:
                break
            write(Evaluation, EVALUATION_COLUMNS, chunk)
            counts["scores"] += write(CriterionScore, SCORE_COLUMNS, scores)
            scores.clear()
    reset_sequences(Evaluation, CriterionScore)
    analyze(Evaluation, CriterionScore)
    ctx.count("evaluations", n)
    ctx.count("criterion scores", counts["scores"])
