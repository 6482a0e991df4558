"""Root-cause analysis: the writes (services) and the analysis's workflow.

An analysis covers one case or a group of cases treated as one problem. Its
methods are the 5 Whys chain (:class:`WhyStep`) and the Ishikawa causes
(:class:`IshikawaCause`); the reads and the Pareto breakdowns are in
:mod:`complaints.rca.selectors`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy

from qms.workflow import Action, Workflow

from ..models import (
    AnalysisTransition,
    Case,
    IshikawaCategory,
    IshikawaCause,
    RootCauseAnalysis,
    RootCauseCategory,
    WhyStep,
)

Status = RootCauseAnalysis.Status

ERR_NO_CONCLUSION = gettext_lazy("Write the conclusion before concluding.")
ERR_NO_ROOT_CAUSE = gettext_lazy(
    "Name at least one verified root cause before concluding (a 5 Whys step "
    "marked as root cause, a confirmed Ishikawa cause, or a line of text)."
)
ERR_TRANSITION = gettext_lazy("An analysis that is %(status)s cannot be %(action)s.")
ERR_CONCLUDED = gettext_lazy("The analysis is concluded; reopen it to change it.")
ERR_CASE_NOT_CLOSED = gettext_lazy(
    "A root-cause category is set when the case is closed."
)
ERR_PARENT_OTHER_ANALYSIS = gettext_lazy(
    "A sub-cause belongs under a cause of the same analysis."
)
WARN_HUMAN_ERROR = gettext_lazy(
    "The chain ends at human error. Ask why the error was possible: was "
    "training missing, the procedure unclear, or the system designed so the "
    "mistake was easy to make? Stop at a cause the organisation can change."
)


# Words that put the blame on a person (et / en / ru). A step reading like this
# is not a root cause unless it also names what made the error possible.
_HUMAN_ERROR = re.compile(
    r"human error|human mistake|operator error|mistake|forgot|forgotten|careless"
    r"|negligen|inattent|did not pay attention"
    r"|inimlik(?:u)? viga|inimviga|hooletu|unustas|tähelepanematu|eksis"
    r"|ошибк\w* человек|человеческ\w* фактор|человеческ\w* ошибк|забыл"
    r"|невнимательн|небрежн",
    re.IGNORECASE,
)
_SYSTEMIC = re.compile(
    r"training|procedure|process|system|design|instruction|checklist|workload"
    r"|staffing|interface|template|control"
    r"|koolitus|protseduur|protsess|süsteem|juhend|kontroll|töökoormus|disain"
    r"|обучени|процедур|процесс|систем|инструкц|контрол|нагрузк",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------
# 5 Whys checks
# --------------------------------------------------------------------------


def reads_as_human_error(text: str) -> bool:
    """True when ``text`` blames a person without naming a systemic cause."""
    return bool(_HUMAN_ERROR.search(text)) and not _SYSTEMIC.search(text)


def chain_end(steps: Sequence[WhyStep]) -> WhyStep | None:
    """The step the chain stops at: the one marked as root cause, else the last."""
    for step in steps:
        if step.is_root_cause:
            return step
    return steps[-1] if steps else None


def human_error_warning(steps: Sequence[WhyStep]) -> bool:
    """The chain ends at "human error" alone: the end step reads as blame and
    no later step names a systemic cause."""
    end = chain_end(steps)
    if end is None or not reads_as_human_error(f"{end.question}\n{end.answer}"):
        return False
    later = [s for s in steps if s.order > end.order]
    return not any(_SYSTEMIC.search(s.answer) for s in later)


# --------------------------------------------------------------------------
# Services: the analysis
# --------------------------------------------------------------------------


def _check_open(analysis: RootCauseAnalysis) -> None:
    if analysis.is_concluded:
        raise ValidationError(ERR_CONCLUDED)


@transaction.atomic
def analysis_create(
    *,
    title: str,
    problem_what: str,
    lead,
    by,
    problem_where: str = "",
    problem_when: str = "",
    problem_how_many: str = "",
    cases: Iterable[Case] = (),
    team: Iterable = (),
    uses_five_whys: bool = False,
    uses_ishikawa: bool = False,
    uses_pareto: bool = False,
) -> RootCauseAnalysis:
    analysis = RootCauseAnalysis(
        title=title,
        problem_what=problem_what,
        problem_where=problem_where,
        problem_when=problem_when,
        problem_how_many=problem_how_many,
        lead=lead,
        uses_five_whys=uses_five_whys,
        uses_ishikawa=uses_ishikawa,
        uses_pareto=uses_pareto,
        created_by=by,
    )
    analysis._history_user = by
    analysis.full_clean()
    analysis.save()
    analysis.cases.set(cases)
    analysis.team.set(team)
    WORKFLOW.log_created(analysis, by=by)
    return analysis


@transaction.atomic
def analysis_update(
    *,
    analysis: RootCauseAnalysis,
    by,
    cases: Iterable[Case] | None = None,
    team: Iterable | None = None,
    **fields,
) -> RootCauseAnalysis:
    """Change the problem statement, team, methods or cases of an open analysis."""
    _check_open(analysis)
    for name, value in fields.items():
        setattr(analysis, name, value)
    analysis._history_user = by
    analysis.full_clean()
    analysis.save()
    if cases is not None:
        analysis.cases.set(cases)
    if team is not None:
        analysis.team.set(team)
    return analysis


def suggested_root_causes(analysis: RootCauseAnalysis) -> str:
    """The root-cause step of the chain and the confirmed top-level Ishikawa
    causes, one per line (to prefill the conclusion form). Two queries."""
    lines = [
        s.answer.strip()
        for s in analysis.why_steps.filter(is_root_cause=True)
        if s.answer.strip()
    ]
    lines += [
        c.text
        for c in analysis.causes.filter(
            status=IshikawaCause.Status.CONFIRMED
        ).select_related("category")
    ]
    return "\n".join(dict.fromkeys(lines))


def _concluded(
    analysis: RootCauseAnalysis,
    *,
    by,
    now,
    conclusion: str,
    verified_root_causes: str = "",
    root_cause_category: RootCauseCategory | None = None,
    **_data,
) -> list[str]:
    errors = {}
    if not conclusion.strip():
        errors["conclusion"] = ERR_NO_CONCLUSION
    causes = verified_root_causes.strip() or suggested_root_causes(analysis)
    if not causes:
        errors["verified_root_causes"] = ERR_NO_ROOT_CAUSE
    if errors:
        raise ValidationError(errors)
    analysis.conclusion = conclusion.strip()
    analysis.verified_root_causes = causes
    analysis.root_cause_category = root_cause_category
    analysis.concluded_at = now
    analysis.concluded_by = by
    return [
        "conclusion",
        "verified_root_causes",
        "root_cause_category",
        "concluded_at",
        "concluded_by",
    ]


def _reopened(analysis: RootCauseAnalysis, **_data) -> list[str]:
    analysis.concluded_at = None
    analysis.concluded_by = None
    return ["concluded_at", "concluded_by"]


WORKFLOW = Workflow(
    log=AnalysisTransition,
    refusal=ERR_TRANSITION,
    validate=True,
    actions=[
        Action(
            "conclude",
            gettext_lazy("Conclude"),
            {Status.OPEN},
            Status.CONCLUDED,
            effect=_concluded,
            style="primary",
        ),
        Action(
            "reopen",
            gettext_lazy("Reopen"),
            {Status.CONCLUDED},
            Status.OPEN,
            effect=_reopened,
        ),
    ],
)


@transaction.atomic
def analysis_conclude(
    *,
    analysis: RootCauseAnalysis,
    conclusion: str,
    verified_root_causes: str = "",
    root_cause_category: RootCauseCategory | None = None,
    apply_to_cases: bool = False,
    by,
) -> int:
    """Conclude: needs a conclusion and at least one verified root cause (typed,
    or taken from the marked why step and the confirmed Ishikawa causes).
    With ``apply_to_cases`` the category goes to the analysis's closed cases
    that have none (one UPDATE). Returns the number of cases updated."""
    analysis = WORKFLOW.transition(
        analysis,
        "conclude",
        by=by,
        conclusion=conclusion,
        verified_root_causes=verified_root_causes,
        root_cause_category=root_cause_category,
    )
    if apply_to_cases and root_cause_category is not None:
        return apply_root_cause_category(analysis=analysis)
    return 0


def apply_root_cause_category(*, analysis: RootCauseAnalysis) -> int:
    """Give the analysis's root-cause category to its closed cases that have
    none, in one UPDATE (bulk: no per-case history rows; the analysis history
    records the decision). Returns how many cases changed."""
    if analysis.root_cause_category_id is None:
        return 0
    return Case.objects.filter(
        root_cause_analyses=analysis,
        status=Case.Status.CLOSED,
        root_cause_category__isnull=True,
    ).update(root_cause_category_id=analysis.root_cause_category_id)


def analysis_reopen(*, analysis: RootCauseAnalysis, by) -> RootCauseAnalysis:
    return WORKFLOW.transition(analysis, "reopen", by=by)


def case_set_root_cause(*, case: Case, category: RootCauseCategory | None, by) -> Case:
    """Set (or clear) a closed case's root-cause category, with history."""
    if not case.is_closed:
        raise ValidationError(ERR_CASE_NOT_CLOSED)
    case.root_cause_category = category
    case._history_user = by
    case.save(update_fields=["root_cause_category", "updated_at"])
    return case


