"""Which cases the monitoring figures count: the reader's scope and the
page's filters (kind, channel, category, unit)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import (
    Q,
    QuerySet,
)

from qms.models import OrgUnit

from ..models import Case
from ..selectors import scope_q

Kind = Case.Kind
HANDLED_KINDS = (Kind.COMPLAINT, Kind.CLAIM, Kind.DISPUTE)
# Complaints and claims can grow into disputes; disputes themselves cannot.
DISPUTABLE_KINDS = (Kind.COMPLAINT, Kind.CLAIM)
NO_ANSWER_OWED = (Case.ClosureReason.NOT_A_COMPLAINT, Case.ClosureReason.DUPLICATE)
UPHELD = (Case.Outcome.UPHELD, Case.Outcome.PARTLY)


@dataclass(frozen=True)
class Filters:
    """What the figures are narrowed to; ``None``/``""`` means everything."""

    kind: str = ""
    channel: int | None = None
    category: int | None = None
    org_unit: int | None = None

    @classmethod
    def from_dict(cls, values: Mapping | None) -> Filters:
        """Accepts ids or model instances under the keys ``kind``,
        ``channel``, ``category``, ``org_unit``."""
        values = values or {}

        def pk(name):
            value = values.get(name)
            return getattr(value, "pk", value) or None

        return cls(
            kind=values.get("kind") or "",
            channel=pk("channel"),
            category=pk("category"),
            org_unit=pk("org_unit"),
        )


def monitoring_scope(user) -> QuerySet[Case]:
    """The cases whose figures ``user`` may see: every unit's with
    ``view_all_cases``, else those of :func:`~complaints.selectors.scope_q`.

    Unlike :func:`~complaints.selectors.cases_visible_to`, confidential cases
    are counted: a count discloses nothing about a case, and leaving them out
    would give executives and quality managers different complaint rates.
    Runs up to two queries (the user's units).
    """
    if not user.has_perm("complaints.view_case"):
        return Case.objects.none()
    scope = scope_q(user)
    if scope is None:
        return Case.objects.all()
    return Case.objects.filter(pk__in=Case.objects.filter(scope).values("pk"))


def sees_every_case(user) -> bool:
    """Whether :func:`monitoring_scope` is every case for ``user``: their
    figures can then come from the monthly summaries."""
    return user.has_perm("complaints.view_case") and scope_q(user) is None


def apply_filters(cases: QuerySet[Case], filters: Filters) -> QuerySet[Case]:
    """Narrow ``cases``; a main category includes its subcategories and a unit
    the units below it. Runs one query when a unit is given (the unit tree)."""
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.channel:
        cases = cases.filter(channel_id=filters.channel)
    if filters.category:
        cases = cases.filter(
            Q(category_id=filters.category) | Q(category__parent_id=filters.category)
        )
    if filters.org_unit:
        units = OrgUnit(pk=filters.org_unit).descendant_ids()
        cases = cases.filter(org_unit_id__in=units)
    return cases


def handled(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases that owe the customer an acknowledgement and an answer."""
    return cases.filter(kind__in=HANDLED_KINDS).exclude(
        closure_reason__in=NO_ANSWER_OWED
    )
