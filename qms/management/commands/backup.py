"""Back up the database and the uploaded files into one folder (see
qms/backup.py and the README, "Backup and restore")."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qms import backup


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT into a new folder."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="the folder to write (default var/backups/<timestamp>)",
        )

    def handle(self, *args, output=None, **options):
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(output or Path("var") / "backups" / stamp)
        try:
            manifest = backup.create(target)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {target}: {rows} rows in "
            f"{len(manifest['tables'])} tables, {len(manifest['files'])} files."
        )
        if manifest["missing_at_backup"]:
            self.stdout.write(
                self.style.WARNING(
                    "Records point at files that were already missing: "
                    + ", ".join(manifest["missing_at_backup"])
                )
            )
