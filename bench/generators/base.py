"""Fast bulk writes shared by the area generators.

Rows are plain tuples in a declared column order. On PostgreSQL they go in
through ``COPY … FROM STDIN`` (psycopg 3); elsewhere (SQLite, tiny scales in the
test suite only) through ``executemany``. Primary keys are assigned by the
generator, so related rows can point at them without reading anything back;
:func:`reset_sequences` moves the identity sequences past them afterwards.
"""

from __future__ import annotations

import datetime
import decimal
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone


@dataclass
class BenchContext:
    """What earlier generators made, for later ones to point at."""

    scale: float
    now: datetime.datetime
    demo: object  # qms.demo.DemoContext: demo users, units, segments, services
    users: dict[str, int] = field(default_factory=dict)  # username → id
    handlers: list[int] = field(default_factory=list)
    customer_ids: range = range(0)
    case_ids: range = range(0)
    counts: dict[str, int] = field(default_factory=dict)
    out: object = None  # a callable taking a line of progress text

    def count(self, what: str, n: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out(text)


def scaled(full: int, scale: float, minimum: int = 1) -> int:
    """The size of a table at ``scale`` (``full`` at scale 1)."""
    return max(minimum, round(full * scale))


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def first_id(model: type[models.Model]) -> int:
    """The first primary key a generator may use for ``model``."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {model._meta.db_table}")
        (highest,) = cursor.fetchone()
    return (highest or 0) + 1


def _constant_defaults(model, columns: Sequence[str]) -> tuple[list[str], tuple]:
    """Columns the generator leaves out, with their model default (a constant
    per run: blank text, False, 0, the current time for auto_now fields)."""
    now = timezone.now()
    extra_cols, extra_vals = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in columns:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif isinstance(f, models.CharField | models.TextField | models.FileField):
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{f.name} needs a value")
        if isinstance(value, dict | list):
            value = json.dumps(value)
        extra_cols.append(f.column)
        extra_vals.append(value)
    return extra_cols, tuple(extra_vals)


def _sqlite_value(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def write(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[tuple],
    *,
    table: str | None = None,
) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``model``'s table;
    columns left out get their model default. Returns the number of rows."""
    table = table or model._meta.db_table
    extra_cols, extra_vals = (
        _constant_defaults(model, columns)
        if table == model._meta.db_table
        else ([], ())
    )
    all_cols = [*columns, *extra_cols]
    quoted = ", ".join(connection.ops.quote_name(c) for c in all_cols)
    n = 0
    if is_postgres():
        raw = connection.connection  # psycopg.Connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row + extra_vals if extra_vals else row)
                n += 1
        return n
    placeholders = ", ".join(["%s"] * len(all_cols))
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(_sqlite_value(v) for v in row + extra_vals))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n


def reset_sequences(*models_: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextmanager
def indexes_deferred(*models_: type[models.Model]) -> Iterator[None]:
    """Drop the secondary indexes of the tables being filled and build them
    again afterwards: one sort per index instead of millions of inserts into
    it (the trigram indexes of the work queue's search above all). Indexes
    backing a constraint (primary and unique keys) stay. PostgreSQL only."""
    if not is_postgres():
        yield
        return
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # Django's foreign keys are deferred: check the new rows now, as
            # CREATE INDEX refuses a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in found:
                cursor.execute(definition)


def analyze(*models_: type[models.Model]) -> None:
    """Fresh planner statistics for the new rows. Not inside a transaction
    that will be rolled back (the test suite's): ANALYZE writes the table's
    row count in place, which outlives the rollback, and later tests would
    be planned for rows that are gone."""
    if not is_postgres() or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for m in models_:
            cursor.execute(f"ANALYZE {m._meta.db_table}")


def weighted(rng: random.Random, table: dict) -> Iterator:
    """An endless stream of keys of ``table`` drawn by their weights."""
    keys, weights = list(table), list(table.values())
    while True:
        yield from rng.choices(keys, weights=weights, k=4096)


class Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start


def holds_data() -> bool:
    """Whether the database already holds cases or bench customers."""
    from complaints.models import Case
    from qms.models import Customer

    return (
        Case.objects.exists()
        or Customer.objects.filter(reference__startswith="B-").exists()
    )


def context_from_database(ctx: BenchContext) -> None:
    """What the core and complaints generators would have told later ones,
    read back from a database they filled earlier (``--areas``)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Max, Min

    from complaints.models import Case
    from qms.models import Customer

    User = get_user_model()
    for username, user in ctx.demo.users.items():
        ctx.users[username] = user.pk
    bench_staff = User.objects.filter(username__startswith="bench-agent-")
    ctx.handlers = [ctx.users[u] for u in ("agent", "agent2", "lead")] + list(
        bench_staff.order_by("pk").values_list("pk", flat=True)
    )
    customers = Customer.objects.filter(reference__startswith="B-").aggregate(
        low=Min("pk"), high=Max("pk")
    )
    if customers["low"] is not None:
        ctx.customer_ids = range(customers["low"], customers["high"] + 1)
    cases = Case.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if cases["low"] is not None:
        ctx.case_ids = range(cases["low"], cases["high"] + 1)
