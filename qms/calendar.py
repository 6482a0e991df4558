"""The working-day calendar: weekends, public holidays and closure days.

A working day is a day that is not a weekend day of the configured country, not
one of its public holidays (``HOLIDAYS_COUNTRY``/``HOLIDAYS_SUBDIVISION``, from
the ``holidays`` package) and not a :class:`~qms.models.ClosureDay`. Working
hours are ``WORKING_HOURS_START``-``WORKING_HOURS_END`` in ``TIME_ZONE`` on
working days.

The module-level functions each build a :class:`WorkingCalendar` and so run one
query for closure days. Code that computes many deadlines should build one
calendar with :func:`get_calendar` and call its methods, which run no queries.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

__all__ = [
    "ClosureDaysNotLoaded",
    "WorkingCalendar",
    "add_working_days",
    "add_working_hours",
    "get_calendar",
    "is_working_day",
    "working_days_between",
    "working_time_between",
]

ONE_DAY = datetime.timedelta(days=1)
UTC = datetime.UTC

Pause = tuple[datetime.datetime, datetime.datetime | None]


class ClosureDaysNotLoaded(LookupError):
    """A calendar was asked about a day outside the range its closure days were
    loaded for; answering would silently ignore closure days there."""


# The holidays package recomputes a year's holidays (Easter and the like) for
# every new HolidayBase object; the result never changes while the process runs.
@functools.lru_cache(maxsize=256)
def _holiday_dates(
    country: str, subdivision: str | None, year: int
) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


@functools.lru_cache(maxsize=32)
def _weekend(country: str, subdivision: str | None) -> frozenset[int]:
    # Not every country rests on Saturday and Sunday; the package knows which
    # weekdays are the weekend. Building the object also rejects unknown codes.
    return frozenset(
        holidays.country_holidays(country, subdiv=subdivision, years=()).weekend
    )


def _require_aware(value: datetime.datetime, name: str) -> None:
    if timezone.is_naive(value):
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")


class WorkingCalendar:
    """Working days and working hours for one country and set of closure days.

    Building one runs no queries and its methods run none either, so one calendar
    can be reused for any number of computations. Use :func:`get_calendar` to
    build one from the settings and the ``ClosureDay`` table.

    ``closure_dates`` must hold every closure day within ``closure_range``
    (inclusive bounds, ``None`` meaning unbounded on that side). Asking about a
    day outside that range raises :class:`ClosureDaysNotLoaded` rather than
    quietly treating it as open. The default range covers all days, for
    calendars whose ``closure_dates`` are known to be complete.
    """

    def __init__(
        self,
        country: str,
        subdivision: str | None = None,
        closure_dates: Iterable[datetime.date] = (),
        work_start: datetime.time = datetime.time(9),
        work_end: datetime.time = datetime.time(17),
        tz: datetime.tzinfo | None = None,
        closure_range: tuple[datetime.date | None, datetime.date | None] = (
            None,
            None,
        ),
    ) -> None:
        if work_start >= work_end:
            raise ValueError(
                f"Working hours must end after they start: {work_start}-{work_end}"
            )
        self.country = country
        self.subdivision = subdivision
        self.closure_dates = frozenset(closure_dates)
        self.work_start = work_start
        self.work_end = work_end
        self.tz = tz if tz is not None else timezone.get_default_timezone()
        self.closure_range = closure_range
        self.weekend = _weekend(country, subdivision)

    def __repr__(self) -> str:
        return (
            f"<WorkingCalendar {self.country}"
            f"{'-' + self.subdivision if self.subdivision else ''} "
            f"{self.work_start:%H:%M}-{self.work_end:%H:%M} {self.tz} "
            f"closures={len(self.closure_dates)} range={self.closure_range}>"
        )

    # Days

    def is_holiday(self, day: datetime.date) -> bool:
        """Whether ``day`` is a public holiday (weekends and closures aside)."""
        return day in _holiday_dates(self.country, self.subdivision, day.year)

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether ``day`` is neither a weekend day, a public holiday nor a
        closure day. Runs no queries."""
        low, high = self.closure_range
        if (low is not None and day < low) or (high is not None and day > high):
            raise ClosureDaysNotLoaded(
                f"{day} is outside the closure days loaded ({low} to {high})"
            )
        return not (
            day.weekday() in self.weekend
            or day in self.closure_dates
            or self.is_holiday(day)
        )

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """``day`` itself if it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The day ``days`` working days after ``start``, not counting ``start``.

        ``days=0`` gives ``start`` if it is a working day, else the next working
        day. Negative ``days`` count backwards. Runs no queries.
        """
        if days == 0:
            return self.next_working_day(start)
        step = ONE_DAY if days > 0 else -ONE_DAY
        remaining = abs(days)
        day = start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days ``d`` satisfy ``start < d <= end``; negative
        (the count for ``end < d <= start``) when ``end`` is before ``start``.

        ``working_days_between(d, add_working_days(d, n)) == n`` for ``n >= 0``.
        Runs no queries.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start + ONE_DAY
        while day <= end:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count

    # Hours

    def working_period(
        self, day: datetime.date
    ) -> tuple[datetime.datetime, datetime.datetime] | None:
        """The working hours of ``day`` as aware UTC datetimes, or ``None`` on a
        day off."""
        if not self.is_working_day(day):
            return None
        # Arithmetic on aware datetimes that share a tzinfo ignores UTC offsets,
        # which would be an hour off across a DST change; UTC has none.
        begin = datetime.datetime.combine(day, self.work_start, tzinfo=self.tz)
        end = datetime.datetime.combine(day, self.work_end, tzinfo=self.tz)
        return begin.astimezone(UTC), end.astimezone(UTC)

    def _periods_from(
        self, day: datetime.date
    ) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
        while True:
            period = self.working_period(day)
            if period is not None:
                yield period
            day += ONE_DAY

    def add_working_hours(
        self, start: datetime.datetime, hours: float | datetime.timedelta
    ) -> datetime.datetime:
        """The moment ``hours`` working hours after ``start``.

        A ``start`` outside working hours counts from the next working period
        (so ``hours=0`` rolls it forward to the next opening time). An amount
        that exactly fills the day ends at closing time, not at the next
        opening. ``start`` must be aware; the result is aware, in the
        calendar's time zone. Runs no queries.
        """
        _require_aware(start, "start")
        amount = (
            hours
            if isinstance(hours, datetime.timedelta)
            else datetime.timedelta(hours=hours)
        )
        if amount < datetime.timedelta(0):
            raise ValueError(f"hours must not be negative, got {hours!r}")
        cursor = start.astimezone(UTC)
        for begin, end in self._periods_from(start.astimezone(self.tz).date()):
            begin = max(begin, cursor)
            if begin >= end:
                continue
            if amount <= end - begin:
                return (begin + amount).astimezone(self.tz)
            amount -= end - begin
        raise AssertionError("unreachable: the periods never run out")

    def working_time_between(
        self,
        start: datetime.datetime,
        end: datetime.datetime,
        pauses: Iterable[Pause] = (),
    ) -> datetime.timedelta:
        """Working time elapsed from ``start`` to ``end``, leaving out pauses.

        Each pause is ``(paused_at, resumed_at)``; ``resumed_at=None`` means
        still paused, i.e. up to the later of ``start`` and ``end``. Pauses
        that overlap are left out once. The result is negative when ``end`` is
        before ``start``. All datetimes must be aware. Runs no queries.
        """
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end < start:
            return -self.working_time_between(end, start, pauses)
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        paused = _merge_pauses(pauses, start, end)
        total = datetime.timedelta(0)
        # Walks dates, not periods, so no day after ``end`` is looked at: a
        # calendar loaded only up to end's date must not be asked about it.
        first, last = start.astimezone(self.tz).date(), end.astimezone(self.tz).date()
        for day in _date_range(first, last):
            period = self.working_period(day)
            if period is None:
                continue
            begin, close = max(period[0], start), min(period[1], end)
            if begin >= close:
                continue
            total += close - begin
            for pause_begin, pause_end in paused:
                overlap = min(close, pause_end) - max(begin, pause_begin)
                if overlap > datetime.timedelta(0):
                    total -= overlap
        return total


