"""Agreement between evaluators who scored the same interaction.

Pure functions of counts (no Django) plus one selector. Per criterion: the
share of evaluators giving the modal answer, and the pairwise agreement
``P_i``; over the session's criteria: Fleiss' kappa (Fleiss 1971), which
corrects the mean pairwise agreement for agreement expected by chance. These
could move to ``qms.statistics`` when another area needs them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch

from .models import CalibrationSession, CriterionScore, Evaluation

# Criteria where fewer evaluators than this share give the modal answer are
# flagged for discussion.
POOR_AGREEMENT = 0.75


def modal_share(answers: Sequence[str]) -> float | None:
    """Share of raters giving the most frequent answer."""
    if not answers:
        return None
    return Counter(answers).most_common(1)[0][1] / len(answers)


def pairwise_agreement(counts: Sequence[int]) -> float | None:
    """``P_i = (Σ n_ij² - n) / (n (n - 1))``: the share of agreeing rater pairs."""
    n = sum(counts)
    if n < 2:
        return None
    return (sum(c * c for c in counts) - n) / (n * (n - 1))


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa of subjects-by-categories counts, the same number of raters
    per subject. ``None`` with fewer than two raters or when chance agreement
    is total (every rating in one category)."""
    rows = [list(row) for row in table if sum(row)]
    if not rows:
        return None
    n = sum(rows[0])
    if n < 2 or any(sum(row) != n for row in rows):
        return None
    subjects = len(rows)
    p_bar = sum(pairwise_agreement(row) for row in rows) / subjects
    totals = [sum(column) for column in zip(*rows, strict=True)]
    p_e = sum((t / (subjects * n)) ** 2 for t in totals)
    if p_e >= 1:
        return None
    return (p_bar - p_e) / (1 - p_e)


@dataclass
class CriterionAgreement:
    behaviour: str
    answers: dict[str, int]
    modal_answer: str
    modal_share: float | None
    pairwise: float | None

    @property
    def poor(self) -> bool:
        return self.modal_share is not None and self.modal_share < POOR_AGREEMENT


@dataclass
class SessionAgreement:
    evaluations: list[Evaluation]
    criteria: list[CriterionAgreement]
    kappa: float | None


def session_agreement(session: CalibrationSession) -> SessionAgreement:
    """Per criterion of the session's scorings, who answered what: two
    queries (evaluations with evaluators, their scores with criteria)."""
    evaluations = list(
        session.evaluations.select_related("evaluator", "employee")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=CriterionScore.objects.select_related("criterion"),
            )
        )
        .order_by("evaluator__last_name", "pk")
    )
    answers: dict[tuple[int, str], list[str]] = {}
    for evaluation in evaluations:
        for score in evaluation.scores.all():
            key = (score.criterion.order, score.criterion.behaviour)
            answers.setdefault(key, []).append(score.answer)
    categories = sorted({a for given in answers.values() for a in given})
    criteria, table = [], []
    for (_order, behaviour), given in sorted(answers.items()):
        counts = Counter(given)
        criteria.append(
            CriterionAgreement(
                behaviour=behaviour,
                answers=dict(sorted(counts.items())),
                modal_answer=counts.most_common(1)[0][0],
                modal_share=modal_share(given),
                pairwise=pairwise_agreement(list(counts.values())),
            )
        )
        table.append([counts.get(c, 0) for c in categories])
    return SessionAgreement(evaluations, criteria, fleiss_kappa(table))
