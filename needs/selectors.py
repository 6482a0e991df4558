"""Reads of the needs registry for its pages and reports."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, QuerySet

from .models import Need, NeedLink


def need_list() -> QuerySet[Need]:
    """The registry rows with everything the list shows: a fixed number of
    queries whatever the page size."""
    return (
        Need.objects.select_related("service", "owner")
        .prefetch_related("segments")
        .annotate(
            link_count=Count("links", distinct=True),
            has_conflict=Exists(
                Need.conflicts_with.through.objects.filter(from_need=OuterRef("pk"))
            ),
        )
        .order_by("-identified_on", "-id")
    )


def coverage(today: datetime.date | None = None) -> dict[str, QuerySet[Need]]:
    """Accepted needs that nothing answers and that nothing measures."""
    base = Need.objects.select_related("owner", "service")
    return {
        "unanswered": base.unanswered().order_by("identified_on", "id"),
        "unmeasured": base.unmeasured().order_by("identified_on", "id"),
    }


def links_for_review() -> QuerySet[NeedLink]:
    """Links of needs whose statement changed since they were last reviewed."""
    return NeedLink.objects.filter(need__links_need_review=True).select_related(
        "need", "target_type"
    )


def open_conflicts(need: Need) -> list[Need]:
    if need.conflict_resolved:
        return []
    return list(need.conflicts_with.all())