def _date_range(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def _merge_pauses(
    pauses: Iterable[Pause], start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Pauses clipped to ``start``-``end`` and merged so none overlap; otherwise
    time covered by two pauses would be subtracted twice."""
    clipped = []
    for paused_at, resumed_at in pauses:
        _require_aware(paused_at, "pause start")
        if resumed_at is not None:
            _require_aware(resumed_at, "pause end")
        begin = max(paused_at.astimezone(UTC), start)
        finish = end if resumed_at is None else min(resumed_at.astimezone(UTC), end)
        if begin < finish:
            clipped.append((begin, finish))
    merged: list[tuple[datetime.datetime, datetime.datetime]] = []
    for begin, finish in sorted(clipped):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


def _setting_time(name: str) -> datetime.time:
    value = getattr(settings, name)
    try:
        return datetime.time.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be HH:MM, got {value!r}") from exc


def get_calendar(
    start: datetime.date | None = None, end: datetime.date | None = None
) -> WorkingCalendar:
    """A calendar from the settings with the closure days from ``start`` to
    ``end`` (inclusive; ``None`` leaves that side open).

    Runs ONE query (``ClosureDay`` dates in the range). The calendar raises
    :class:`ClosureDaysNotLoaded` for days outside the range, so load every day
    the computations will touch; an open end is fine as the table is small.
    """
    from qms.models import ClosureDay

    if start is not None and end is not None and end < start:
        start, end = end, start
    closures = ClosureDay.objects.all()
    if start is not None:
        closures = closures.filter(date__gte=start)
    if end is not None:
        closures = closures.filter(date__lte=end)
    return WorkingCalendar(
        country=settings.HOLIDAYS_COUNTRY,
        subdivision=settings.HOLIDAYS_SUBDIVISION or None,
        closure_dates=closures.values_list("date", flat=True),
        work_start=_setting_time("WORKING_HOURS_START"),
        work_end=_setting_time("WORKING_HOURS_END"),
        tz=timezone.get_default_timezone(),
        closure_range=(start, end),
    )


def _local_date(value: datetime.datetime) -> datetime.date:
    _require_aware(value, "datetime")
    # The calendar's zone, not the one a request may have activated.
    return value.astimezone(timezone.get_default_timezone()).date()


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a working day. Runs one query (closure days); use
    :meth:`WorkingCalendar.is_working_day` for many days."""
    return get_calendar(day, day).is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day ``days`` working days after ``start``, ``start`` not counted
    (see :meth:`WorkingCalendar.add_working_days`).

    Runs one query: every closure day from ``start`` onwards (backwards for
    negative ``days``). Use a :func:`get_calendar` calendar for many deadlines.
    """
    calendar = get_calendar(start, None) if days >= 0 else get_calendar(None, start)
    return calendar.add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days ``d`` satisfy ``start < d <= end``, negative if
    ``end < start`` (see :meth:`WorkingCalendar.working_days_between`).

    Runs one query (closure days between the two dates).
    """
    return get_calendar(start, end).working_days_between(start, end)


def add_working_hours(
    start: datetime.datetime, hours: float | datetime.timedelta
) -> datetime.datetime:
    """The moment ``hours`` working hours after the aware ``start``, in local
    time (see :meth:`WorkingCalendar.add_working_hours`).

    Runs one query: every closure day from ``start``'s local date onwards.
    """
    return get_calendar(_local_date(start), None).add_working_hours(start, hours)


def working_time_between(
    start: datetime.datetime,
    end: datetime.datetime,
    pauses: Iterable[Pause] = (),
) -> datetime.timedelta:
    """Working time from ``start`` to ``end`` with ``pauses`` left out (see
    :meth:`WorkingCalendar.working_time_between`).

    Runs one query (closure days between the two local dates).
    """
    calendar = get_calendar(_local_date(start), _local_date(end))
    return calendar.working_time_between(start, end, pauses)
