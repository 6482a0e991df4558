"""Import historical cases from a CSV file (all rows or none)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaints.importing import import_cases


class Command(BaseCommand):
    help = (
        "Import historical cases from a CSV file. Every row is checked first; "
        "nothing is saved unless all rows are valid. No e-mail is sent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="CSV file (UTF-8, , or ;)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file, save nothing."
        )

    def handle(self, *args, path: Path, dry_run: bool = False, **options) -> None:
        try:
            with path.open("rb") as file:
                result = import_cases(file, dry_run=dry_run, by=None)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        for row, column, message in result.errors:
            where = f"row {row}" + (f", column {column}" if column else "")
            self.stderr.write(f"{where}: {message}")
        if result.errors:
            raise CommandError(
                f"{len(result.errors)} problem(s) found; nothing was imported."
            )
        if dry_run:
            self.stdout.write(f"{len(result.rows)} case(s) valid; nothing saved.")
        else:
            self.stdout.write(f"{result.created} case(s) imported.")