# --------------------------------------------------------------------------
# Services: 5 Whys
# --------------------------------------------------------------------------


def _only_root(step: WhyStep) -> None:
    if step.is_root_cause:
        step.analysis.why_steps.exclude(pk=step.pk).filter(is_root_cause=True).update(
            is_root_cause=False
        )


@transaction.atomic
def why_step_add(
    *,
    analysis: RootCauseAnalysis,
    question: str,
    answer: str,
    evidence: str = "",
    is_root_cause: bool = False,
) -> WhyStep:
    """Append a step to the chain (marking it root cause unmarks the others)."""
    _check_open(analysis)
    last = analysis.why_steps.aggregate(last=Max("order"))["last"] or 0
    step = WhyStep(
        analysis=analysis,
        order=last + 1,
        question=question,
        answer=answer,
        evidence=evidence,
        is_root_cause=is_root_cause,
    )
    step.full_clean(validate_constraints=False)
    if is_root_cause:
        analysis.why_steps.filter(is_root_cause=True).update(is_root_cause=False)
    step.save()
    if not analysis.uses_five_whys:
        analysis.uses_five_whys = True
        analysis.save(update_fields=["uses_five_whys", "updated_at"])
    return step


@transaction.atomic
def why_step_update(*, step: WhyStep, **fields) -> WhyStep:
    _check_open(step.analysis)
    for name, value in fields.items():
        setattr(step, name, value)
    step.full_clean(validate_constraints=False)
    _only_root(step)
    step.save()
    return step


