"""One generator per area, run in this order by ``manage.py bench_data``.

A generator is ``generate(conn, scale, rng, ctx)``: ``conn`` is Django's
database connection, ``scale`` the share of the full size (1 = a large
organisation's ten years), ``rng`` a seeded ``random.Random`` of its own and
``ctx`` the :class:`~bench.generators.base.BenchContext` earlier generators
filled. ``requires`` names the models the area must have; an area whose app
has no such models yet is skipped (reported as "not available"), so the hooks
below light up once the app ships its models and a module
``bench/generators/<area>.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@dataclass(frozen=True)
class Area:
    key: str
    size: str  # what the area holds at scale 1, for the report
    requires: tuple[str, ...]  # "app_label.Model" that must exist
    # Models (and their history tables) that --reset truncates, with CASCADE.
    resets: tuple[str, ...] = ()
    module: str = ""  # default: bench.generators.<key>

    @property
    def module_name(self) -> str:
        return self.module or f"bench.generators.{self.key}"

    def missing(self) -> list[str]:
        """What keeps this area from running (empty when it can run)."""
        absent = []
        for label in self.requires:
            try:
                apps.get_model(label)
            except (LookupError, ValueError):
                absent.append(label)
        if not absent and find_spec(self.module_name) is None:
            absent.append(self.module_name)
        return absent

    def generate(self, conn, scale, rng, ctx) -> None:
        import_module(self.module_name).generate(conn, scale, rng, ctx)


REGISTRY: list[Area] = [
    Area(
        "core",
        "50,000 customers in segments, 40 agents",
        ("qms.Customer",),
        resets=("qms.Customer",),
    ),
    Area(
        "complaints",
        "1,000,000 cases over 10 years with transitions and messages",
        ("complaints.Case", "complaints.Transition", "complaints.Message"),
        resets=("complaints.Case", "complaints.CaseSequence"),
    ),
    Area(
        "improvements",
        "5,000 plans with actions",
        ("improvements.Plan",),
        resets=("improvements.Plan", "improvements.Proposal"),
    ),
    Area("needs", "2,000 needs", ("needs.Need",), resets=("needs.Need",)),
    Area(
        "promises",
        "11 promises, 200,000 fulfilment events",
        ("promises.FulfilmentEvent",),
        resets=("promises.Promise",),
    ),
    Area(
        "evaluations",
        "100,000 evaluations with their criterion scores",
        ("standards.Evaluation", "standards.CriterionScore"),
        resets=("standards.Evaluation",),
    ),
    Area(
        "surveys",
        "21 waves, 500,000 responses with 10,000,000 answers, 20,000 fresh links",
        ("surveys.Wave", "surveys.Response", "surveys.Answer"),
        resets=("surveys.Series",),
    ),
    Area(
        "reports",
        "a draft quarterly management report",
        ("reports.Report",),
        resets=("reports.Report",),
    ),
]
