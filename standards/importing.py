"""CSV imports of the standards area: interactions for sampling, timeliness
figures and evaluations, each an :class:`qms.imports.Importer`: every row is
checked first and all rows are saved or none; a dry run only checks and
previews (every row, as read)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qms.imports import (
    ERR_ENCODING,
    CellError,
    Importer,
    ImportResult,
    Row,
    read_text,
)
from qms.models import Channel
from qms.parsers import (  # noqa: F401 - messages re-exported for callers
    ERR_FUTURE,
    ERR_REQUIRED,
    ISO_DATE,
    Lookup,
)
from qms.parsers import ERR_NUMBER as ERR_DECIMAL  # noqa: F401 - re-exported

from . import services
from .models import (
    Criterion,
    Evaluation,
    Interaction,
    InteractionType,
    SamplingPlan,
    Standard,
    TimelinessFigure,
)

PREVIEW_LIMIT = 50

ERR_DATE = _("Not a date: use YYYY-MM-DD.")
ERR_CHANNEL = _("Unknown channel code.")
ERR_PLAN_CHANNEL = _("The sampling plan is for another channel.")
ERR_USER = _("Unknown username.")
ERR_DUPLICATE = _("This reference appears twice.")
ERR_EXISTS = _("This reference was imported already.")
ERR_NUMBER = _("Not a whole number of zero or more.")
ERR_WITHIN = _("Within target cannot exceed the number of contacts.")
ERR_METRIC = _("Unknown metric.")
ERR_NO_TARGET = _(
    "No timeliness criterion of the standard in force has a target in this unit."
)
ERR_COUNT_OR_VALUE = _("Give count and within_target, or a single value.")
ERR_STANDARD = _("Unknown standard identifier.")
ERR_TYPE = _("Unknown interaction type.")
ERR_FIGURE_EXISTS = _("A figure for this date, channel and metric exists already.")


def decode(data: bytes) -> str:
    try:
        return read_text(data)
    except UnicodeDecodeError:
        raise ValidationError(ERR_ENCODING) from None


class _StandardsImporter(Importer):
    """What the three imports share: the preview shows every row as read,
    dates are ISO and not in the future, channels and people are named by
    code and username."""

    preview_every_row = True

    def prepare(self) -> None:
        User = get_user_model()
        self.users = Lookup(User.objects.all(), User.USERNAME_FIELD, message=ERR_USER)
        self.channels = Lookup(Channel.objects.all(), message=ERR_CHANNEL)

    def day(self, row: Row, column: str) -> datetime.date | None:
        return row.date(
            column, required=True, formats=ISO_DATE, message=ERR_DATE, past=True
        )

    def preview(self, row: Row, record) -> dict[str, str]:
        return row.values


# ---------------------------------------------------------------------------
# Interactions for sampling
# ---------------------------------------------------------------------------

INTERACTION_COLUMNS = ["reference", "date", "channel", "employee"]


class InteractionImporter(_StandardsImporter):
    columns = required_columns = INTERACTION_COLUMNS
    model = Interaction

    def __init__(self, *, plan: SamplingPlan) -> None:
        self.plan = plan

    def prepare(self) -> None:
        super().prepare()
        self.existing = set(self.plan.interactions.values_list("reference", flat=True))
        self.seen: set[str] = set()

    def build(self, row: Row) -> Interaction | None:
        reference = row.text("reference", required=True)
        if reference in self.seen:
            row.error("reference", ERR_DUPLICATE)
        elif reference in self.existing:
            row.error("reference", ERR_EXISTS)
        if reference:
            self.seen.add(reference)
        day = self.day(row, "date")
        channel = row.lookup("channel", self.channels, required=True)
        if channel is not None and channel.pk != self.plan.channel_id:
            row.error("channel", ERR_PLAN_CHANNEL)
        employee = row.lookup("employee", self.users, required=True)
        if not row.ok:
            return None
        return Interaction(
            plan=self.plan,
            reference=reference,
            date=day,
            channel=channel,
            employee=employee,
            month=day.replace(day=1),
        )

    def save(self, interactions: list[Interaction]) -> None:
        Interaction.objects.bulk_create(interactions)
        for month in sorted({i.month for i in interactions}):
            sample_pick(plan=self.plan, month=month)


def import_interactions(
    *, plan: SamplingPlan, text: str, dry_run: bool
) -> ImportResult:
    return InteractionImporter(plan=plan).run(text, dry_run=dry_run)


def sample_pick(*, plan: SamplingPlan, month: datetime.date) -> int:
    """Pick ``plan.per_employee_month`` interactions per employee in ``month``.

    Reproducible: each employee's pick uses a random generator seeded with the
    plan, the month and the employee, over their interactions sorted by
    reference, so the same list always gives the same pick (and importing
    another employee's interactions does not change it)."""
    interactions = list(
        plan.interactions.filter(month=month).order_by("employee_id", "reference")
    )
    by_employee: dict[int, list[Interaction]] = {}
    for interaction in interactions:
        by_employee.setdefault(interaction.employee_id, []).append(interaction)
    picked: list[int] = []
    for employee_id, items in sorted(by_employee.items()):
        rng = random.Random(f"{plan.pk}:{month:%Y-%m}:{employee_id}")
        size = min(plan.per_employee_month, len(items))
        picked += [i.pk for i in rng.sample(items, size)]
    plan.interactions.filter(month=month).update(picked=False)
    plan.interactions.filter(pk__in=picked).update(picked=True)
    return len(picked)


# ---------------------------------------------------------------------------
# Timeliness figures
# ---------------------------------------------------------------------------

TIMELINESS_COLUMNS = [
    "date",
    "channel",
    "metric",
    "count",
    "within_target",
    "mean_value",
    "value",
]
TIMELINESS_REQUIRED = ["date", "channel", "metric"]


def timeliness_figure_from(
    *,
    day: datetime.date,
    channel: Channel,
    metric: str,
    count: int | None,
    within_target: int | None,
    mean_value: Decimal | None,
    value: Decimal | None,
) -> TimelinessFigure:
    """A figure measured against the target of the timeliness criterion (in
    the metric's unit) of the channel's standard in force on ``day``. A single
    ``value`` is one contact, within target when at most the target."""
    unit = TimelinessFigure.UNIT_OF_METRIC.get(metric)
    if unit is None:
        raise ValidationError({"metric": ERR_METRIC})
    target = services.timeliness_target(channel=channel, unit=unit, on=day)
    if value is not None and count is None and within_target is None:
        if target is None:
            raise ValidationError({"metric": ERR_NO_TARGET})
        count, within_target, mean_value = 1, int(value <= target), value
    if count is None or within_target is None:
        raise ValidationError({"count": ERR_COUNT_OR_VALUE})
    if within_target > count:
        raise ValidationError({"within_target": ERR_WITHIN})
    return TimelinessFigure(
        date=day,
        channel=channel,
        metric=metric,
        count=count,
        within_target=within_target,
        mean_value=float(mean_value) if mean_value is not None else None,
        target_value=target,
    )


class TimelinessImporter(_StandardsImporter):
    columns = TIMELINESS_COLUMNS
    required_columns = TIMELINESS_REQUIRED
    model = TimelinessFigure

    def prepare(self) -> None:
        super().prepare()
        self.existing = set(
            TimelinessFigure.objects.values_list("date", "channel_id", "metric")
        )
        self.seen: set = set()

    def build(self, row: Row) -> TimelinessFigure | None:
        day = self.day(row, "date")
        channel = row.lookup("channel", self.channels, required=True)
        metric = row.text("metric", required=True)
        count = row.integer("count", minimum=0, message=ERR_NUMBER)
        within = row.integer("within_target", minimum=0, message=ERR_NUMBER)
        # Times and counts measured: never below zero.
        mean = row.decimal("mean_value", minimum=0)
        value = row.decimal("value", minimum=0)
        if not row.ok:
            return None
        key = (day, channel.pk, metric)
        if key in self.existing or key in self.seen:
            raise CellError("date", ERR_FIGURE_EXISTS)
        self.seen.add(key)
        return timeliness_figure_from(
            day=day,
            channel=channel,
            metric=metric,
            count=count,
            within_target=within,
            mean_value=mean,
            value=value,
        )

    def save(self, figures: list[TimelinessFigure]) -> None:
        TimelinessFigure.objects.bulk_create(figures)


def import_timeliness(*, text: str, dry_run: bool) -> ImportResult:
    return TimelinessImporter().run(text, dry_run=dry_run)


# ---------------------------------------------------------------------------
# Evaluations
# ---------------------------------------------------------------------------

EVALUATION_FIXED = [
    "standard",
    "reference",
    "interaction_date",
    "interaction_type",
    "channel",
    "employee",
    "evaluator",
    "comments",
]
EVALUATION_REQUIRED = EVALUATION_FIXED[:7]
EVALUATION_HELP = _(
    "Then one column per criterion, named c1, c2, … in the order of the "
    "criteria of the version in force: yes, no or na (1 to 5 or na on a scale)."
)
EVALUATION_CRITERIA = [f"c{i}" for i in range(1, 51)]


class EvaluationImporter(_StandardsImporter):
    """Evaluations from a quality tool's export: every row is saved with the
    same rules as the scorecard (version in force, answers, not oneself) in a
    transaction that is rolled back unless every row is valid."""

    columns = EVALUATION_FIXED
    required_columns = EVALUATION_REQUIRED
    model = Evaluation
    checks_by_saving = True

    def known_columns(self) -> list[str]:
        return EVALUATION_FIXED + EVALUATION_CRITERIA

    def prepare(self) -> None:
        super().prepare()
        self.standards = Lookup(
            Standard.objects.select_related("document").prefetch_related("channels"),
            "document.identifier",
            message=ERR_STANDARD,
        )
        self.versions: dict = {}

    def _version(self, standard: Standard, day: datetime.date):
        """The version in force and its criteria, once per standard and day."""
        key = (standard.pk, day)
        if key not in self.versions:
            try:
                version = services.version_in_force(standard=standard, on=day)
            except ValidationError as error:
                raise CellError("interaction_date", error.messages[0]) from None
            self.versions[key] = (
                version,
                list(Criterion.objects.filter(version=version)),
            )
        return self.versions[key]

    def build(self, row: Row) -> Evaluation | None:
        standard = row.lookup("standard", self.standards, required=True)
        reference = row.text("reference", required=True)
        day = self.day(row, "interaction_date")
        kind = row.choice("interaction_type", InteractionType, message=ERR_TYPE)
        channel = row.lookup("channel", self.channels, required=True)
        employee = row.lookup("employee", self.users, required=True)
        evaluator = row.lookup("evaluator", self.users, required=True)
        comments = row.text("comments")
        if not row.ok:
            return None
        version, criteria = self._version(standard, day)
        answers = {
            c.pk: (row.get(f"c{i}").lower(), "")
            for i, c in enumerate(criteria, start=1)
        }
        return services.evaluation_create(
            standard=standard,
            interaction_type=kind,
            reference=reference,
            interaction_date=day,
            channel=channel,
            employee=employee,
            evaluator=evaluator,
            answers=answers,
            comments=comments,
            version=version,
            criteria=criteria,
        )

    def save(self, evaluations: list[Evaluation]) -> None:
        """Saved while checked."""


def import_evaluations(*, text: str, dry_run: bool, by) -> ImportResult:
    return EvaluationImporter().run(text, dry_run=dry_run)
