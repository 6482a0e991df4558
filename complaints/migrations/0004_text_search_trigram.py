"""Trigram indexes for the work queue's free-text search on PostgreSQL.

Django's icontains becomes ``UPPER(col) LIKE UPPER('%text%')``, which a B-tree
cannot serve; a GIN trigram index on ``UPPER(col)`` can. SQLite has no such
index and needs none at its scale, so this does nothing there. Creating the
pg_trgm extension needs a privileged role; without it the search still works,
only slower, and the migration says so instead of failing.
"""

import logging

from django.db import migrations, transaction

log = logging.getLogger(__name__)

COLUMNS = ["subject", "description", "contact_name"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001 - any refusal means "no extension"
        log.warning("pg_trgm not available, text search stays unindexed: %s", error)
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS case_{column}_trgm "
            f"ON complaints_case USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS case_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_queue_sort_indexes")]

    operations = [migrations.RunPython(create, drop)]
