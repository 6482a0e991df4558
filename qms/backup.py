"""Backup and restore of the database and the uploaded files.

A backup is one folder holding

- ``database.dump`` — PostgreSQL: ``pg_dump --format=custom`` (restored with
  ``pg_restore``); SQLite: ``database.sqlite3``, a consistent copy made with
  SQLite's online backup API;
- ``media.tar.gz`` — everything under ``MEDIA_ROOT`` (attachments, evidence,
  issued report PDFs);
- ``manifest.json`` — when, which engine, the number of rows of every table
  and the list of stored files with their sizes, so a restore can be checked.

Quality records are evidence: the restore check (``verify``) compares the
restored database and files with the manifest and names anything missing.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models import FileField

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media.tar.gz"


class BackupError(Exception):
    pass


@dataclass
class Problem:
    what: str
    expected: object
    found: object

    def __str__(self) -> str:
        return f"{self.what}: expected {self.expected}, found {self.found}"


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def table_counts(alias: str = "default") -> dict[str, int]:
    """Rows per table of every installed model (one COUNT per table)."""
    connection = connections[alias]
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table not in existing:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def stored_files(alias: str = "default") -> list[str]:
    """Names (relative to MEDIA_ROOT) of every file a record points at."""
    names: set[str] = set()
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, FileField)]
        for field in fields:
            values = (
                model._default_manager.using(alias)
                .exclude(**{field.name: ""})
                .exclude(**{f"{field.name}__isnull": True})
                .values_list(field.name, flat=True)
            )
            names.update(v for v in values if v)
    return sorted(names)


def create(target: Path, *, alias: str = "default") -> dict:
    """Write a backup into the empty or new folder ``target``; return its
    manifest."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    db = connections[alias].settings_dict
    engine = connections[alias].vendor
    if engine == "postgresql":
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *_pg_args(db),
                "--file",
                str(target / PG_DUMP),
                str(db["NAME"]),
            ],
            check=True,
            env=_pg_env(db),
            capture_output=True,
        )
    elif engine == "sqlite":
        connections[alias].ensure_connection()
        source = connections[alias].connection
        destination = sqlite3.connect(target / SQLITE_COPY)
        with destination:
            source.backup(destination)
        destination.close()
    else:
        raise BackupError(f"no backup procedure for {engine}")
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    files = stored_files(alias)
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": engine,
        "tables": table_counts(alias),
        "files": {
            name: (media_root / name).stat().st_size
            for name in files
            if (media_root / name).exists()
        },
        "missing_at_backup": [n for n in files if not (media_root / n).exists()],
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def restore(source: Path, *, alias: str = "default", media_root: Path | None = None):
    """Restore the backup in ``source`` into the (empty) database ``alias``
    and the folder ``media_root`` (default MEDIA_ROOT)."""
    manifest = json.loads((source / MANIFEST).read_text())
    connection = connections[alias]
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"the backup is of {manifest['engine']}, the database is "
            f"{connection.vendor}"
        )
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *_pg_args(db),
                "--dbname",
                str(db["NAME"]),
                str(source / PG_DUMP),
            ],
            check=True,
            env=_pg_env(db),
            capture_output=True,
        )
    else:
        connection.ensure_connection()
        backup = sqlite3.connect(source / SQLITE_COPY)
        with backup:
            backup.backup(connection.connection)
        backup.close()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA, "r:gz") as archive:
        staging = media_root.parent / f".restore-{os.getpid()}"
        archive.extractall(staging, filter="data")
        extracted = staging / "media"
        if extracted.exists():
            shutil.copytree(extracted, media_root, dirs_exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def verify(
    manifest: dict, *, alias: str = "default", media_root: Path | None = None
) -> list[Problem]:
    """What the restored database and files lack compared with the backup's
    manifest (an empty list: everything is there)."""
    problems = []
    counts = table_counts(alias)
    for table, expected in manifest["tables"].items():
        found = counts.get(table)
        if found != expected:
            problems.append(Problem(f"rows in {table}", expected, found))
    media_root = Path(media_root or settings.MEDIA_ROOT)
    for name, size in manifest["files"].items():
        path = media_root / name
        found = path.stat().st_size if path.exists() else None
        if found != size:
            problems.append(Problem(f"file {name}", size, found))
    return problems
