"""Trigram index on customer names for the complaint work queue's search.

The queue's free-text search (complaints.filters.CaseFilter.search) matches
cases whose customer's name contains the text, through a subquery on
qms_customer; at 50,000 customers that subquery was a sequential scan on
every search request (issue 10, benchmark). As complaints 0004 does for the
case columns: PostgreSQL only, and without pg_trgm the search still works,
only slower.
"""

import logging

from django.db import migrations, transaction

log = logging.getLogger(__name__)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001 - any refusal means "no extension"
        log.warning("pg_trgm not available, customer search stays unindexed: %s", error)
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS customer_name_trgm "
        "ON qms_customer USING gin (UPPER(name) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customer_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("qms", "0004_quality_managers_manage_personal_data")]

    operations = [migrations.RunPython(create, drop)]
