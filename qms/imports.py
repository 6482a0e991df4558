"""Reading a CSV file for an import: the header checked against the columns an
importer knows, the data rows numbered as a spreadsheet shows them (the
header is row 1), and errors as (row, column, message)."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

ERR_EMPTY_FILE = _("The file has no header row.")
ERR_NO_ROWS = _("The file has no data rows.")
ERR_MISSING_COLUMN = _("The column is missing from the header.")
ERR_UNKNOWN_COLUMN = _("Unknown column.")

RowError = tuple[int, str, str]


@dataclass
class ImportResult:
    """What an import found: the rows it read (for the preview), the errors
    as (row, column, message) and how many records it created."""

    rows: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class CellError(Exception):
    """A value an importer refuses, with the column it came from."""

    def __init__(self, column: str, message) -> None:
        super().__init__(str(message))
        self.column = column
        self.message = str(message)


def delimiter(header_line: str) -> str:
    """Comma, or semicolon as spreadsheets in Estonian locales write it."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_table(
    text: str, *, required: Collection[str], known: Collection[str]
) -> tuple[list[str], list[tuple[int, list[str]]], list[RowError]]:
    """Header, non-empty data rows with their row numbers, and header errors.
    With any error the rows are empty: nothing should be imported."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [], [(1, "", str(ERR_EMPTY_FILE))]
    records = csv.reader(io.StringIO(text), delimiter=delimiter(lines[0]))
    header = [name.strip() for name in next(records)]
    errors: list[RowError] = [
        (1, column, str(ERR_MISSING_COLUMN))
        for column in required
        if column not in header
    ]
    errors += [
        (1, column, str(ERR_UNKNOWN_COLUMN)) for column in header if column not in known
    ]
    if errors:
        return header, [], errors
    rows = [
        (number, values)
        for number, values in enumerate(records, start=2)
        if any(value.strip() for value in values)
    ]
    if not rows:
        return header, [], [(1, "", str(ERR_NO_ROWS))]
    return header, rows, []
