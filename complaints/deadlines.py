"""Deadlines of a case: when it must be acknowledged and answered.

Rules come from :class:`~complaints.models.DeadlineRule` (per kind and priority);
working days and hours use the working-day calendar. Time the case spends paused
(waiting for the customer) is added back to the response deadline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from qms import calendar
from qms.calendar import get_calendar

from .models import Case, DeadlineRule

Unit = DeadlineRule.Unit


@dataclass(frozen=True)
class RuleValues:
    acknowledge_within: int
    acknowledge_unit: str
    respond_within: int
    respond_unit: str


# Used when no rule matches: acknowledge in 1 working day, answer in 15 days
# (Consumer Protection Act §19 for written consumer claims).
DEFAULT_RULE = RuleValues(1, Unit.WORKING_DAYS, 15, Unit.CALENDAR_DAYS)


def rule_for(kind: str, priority: str) -> RuleValues:
    """The rule for this kind and priority, else for the kind, else the default.
    Runs one query."""
    rules = {
        r.priority: r
        for r in DeadlineRule.objects.filter(kind=kind, priority__in=[priority, ""])
    }
    rule = rules.get(priority) or rules.get("")
    if rule is None:
        return DEFAULT_RULE
    return RuleValues(
        rule.acknowledge_within,
        rule.acknowledge_unit,
        rule.respond_within,
        rule.respond_unit,
    )


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def _end_of_working_day(day: datetime.date) -> datetime.datetime:
    hour, minute = (int(p) for p in settings.WORKING_HOURS_END.split(":"))
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


def end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(23, 59, 59))
    )


def due_after(start: datetime.datetime, amount: int, unit: str) -> datetime.datetime:
    """The moment ``amount`` units after ``start``.

    Working and calendar days end at the end of the last day (working hours'
    end, or midnight); working hours count exactly.
    """
    if unit == Unit.WORKING_HOURS:
        return calendar.add_working_hours(start, amount)
    day = _local(start).date()
    if unit == Unit.WORKING_DAYS:
        return _end_of_working_day(calendar.add_working_days(day, amount))
    return end_of_day(day + datetime.timedelta(days=amount))


def initial_deadlines(case: Case) -> tuple[datetime.datetime, datetime.datetime]:
    """Acknowledgement and response deadlines for a newly received case."""
    rule = rule_for(case.kind, case.priority)
    acknowledge = due_after(
        case.received_at, rule.acknowledge_within, rule.acknowledge_unit
    )
    if case.kind == Case.Kind.DISPUTE and case.response_due_at:
        # The external body sets the deadline of a dispute.
        return acknowledge, case.response_due_at
    return acknowledge, due_after(
        case.received_at, rule.respond_within, rule.respond_unit
    )


def extend_for_pause(
    case: Case, started: datetime.datetime, ended: datetime.datetime
) -> datetime.datetime | None:
    """The response deadline moved on by the time the case was paused, in the
    same kind of time the rule counts."""
    due = case.response_due_at
    if due is None or ended <= started:
        return due
    rule = rule_for(case.kind, case.priority)
    if rule.respond_unit == Unit.CALENDAR_DAYS or case.kind == Case.Kind.DISPUTE:
        return due + (ended - started)
    work = get_calendar(_local(started).date(), None)
    paused = work.working_time_between(started, ended)
    return work.add_working_hours(due, paused)
