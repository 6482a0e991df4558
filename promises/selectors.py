"""Reads of the promises area, each with what its page shows built in."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from .models import FulfilmentEvent, Promise, PromiseIndicator


def promise_list() -> QuerySet[Promise]:
    """The register's rows: owner, scope and counts in constant queries."""
    return (
        Promise.objects.select_related("owner")
        .prefetch_related("channels", "services")
        .annotate(
            indicator_count=Count("indicators", distinct=True),
            broken_case_count=Count("case_tags", distinct=True),
        )
        .order_by("title", "id")
    )


def charter_promises() -> QuerySet[Promise]:
    """Published promises for the public charter."""
    return Promise.objects.published().prefetch_related("channels", "services")


def event_list() -> QuerySet[FulfilmentEvent]:
    return FulfilmentEvent.objects.select_related("indicator__promise", "recorded_by")


def promise_detail(pk: int) -> Promise:
    return (
        Promise.objects.select_related("owner")
        .prefetch_related(
            "services",
            "channels",
            "segments",
            "procedures",
            Prefetch("indicators", queryset=PromiseIndicator.objects.order_by("id")),
        )
        .get(pk=pk)
    )


def broken_events(promise: Promise, limit: int = 20) -> QuerySet[FulfilmentEvent]:
    return (
        FulfilmentEvent.objects.filter(indicator__promise=promise, kept=False)
        .select_related("indicator")
        .order_by("-occurred_at")[:limit]
    )


def tagged_cases(promise: Promise, user) -> QuerySet:
    """Complaints tagged with this promise that ``user`` may see (through the
    complaints area's own scope)."""
    from complaints.selectors import cases_visible_to

    return (
        cases_visible_to(user)
        .filter(promise_tags__promise=promise)
        .select_related("channel")
        .order_by("-received_at")
    )
