"""The contract between the area apps and the management report (issue 9).

Each area app may define ``<app>/reports.py`` with one function::

    def section(request: SectionRequest) -> Section: ...

The ``reports`` app finds these functions (it never imports an area's models),
calls them for the report's period and organisation unit, and assembles the
report. An area app never imports ``reports``; both sides import only this
module, so the dependency points at the core.

Everything in a :class:`Section` is plain data (strings, numbers, lists) so an
issued report can freeze it as JSON: strings are already translated into the
report's language when the section is built, which is why ``section`` runs
inside ``translation.override(request.language)``.

Indicators are named by their measure key (``qms.measures``); the report app
computes the value, the target, the previous period, the same period a year
earlier, the trend and the significance mark from the registry, so a figure in
the report is by construction the area's own indicator.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from qms.periods import month_start

# Cells that rest on fewer cases than this are suppressed in reports
# (ISO 10004 / privacy: no figure that could identify a customer).
MIN_CELL = 5

PeriodKind = Literal["month", "quarter", "half", "year"]


@dataclass(frozen=True)
class ReportPeriod:
    """A reporting period ``[start, end)``; ``end`` is exclusive."""

    kind: PeriodKind
    start: datetime.date
    end: datetime.date

    def previous(self) -> ReportPeriod:
        months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.kind]
        return ReportPeriod(self.kind, month_start(self.start, -months), self.start)

    def year_earlier(self) -> ReportPeriod:
        return ReportPeriod(
            self.kind, month_start(self.start, -12), month_start(self.end, -12)
        )


@dataclass(frozen=True)
class SectionRequest:
    period: ReportPeriod
    # ``qms.models.OrgUnit`` or ``None`` for the whole organisation; sections
    # that cannot be split by unit say so in ``Section.notes``.
    unit: Any = None
    language: str = "en"


@dataclass
class Indicator:
    """A measure to show with its comparison columns. ``filters`` are passed
    to the measure (the report adds ``unit`` when a unit is chosen and the
    measure lists it in ``filter_names``)."""

    measure: str
    filters: dict = field(default_factory=dict)
    # A label overriding the measure's own (e.g. "On time: e-mail").
    label: str = ""
    # The page behind the figure, for drill-down from the dashboard.
    url: str = ""


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""
    # Index of the column holding the number of cases a row rests on; rows
    # below MIN_CELL are suppressed by the report app. ``None``: no check.
    base_column: int | None = None


@dataclass
class Signal:
    """Something management must notice, used to draft the executive summary.

    level: ``breach`` (target missed), ``change`` (significant change),
    ``out_of_control`` (control-chart signal), ``overdue`` (late action),
    ``info``.
    """

    level: Literal["breach", "change", "out_of_control", "overdue", "info"]
    text: str
    url: str = ""


@dataclass
class Section:
    key: str  # the app label, e.g. "complaints"
    title: str
    order: int = 100
    indicators: list[Indicator] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    # SVG documents (strings) drawn with ``qms.charts``.
    charts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)
