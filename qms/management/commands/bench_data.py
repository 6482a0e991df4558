"""Fill the database with benchmark data at a chosen scale (issue 10)."""

from __future__ import annotations

import random

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from bench.generators import REGISTRY
from bench.generators.base import (
    BenchContext,
    Timer,
    context_from_database,
    holds_data,
)
from qms import demo

SEED = 20_100
# SQLite holds the generator's own test run, not a benchmark.
SQLITE_MAX_SCALE = 0.001
ERR_NOT_EMPTY = (
    "The database already holds cases or bench data; run with --reset to "
    "truncate the QMS tables the generators fill, or use an empty database."
)
ERR_AREA_NOT_EMPTY = (
    "An area asked for already holds data; add --reset to truncate its tables."
)
ERR_SQLITE = (
    f"On SQLite only scales up to {SQLITE_MAX_SCALE} are allowed (and no "
    "--reset); benchmark against PostgreSQL."
)


class Command(BaseCommand):
    help = (
        "Generate benchmark data (scale 1: 50,000 customers, 1,000,000 cases "
        "over ten years, …) with COPY, deterministically."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=0.01, help="1 = full size (default 0.01)"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Truncate the tables the generators fill before generating.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds cases (make bench).",
        )
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument(
            "--areas",
            nargs="+",
            choices=[area.key for area in REGISTRY],
            help="Generate only these areas, on top of what the database holds "
            "(e.g. surveys at another scale than the cases); --reset then "
            "truncates only their tables.",
        )

    def handle(
        self,
        *args,
        scale: float,
        reset: bool,
        if_empty: bool,
        seed: int,
        areas: list[str] | None = None,
        **options,
    ) -> None:
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        postgres = connection.vendor == "postgresql"
        if not postgres and (scale > SQLITE_MAX_SCALE or reset):
            raise CommandError(ERR_SQLITE)
        chosen = [a for a in REGISTRY if not areas or a.key in areas]
        if reset:
            self._reset(chosen)
        elif areas:
            if any(_holds_rows(area) for area in chosen):
                raise CommandError(ERR_AREA_NOT_EMPTY)
        elif holds_data():
            if if_empty:
                self.stdout.write("The database already holds data; kept as it is.")
                return
            raise CommandError(ERR_NOT_EMPTY)
        total = Timer()
        # The demo organisation's letters never reach a mailbox.
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
            ),
            transaction.atomic(),
        ):
            step = Timer()
            ctx = BenchContext(
                scale=scale,
                now=timezone.now().replace(microsecond=0),
                demo=demo.seed(),
                out=self.stdout.write,
            )
            self._line("demo organisation", step.seconds, "units, roles, logins")
            if areas and "core" not in areas:
                context_from_database(ctx)
            for number, area in enumerate(REGISTRY):
                if area not in chosen:
                    continue
                missing = area.missing()
                if missing:
                    self._line(area.key, None, f"not available ({', '.join(missing)})")
                    continue
                step = Timer()
                before = dict(ctx.counts)
                area.generate(connection, scale, random.Random(seed + number), ctx)
                made = ", ".join(
                    f"{n - before.get(what, 0):,} {what}"
                    for what, n in ctx.counts.items()
                    if n != before.get(what, 0)
                )
                self._line(area.key, step.seconds, made)
        if postgres and not connection.in_atomic_block:
            # Fresh statistics and visibility maps (index-only scans) for the
            # first request rather than after autovacuum gets round to it.
            # Not inside a transaction that will be rolled back (the test
            # suite's): VACUUM cannot run there, and ANALYZE writes each
            # table's row count in place, which outlives the rollback, so
            # later tests would be planned for rows that are gone.
            step = Timer()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self._line("vacuum analyze", step.seconds, "")
        self.stdout.write(
            f"Bench data at scale {scale} ready in {total.seconds:.1f} s "
            f"(demo logins: password {demo.DEMO_PASSWORD})."
        )

    def _line(self, area: str, seconds: float | None, what: str) -> None:
        took = f"{seconds:7.1f} s" if seconds is not None else "      — "
        self.stdout.write(f"{area:<18} {took}  {what}")

    def _reset(self, chosen) -> None:
        tables = []
        for area in chosen:
            for label in area.resets:
                try:
                    model = apps.get_model(label)
                except (LookupError, ValueError):
                    continue
                tables.append(model._meta.db_table)
                history = getattr(model, "history", None)
                if history is not None:
                    tables.append(history.model._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            if any(area.key == "core" for area in chosen):
                get_user_model().objects.filter(
                    username__startswith="bench-agent-"
                ).delete()
        self.stdout.write(f"Truncated {len(tables)} tables (and what refers to them).")


def _holds_rows(area) -> bool:
    for label in area.resets:
        try:
            if apps.get_model(label).objects.exists():
                return True
        except (LookupError, ValueError):
            continue
    return False