@transaction.atomic
def why_step_delete(*, step: WhyStep) -> None:
    """Delete a step and close the gap in the numbering."""
    analysis = step.analysis
    _check_open(analysis)
    step.delete()
    for number, other in enumerate(analysis.why_steps.order_by("order"), start=1):
        if other.order != number:
            other.order = number
            other.save(update_fields=["order"])


@transaction.atomic
def why_step_move(*, step: WhyStep, up: bool) -> WhyStep:
    """Swap the step with its neighbour above (``up``) or below."""
    _check_open(step.analysis)
    siblings = step.analysis.why_steps
    neighbour = (
        siblings.filter(order__lt=step.order).order_by("-order").first()
        if up
        else siblings.filter(order__gt=step.order).order_by("order").first()
    )
    if neighbour is None:
        return step
    mine, theirs = step.order, neighbour.order
    # Park the step at 0 so the unique (analysis, order) holds at every save.
    step.order = 0
    step.save(update_fields=["order"])
    neighbour.order = mine
    neighbour.save(update_fields=["order"])
    step.order = theirs
    step.save(update_fields=["order"])
    return step


# --------------------------------------------------------------------------
# Services: Ishikawa
# --------------------------------------------------------------------------


def _check_parent(analysis: RootCauseAnalysis, parent: IshikawaCause | None) -> None:
    if parent is not None and parent.analysis_id != analysis.pk:
        raise ValidationError({"parent": ERR_PARENT_OTHER_ANALYSIS})


@transaction.atomic
def cause_add(
    *,
    analysis: RootCauseAnalysis,
    category: IshikawaCategory,
    text: str,
    status: str = IshikawaCause.Status.HYPOTHESIS,
    evidence: str = "",
    parent: IshikawaCause | None = None,
) -> IshikawaCause:
    """Add a cause; a sub-cause sits on its parent's bone."""
    _check_open(analysis)
    _check_parent(analysis, parent)
    cause = IshikawaCause(
        analysis=analysis,
        category=parent.category if parent else category,
        text=text,
        status=status,
        evidence=evidence,
        parent=parent,
    )
    cause.full_clean()
    cause.save()
    if not analysis.uses_ishikawa:
        analysis.uses_ishikawa = True
        analysis.save(update_fields=["uses_ishikawa", "updated_at"])
    return cause


def cause_update(*, cause: IshikawaCause, **fields) -> IshikawaCause:
    _check_open(cause.analysis)
    for name, value in fields.items():
        setattr(cause, name, value)
    _check_parent(cause.analysis, cause.parent)
    if cause.parent is not None:
        cause.category = cause.parent.category
    cause.full_clean()
    cause.save()
    return cause


def cause_delete(*, cause: IshikawaCause) -> None:
    """Delete a cause and its sub-causes."""
    _check_open(cause.analysis)
    cause.delete()
