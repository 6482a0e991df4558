"""Restore a backup made by `manage.py backup` into an empty database and
check that every record and file came back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qms import backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder into the (empty, not migrated) database of "
        "DATABASE_URL and into MEDIA_ROOT, then verify it against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")

    def handle(self, *args, folder, **options):
        source = Path(folder)
        if not (source / backup.MANIFEST).exists():
            raise CommandError(f"{source} holds no {backup.MANIFEST}")
        try:
            manifest = backup.restore(source)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        problems = backup.verify(manifest)
        if problems:
            raise CommandError(
                "The restore is incomplete:\n" + "\n".join(map(str, problems))
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {sum(manifest['tables'].values())} rows, "
                f"{len(manifest['files'])} files."
            )
        )
