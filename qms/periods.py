"""Calendar months: the one home of the month arithmetic that monitoring
pages, reports, effectiveness checks and demo data share.

A :class:`Month` is a value (``Month(2026, 12) + 1 == Month(2027, 1)``);
the functions below answer the usual questions about dates directly: the
first day of a month some months away, the months between two dates, the
same day some months later.
"""

from __future__ import annotations

import datetime
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """One calendar month; ordered, hashable, and shifted by adding months."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"no month {self.month} in a year")

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        """The month ``day`` falls in."""
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> Month:
        """The inverse of :attr:`index`."""
        return cls(index // 12, index % 12 + 1)

    @classmethod
    def span(cls, start: Month, stop: Month) -> Iterator[Month]:
        """The months from ``start`` up to, not including, ``stop``."""
        for index in range(start.index, stop.index):
            yield cls.from_index(index)

    @property
    def index(self) -> int:
        """Months since the start of year 0: one number to count months with."""
        return self.year * 12 + self.month - 1

    @property
    def first(self) -> datetime.date:
        """The month's first day."""
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        """The month's last day."""
        return datetime.date(self.year, self.month, self.days)

    @property
    def end(self) -> datetime.date:
        """The first day of the next month: the exclusive end of the month."""
        return (self + 1).first

    @property
    def days(self) -> int:
        """Number of days in the month (February of a leap year has 29)."""
        return monthrange(self.year, self.month)[1]

    def __add__(self, months: int) -> Month:
        if not isinstance(months, int):
            return NotImplemented
        return Month.from_index(self.index + months)

    __radd__ = __add__

    def __sub__(self, other):
        """``month - 3`` is a month; ``month - other_month`` a number of months."""
        if isinstance(other, Month):
            return self.index - other.index
        if isinstance(other, int):
            return Month.from_index(self.index - other)
        return NotImplemented

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_start(day: datetime.date, months: int = 0) -> datetime.date:
    """The first day of the month ``months`` after the month of ``day``
    (before it when negative): ``month_start(date(2026, 12, 15), 1)`` is
    1 January 2027."""
    return (Month.of(day) + months).first


def months_between(first: datetime.date, last: datetime.date) -> int:
    """How many months the month of ``last`` lies after the month of
    ``first`` (the days do not count): January to March is 2."""
    return Month.of(last) - Month.of(first)


def month_starts(last: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the ``count`` months ending with the month of
    ``last``, oldest first."""
    stop = Month.of(last) + 1
    return [month.first for month in Month.span(stop - count, stop)]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's end (31 January
    + 1 is 28 or 29 February)."""
    month = Month.of(day) + months
    return datetime.date(month.year, month.month, min(day.day, month.days))
