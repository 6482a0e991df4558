"""CSV imports of the standards area: interactions for sampling, timeliness
figures and evaluations. Each checks every row first (``qms.imports``) and
saves all rows or none; a dry run only checks and previews."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.imports import read_table
from qms.models import Channel

from . import services
from .models import (
    Criterion,
    Interaction,
    InteractionType,
    SamplingPlan,
    Standard,
    TimelinessFigure,
)

PREVIEW_LIMIT = 50

ERR_ENCODING = _("The file is not UTF-8 text.")
ERR_REQUIRED = _("A value is required.")
ERR_DATE = _("Not a date: use YYYY-MM-DD.")
ERR_FUTURE = _("The date is in the future.")
ERR_CHANNEL = _("Unknown channel code.")
ERR_PLAN_CHANNEL = _("The sampling plan is for another channel.")
ERR_USER = _("Unknown username.")
ERR_DUPLICATE = _("This reference appears twice.")
ERR_EXISTS = _("This reference was imported already.")
ERR_NUMBER = _("Not a whole number of zero or more.")
ERR_DECIMAL = _("Not a number.")
ERR_WITHIN = _("Within target cannot exceed the number of contacts.")
ERR_METRIC = _("Unknown metric.")
ERR_NO_TARGET = _(
    "No timeliness criterion of the standard in force has a target in this unit."
)
ERR_COUNT_OR_VALUE = _("Give count and within_target, or a single value.")
ERR_STANDARD = _("Unknown standard identifier.")
ERR_TYPE = _("Unknown interaction type.")
ERR_FIGURE_EXISTS = _("A figure for this date, channel and metric exists already.")


@dataclass
class ImportResult:
    header: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    saved: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(ERR_ENCODING) from None


def _values(header, values) -> dict[str, str]:
    return {
        name: (values[i].strip() if i < len(values) else "")
        for i, name in enumerate(header)
    }


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(ERR_DATE) from None


class _Row:
    """Collects the errors of one row."""

    def __init__(self, result: ImportResult, number: int, values: dict):
        self.result, self.number, self.values = result, number, values
        self.bad = False

    def error(self, column: str, message) -> None:
        self.result.errors.append((self.number, column, str(message)))
        self.bad = True

    def required(self, column: str) -> str:
        value = self.values.get(column, "")
        if not value:
            self.error(column, ERR_REQUIRED)
        return value

    def date(self, column: str):
        text = self.required(column)
        if not text:
            return None
        try:
            day = _date(text)
        except ValidationError as error:
            self.error(column, error.messages[0])
            return None
        if day > timezone.localdate():
            self.error(column, ERR_FUTURE)
            return None
        return day


def _lookups():
    users = {u.get_username(): u for u in get_user_model().objects.all()}
    channels = {c.code: c for c in Channel.objects.all()}
    return users, channels


# ---------------------------------------------------------------------------
# Interactions for sampling
# ---------------------------------------------------------------------------

INTERACTION_COLUMNS = ["reference", "date", "channel", "employee"]


def import_interactions(
    *, plan: SamplingPlan, text: str, dry_run: bool
) -> ImportResult:
    header, records, errors = read_table(
        text, required=INTERACTION_COLUMNS, known=INTERACTION_COLUMNS
    )
    result = ImportResult(header=header, errors=list(errors))
    users, channels = _lookups()
    existing = set(plan.interactions.values_list("reference", flat=True))
    seen: set[str] = set()
    new: list[Interaction] = []
    for number, values in records:
        row = _Row(result, number, _values(header, values))
        reference = row.required("reference")
        if reference in seen:
            row.error("reference", ERR_DUPLICATE)
        elif reference in existing:
            row.error("reference", ERR_EXISTS)
        seen.add(reference)
        day = row.date("date")
        channel = channels.get(row.required("channel"))
        if channel is None:
            row.error("channel", ERR_CHANNEL)
        elif channel.pk != plan.channel_id:
            row.error("channel", ERR_PLAN_CHANNEL)
        employee = users.get(row.required("employee"))
        if employee is None:
            row.error("employee", ERR_USER)
        result.rows.append(row.values)
        if not row.bad:
            new.append(
                Interaction(
                    plan=plan,
                    reference=reference,
                    date=day,
                    channel=channel,
                    employee=employee,
                    month=day.replace(day=1),
                )
            )
    if result.ok and not dry_run:
        with transaction.atomic():
            Interaction.objects.bulk_create(new)
            for month in sorted({i.month for i in new}):
                sample_pick(plan=plan, month=month)
        result.saved = len(new)
    return result


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


def _count(row: _Row, column: str) -> int | None:
    text = row.values.get(column, "")
    if not text:
        return None
    if not text.isdigit():
        row.error(column, ERR_NUMBER)
        return None
    return int(text)


def _decimal(row: _Row, column: str) -> Decimal | None:
    text = row.values.get(column, "").replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        row.error(column, ERR_DECIMAL)
        return None


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


def import_timeliness(*, text: str, dry_run: bool) -> ImportResult:
    header, records, errors = read_table(
        text, required=TIMELINESS_REQUIRED, known=TIMELINESS_COLUMNS
    )
    result = ImportResult(header=header, errors=list(errors))
    _users, channels = _lookups()
    existing = set(TimelinessFigure.objects.values_list("date", "channel_id", "metric"))
    seen: set = set()
    new: list[TimelinessFigure] = []
    for number, values in records:
        row = _Row(result, number, _values(header, values))
        day = row.date("date")
        channel = channels.get(row.required("channel"))
        if channel is None:
            row.error("channel", ERR_CHANNEL)
        metric = row.required("metric")
        count = _count(row, "count")
        within = _count(row, "within_target")
        mean = _decimal(row, "mean_value")
        value = _decimal(row, "value")
        result.rows.append(row.values)
        if row.bad:
            continue
        key = (day, channel.pk, metric)
        if key in existing or key in seen:
            row.error("date", ERR_FIGURE_EXISTS)
            continue
        seen.add(key)
        try:
            new.append(
                timeliness_figure_from(
                    day=day,
                    channel=channel,
                    metric=metric,
                    count=count,
                    within_target=within,
                    mean_value=mean,
                    value=value,
                )
            )
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                for message in messages:
                    row.error(column, message)
    if result.ok and not dry_run:
        TimelinessFigure.objects.bulk_create(new)
        result.saved = len(new)
    return result


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


def import_evaluations(*, text: str, dry_run: bool, by) -> ImportResult:
    """Evaluations from a quality tool's export: every row is checked with the
    same rules as the scorecard (version in force, answers, not oneself) in a
    transaction that is rolled back unless every row is valid."""
    header, records, errors = read_table(
        text,
        required=EVALUATION_REQUIRED,
        known=EVALUATION_FIXED + [f"c{i}" for i in range(1, 51)],
    )
    result = ImportResult(header=header, errors=list(errors))
    users, channels = _lookups()
    standards = {
        s.document.identifier: s
        for s in Standard.objects.select_related("document").prefetch_related(
            "channels"
        )
    }
    versions: dict = {}
    types = set(InteractionType.values)

    class _Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            for number, values in records:
                row = _Row(result, number, _values(header, values))
                standard = standards.get(row.required("standard"))
                if standard is None:
                    row.error("standard", ERR_STANDARD)
                reference = row.required("reference")
                day = row.date("interaction_date")
                kind = row.required("interaction_type")
                if kind and kind not in types:
                    row.error("interaction_type", ERR_TYPE)
                channel = channels.get(row.required("channel"))
                if channel is None:
                    row.error("channel", ERR_CHANNEL)
                employee = users.get(row.required("employee"))
                if employee is None:
                    row.error("employee", ERR_USER)
                evaluator = users.get(row.required("evaluator"))
                if evaluator is None:
                    row.error("evaluator", ERR_USER)
                result.rows.append(row.values)
                if row.bad:
                    continue
                key = (standard.pk, day)
                if key not in versions:
                    try:
                        version = services.version_in_force(standard=standard, on=day)
                    except ValidationError as error:
                        row.error("interaction_date", error.messages[0])
                        continue
                    versions[key] = (
                        version,
                        list(Criterion.objects.filter(version=version)),
                    )
                version, criteria = versions[key]
                answers = {
                    c.pk: (row.values.get(f"c{i}", "").lower(), "")
                    for i, c in enumerate(criteria, start=1)
                }
                try:
                    services.evaluation_create(
                        standard=standard,
                        interaction_type=kind,
                        reference=reference,
                        interaction_date=day,
                        channel=channel,
                        employee=employee,
                        evaluator=evaluator,
                        answers=answers,
                        comments=row.values.get("comments", ""),
                        version=version,
                        criteria=criteria,
                    )
                except ValidationError as error:
                    for column, messages in _by_column(error):
                        for message in messages:
                            row.error(column, message)
                    continue
                result.saved += 1
            if dry_run or not result.ok:
                raise _Rollback
    except _Rollback:
        if dry_run or not result.ok:
            result.saved = 0
    return result


def _by_column(error: ValidationError):
    if hasattr(error, "error_dict"):
        return [
            ("" if column == "__all__" else column, messages)
            for column, messages in error.message_dict.items()
        ]
    return [("", error.messages)]
