"""Demo root-cause analyses: the planted discoloured-water spike, analysed and
concluded, and one analysis still open.

Call after :func:`complaints.demo.seed`. Safe to run twice: it does nothing
when the spike analysis exists already.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qms.measures import local_midnight
from qms.periods import month_start

from ..demo.data import SPIKE_CATEGORY, SPIKE_MONTH
from ..models import (
    Case,
    Category,
    IshikawaCategory,
    IshikawaCause,
    RootCauseAnalysis,
    RootCauseCategory,
)
from . import services

SPIKE_TITLE = "Discoloured water after mains works"
OPEN_TITLE = "Estimated meter readings lead to disputed bills"

Confirmed = IshikawaCause.Status.CONFIRMED
Rejected = IshikawaCause.Status.REJECTED
Hypothesis = IshikawaCause.Status.HYPOTHESIS

WHYS = [
    (
        "Why did so many customers get brown water that month?",
        "Sediment was stirred up in the mains of the northern district.",
        "Turbidity samples of the week were 8 to 12 NTU against a normal 0.5.",
    ),
    (
        "Why was the sediment stirred up?",
        "Flow reversed when a contractor closed a valve during road works.",
        "Network log shows the valve closed; the contractor's work order.",
    ),
    (
        "Why did the valve closure reverse the flow without warning?",
        "Third-party works near mains are not reported to our network control.",
        "No notice in the network control's inbox for the works.",
    ),
    (
        "Why are such works not reported?",
        "The excavation permit procedure does not require contractors to tell "
        "the water utility, and nobody flushes the mains after works.",
        "Permit procedure v3 (no step for utilities); no flushing records.",
    ),
]

CAUSES = [
    # category code, cause, status, evidence, [(sub-cause, status)]
    ("environment", "Road works by a contractor", Confirmed,
     "Works calendar of the city.",
     [("Valve closed without notice", Confirmed)]),
    ("methods", "No procedure to flush mains after third-party works", Confirmed,
     "Procedure register.", []),
    ("systems", "Old cast-iron mains corroding", Rejected,
     "Same pipes in the south district, no spike there.", []),
    ("people", "Night-shift operator missed the alarm", Rejected,
     "No turbidity alarm exists for this district.",
     [("No turbidity alarm configured", Confirmed)]),
    ("measurement", "Turbidity measured weekly only", Hypothesis, "", []),
]  # fmt: skip


def _staff() -> tuple:
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["quality", "lead", "agent"])
    }
    lead = users.get("quality") or User.objects.filter(is_superuser=True).first()
    team = [u for name, u in users.items() if name != "quality"]
    return lead, team


def seed(ctx) -> None:
    if RootCauseAnalysis.objects.filter(title=SPIKE_TITLE).exists():
        return
    lead, team = _staff()
    if lead is None:
        return
    with transaction.atomic():
        _spike_analysis(lead, team)
        _open_analysis(lead, team)
        _categorise_closed_cases(random.Random(2026))
    ctx.count("root-cause analyses", 2)


# Which root causes each kind of case usually has (weights), so that the
# Pareto by root cause has something to show beyond the analysed spike.
ROOT_CAUSES_BY_CATEGORY = {
    "billing-wrong-amount": {"measurement-estimated-reading": 5,
                             "information-wrong-data": 3, "systems-it-fault": 2},
    "billing-payment-not-registered": {"systems-it-fault": 6,
                                       "information-wrong-data": 4},
    "billing-late-invoice": {"systems-it-fault": 5, "people-workload": 5},
    "metering-reading-error": {"measurement-estimated-reading": 7,
                               "people-training": 3},
    "metering-meter-fault": {"systems-meter-fault": 1},
    "service-rude-staff": {"people-training": 6, "people-workload": 4},
    "service-no-answer": {"people-workload": 7, "methods-missing-procedure": 3},
    "service-wrong-information": {"information-unclear-letter": 4,
                                  "people-training": 3,
                                  "methods-unclear-procedure": 3},
    "water-taste-smell": {"environment-weather": 5, "methods-missing-procedure": 5},
    "water-pressure": {"environment-weather": 4,
                       "environment-third-party-works": 6},
    "connections-delay": {"people-workload": 5, "methods-unclear-procedure": 5},
    "connections-cost": {"information-unclear-letter": 1},
    "portal-login": {"systems-it-fault": 1},
    "portal-errors": {"systems-it-fault": 1},
}  # fmt: skip


def _categorise_closed_cases(rng: random.Random) -> None:
    """Give most upheld closed cases a root-cause category, as handlers would on
    closing them. One UPDATE per root-cause category."""
    codes = {c.code: c.pk for c in RootCauseCategory.objects.all()}
    eligible = Case.objects.filter(
        status=Case.Status.CLOSED,
        root_cause_category__isnull=True,
        outcome__in=[Case.Outcome.UPHELD, Case.Outcome.PARTLY],
        category__code__in=ROOT_CAUSES_BY_CATEGORY,
    ).values_list("pk", "category__code")
    chosen: dict[int, list[int]] = {}
    for pk, category in eligible.order_by("pk"):
        if rng.random() < 0.3:
            continue  # not every closed case gets analysed
        weights = ROOT_CAUSES_BY_CATEGORY[category]
        code = rng.choices(list(weights), weights=list(weights.values()))[0]
        if code in codes:
            chosen.setdefault(codes[code], []).append(pk)
    for root_cause, pks in chosen.items():
        Case.objects.filter(pk__in=pks).update(root_cause_category_id=root_cause)


def _spike_analysis(lead, team) -> RootCauseAnalysis:
    spike = Category.objects.get(code=SPIKE_CATEGORY)
    next_month = month_start(SPIKE_MONTH, 1)
    cases = list(
        Case.objects.filter(
            category=spike,
            received_at__gte=local_midnight(SPIKE_MONTH),
            received_at__lt=local_midnight(next_month),
        )
    )
    analysis = services.analysis_create(
        title=SPIKE_TITLE,
        problem_what="Customers report brown, discoloured tap water.",
        problem_where="Northern district, water supply.",
        problem_when=f"{SPIKE_MONTH:%B %Y}, mostly days 8 to 21.",
        problem_how_many=f"{len(cases)} cases in the month (usually about 6).",
        lead=lead,
        team=team,
        cases=cases,
        uses_pareto=True,
        by=lead,
    )
    for number, (question, answer, evidence) in enumerate(WHYS, start=1):
        services.why_step_add(
            analysis=analysis,
            question=question,
            answer=answer,
            evidence=evidence,
            is_root_cause=number == len(WHYS),
        )
    bones = {c.code: c for c in IshikawaCategory.objects.all()}
    for code, text, status, evidence, subs in CAUSES:
        cause = services.cause_add(
            analysis=analysis,
            category=bones[code],
            text=text,
            status=status,
            evidence=evidence,
        )
        for sub_text, sub_status in subs:
            services.cause_add(
                analysis=analysis,
                category=bones[code],
                text=sub_text,
                status=sub_status,
                parent=cause,
            )
    category = RootCauseCategory.objects.get(code="environment-third-party-works")
    services.analysis_conclude(
        analysis=analysis,
        conclusion=(
            "The spike came from contractor road works that reversed the flow; "
            "our permit procedure neither warns network control nor triggers "
            "flushing of the mains afterwards."
        ),
        verified_root_causes=(
            "Excavation permits do not require notifying the water utility\n"
            "No procedure to flush the mains after third-party works"
        ),
        root_cause_category=category,
        apply_to_cases=True,
        by=lead,
    )
    # The analysis took a few weeks after the spike.
    RootCauseAnalysis.objects.filter(pk=analysis.pk).update(
        created_at=local_midnight(next_month) + datetime.timedelta(days=3),
        concluded_at=local_midnight(next_month) + datetime.timedelta(days=24),
    )
    return analysis


def _open_analysis(lead, team) -> RootCauseAnalysis:
    meter = Category.objects.filter(code__contains="meter").first()
    cases = []
    if meter is not None:
        cases = list(
            Case.objects.filter(
                category=meter,
                received_at__gte=timezone.now() - datetime.timedelta(days=60),
            )[:5]
        )
    analysis = services.analysis_create(
        title=OPEN_TITLE,
        problem_what="Customers dispute bills based on estimated meter readings.",
        problem_where="Billing, all districts.",
        problem_when="The last two months.",
        problem_how_many=f"{len(cases)} cases so far.",
        lead=lead,
        team=team,
        cases=cases,
        by=lead,
    )
    services.why_step_add(
        analysis=analysis,
        question="Why was the bill based on an estimate?",
        answer="The remote reading failed for the meter.",
        evidence="Reading log shows no value for the month.",
    )
    bones = {c.code: c for c in IshikawaCategory.objects.all()}
    services.cause_add(
        analysis=analysis,
        category=bones["systems"],
        text="Remote-reading modems lose signal",
    )
    services.cause_add(
        analysis=analysis,
        category=bones["information"],
        text="Letter does not say the reading was estimated",
    )
    return analysis
