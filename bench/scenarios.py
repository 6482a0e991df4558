"""What the benchmark measures: one row per scenario.

A scenario names its URL by URL name; when the name does not resolve (the app
that serves it is not merged yet) the runner reports it as "not available"
instead of failing, so the later areas' rows light up by themselves. Fixtures
(a case reference, a category, a wave…) come from :func:`bench.runner.fixtures`;
a scenario whose fixture is missing is skipped the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

_counter = itertools.count()


@dataclass(frozen=True)
class Target:
    p95_ms: float | None = None  # 95th percentile latency at most
    rps: float | None = None  # throughput at least


QUEUE = Target(p95_ms=150)
PAGE = Target(p95_ms=150)
CREATE = Target(rps=150)
MONITORING = Target(p95_ms=500)
REPORT = Target(p95_ms=10_000)


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    url_name: str
    user: str | None  # demo username; None = anonymous (public pages)
    target: Target = field(default_factory=Target)
    method: str = "GET"
    # f(fixtures) -> reverse() args; raises KeyError when a fixture is missing.
    args: Callable[[dict], list] = lambda fx: []
    # f(fixtures, n) -> reverse() args of request n, for scenarios whose every
    # request needs its own URL (a personal survey link answers once).
    args_each: Callable[[dict, int], list] | None = None
    # f(fixtures, n) -> query string parameters / form or JSON body.
    params: Callable[[dict, int], dict] = lambda fx, n: {}
    data: Callable[[dict, int], dict] | None = None
    json: bool = False
    ok: tuple[int, ...] = (200,)
    # Slow scenarios (report builds) get fewer requests.
    max_requests: int | None = None


def _staff_case(fx: dict, n: int) -> dict:
    return {
        "kind": "complaint",
        "channel": fx["channel_phone"],
        "received_at": fx["now_local"],
        "language": "et",
        "subject": f"Bench intake {n}",
        "description": "Water has been brown since Monday; bench intake.",
        "severity": "medium",
        "priority": "normal",
        "org_unit": fx["unit_contact_centre"],
        "category": fx["category_leaf"],
        "contact_name": "Bench Caller",
        "contact_phone": "+372 5555 0000",
    }


def _api_case(fx: dict, n: int) -> dict:
    return {
        "kind": "complaint",
        "channel": "chatbot",
        "subject": f"Bench API intake {n}",
        "description": "I asked three times and got no useful answer.",
        "contact_name": "Jaan Tamm",
        "contact_email": "jaan@example.com",
        "language": "en",
    }


def _public_case(fx: dict, n: int) -> dict:
    return {
        "kind": "complaint",
        "name": "Mari Maasikas",
        "email": f"bench{n}@example.com",
        "phone": "",
        "subject": "Late invoice",
        "description": "My invoice arrived two weeks late (bench).",
        "remedy_sought": "",
        "consent": "on",
        "website": "",
    }


def _case_ref(fx: dict) -> list:
    return [fx["case_references"][next(_counter) % len(fx["case_references"])]]


SCENARIOS: list[Scenario] = [
    Scenario("queue", "Work queue, default", "complaints:case-list", "quality", QUEUE),
    Scenario(
        "queue_filtered",
        "Work queue, status + category",
        "complaints:case-list",
        "quality",
        QUEUE,
        params=lambda fx, n: {
            "status": ["investigating", "acknowledged", "decided"],
            "category": fx["category_parent"],
        },
    ),
    Scenario(
        "queue_search",
        "Work queue, free-text search",
        "complaints:case-list",
        "quality",
        QUEUE,
        params=lambda fx, n: {"q": fx["search_term"]},
    ),
    Scenario(
        "queue_page200",
        "Work queue, page 200",
        "complaints:case-list",
        "quality",
        QUEUE,
        params=lambda fx, n: {"page": 200},
    ),
    Scenario(
        "queue_staff",
        "Work queue, service staff (unit scope)",
        "complaints:case-list",
        "agent",
        QUEUE,
    ),
    Scenario(
        "case_page",
        "Case page",
        "complaints:case-detail",
        "quality",
        PAGE,
        args=lambda fx: _case_ref(fx),
    ),
    Scenario(
        "case_create",
        "Case creation (staff form POST)",
        "complaints:case-create",
        "agent",
        CREATE,
        method="POST",
        data=_staff_case,
        ok=(302,),
    ),
    Scenario(
        "case_create_api",
        "Case creation (API POST)",
        "api:case-list",
        "quality",
        CREATE,
        method="POST",
        data=_api_case,
        json=True,
        ok=(201,),
    ),
    Scenario(
        "public_form",
        "Public complaint form POST",
        "complaints_public:case-create",
        None,
        CREATE,
        method="POST",
        data=_public_case,
        ok=(302,),
    ),
    Scenario(
        "monitoring",
        "Complaints monitoring, 12 months",
        "complaints:monitoring",
        "quality",
        MONITORING,
    ),
    Scenario(
        "improvements",
        "Improvement plans list",
        "improvements:plan-list",
        "quality",
    ),
    # The issue sets no target for these lists; measured to watch them.
    Scenario("needs", "Needs registry list", "needs:need-list", "quality"),
    Scenario(
        "survey_answer",
        "Public survey answer POST (personal link)",
        "surveys_public:answer",
        None,
        CREATE,
        method="POST",
        args=lambda fx: [fx["survey_tokens"][0]],
        # A fresh token per request: each personal link answers once.
        args_each=lambda fx, n: [fx["survey_tokens"][n % len(fx["survey_tokens"])]],
        data=lambda fx, n: fx["survey_answer"],
        ok=(302,),
    ),
    Scenario(
        "wave_results",
        "Survey wave results (25,000 responses)",
        "surveys:wave-results",
        "quality",
        MONITORING,
        args=lambda fx: [fx["big_wave"]],
    ),
    Scenario(
        "dashboard", "Executive dashboard", "reports:dashboard", "exec", MONITORING
    ),
    Scenario(
        "report_pdf",
        "Quarterly report build + PDF (draft)",
        "reports:report-pdf",
        "quality",
        REPORT,
        args=lambda fx: [fx["quarterly_report"]],
        max_requests=5,
    ),
    Scenario(
        "evaluation_results",
        "Evaluation results page",
        "standards:results",
        "quality",
        MONITORING,
    ),
    Scenario(
        "promise_monitoring",
        "Promise page (indicator monitoring)",
        "promises:promise-detail",
        "quality",
        MONITORING,
        args=lambda fx: [fx["promise"]],
    ),
    Scenario(
        "promise_list",
        "Promise list (fulfilment of each)",
        "promises:promise-list",
        "quality",
        MONITORING,
    ),
]
