"""One kernel for the CSV imports of every area.

An import is a small subclass of :class:`Importer` that declares its columns
and how a row becomes a record. The base reads the file (UTF-8, comma or
semicolon), checks the header, numbers the data rows as a spreadsheet shows
them (the header is row 1), reports errors as (row, column, message) and
saves every record in one transaction, or none: nothing is saved when any row
has an error, nor on a dry run (which still previews what would be created).
A row reads its cells with the parsers of :mod:`qms.parsers`.
"""

from __future__ import annotations

import csv
import datetime
import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qms.parsers import (
    Lookup,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_email,
    parse_integer,
    parse_moment,
    parse_money,
    parse_text,
)

ERR_EMPTY_FILE = _("The file has no header row.")
ERR_NO_ROWS = _("The file has no data rows.")
ERR_MISSING_COLUMN = _("The column is missing from the header.")
ERR_UNKNOWN_COLUMN = _("Unknown column.")
ERR_ENCODING = _("The file is not UTF-8 text.")
ERR_TOO_MANY_VALUES = _("The row has more values than the header has columns.")

RowError = tuple[int, str, str]


# --- Reading the file -----------------------------------------------------------


@dataclass
class ImportResult:
    """What an import found: the header, the rows it read (the preview: what a
    dry run would create), the errors as (row, column, message) and how many
    records it created."""

    header: list[str] = field(default_factory=list)
    rows: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def saved(self) -> int:
        """The records created (the word the standards pages use)."""
        return self.created


class CellError(Exception):
    """A value an importer refuses, with the column it came from."""

    def __init__(self, column: str, message) -> None:
        super().__init__(str(message))
        self.column = column
        self.message = str(message)


def read_text(source: IO | bytes | str) -> str:
    """The text of an uploaded file, bytes or text, without a byte-order mark.
    Raises ``UnicodeDecodeError`` for a file that is not UTF-8."""
    data = source.read() if hasattr(source, "read") else source
    if isinstance(data, bytes):
        return data.decode("utf-8-sig")
    return data.removeprefix("\ufeff")


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


def errors_by_column(
    error: ValidationError, columns: Collection[str]
) -> list[tuple[str, str]]:
    """A model's or service's refusal as (column, message); a field that is no
    column of the file (or the whole record) is reported without one."""
    if hasattr(error, "error_dict"):
        return [
            (name if name in columns else "", message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in error.messages]


# --- Rows and the importer ----------------------------------------------------------


class Row:
    """One data row: its number as a spreadsheet shows it, its cells by
    column (stripped) and the errors found in them. Each parsing method
    records a bad cell as an error of its column and gives None, so one pass
    reports every bad cell of the row."""

    def __init__(
        self, number: int, values: dict[str, str], max_lengths: dict | None = None
    ) -> None:
        self.number = number
        self.values = values
        self.errors: list[tuple[str, str]] = []
        self._max_lengths = max_lengths or {}

    @property
    def ok(self) -> bool:
        return not self.errors

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def error(self, column: str, message) -> None:
        self.errors.append((column, str(message)))

    def cell(self, column: str, parse: Callable, *args, on_error=None, **options):
        """``parse(text, *args, **options)`` on the column's text."""
        try:
            return parse(self.get(column), *args, **options)
        except ValidationError as error:
            for message in error.messages:
                self.error(column, message)
            return on_error

    def text(self, column: str, *, required=False, max_length=None) -> str:
        """Text, at most as long as the model field of the same name allows."""
        if max_length is None:
            max_length = self._max_lengths.get(column)
        return self.cell(
            column, parse_text, required=required, max_length=max_length, on_error=""
        )

    def date(self, column: str, **options) -> datetime.date | None:
        return self.cell(column, parse_date, **options)

    def moment(self, column: str, **options) -> datetime.datetime | None:
        return self.cell(column, parse_moment, **options)

    def integer(self, column: str, **options) -> int | None:
        return self.cell(column, parse_integer, **options)

    def decimal(self, column: str, **options) -> Decimal | None:
        return self.cell(column, parse_decimal, **options)

    def money(self, column: str, **options) -> Decimal | None:
        return self.cell(column, parse_money, **options)

    def choice(self, column: str, choices, **options) -> str | None:
        return self.cell(column, parse_choice, choices, **options)

    def email(self, column: str, **options) -> str:
        return self.cell(column, parse_email, on_error="", **options)

    def lookup(self, column: str, lookup: Lookup, *, required: bool = False):
        return self.cell(column, lookup.parse, required=required)


class _RollBack(Exception):
    pass


class Importer(ABC):
    """Read a CSV file, check every row, and save all records or none.

    A subclass declares ``columns`` and ``required_columns``, optionally the
    ``model`` whose fields' ``max_length`` bound the text columns of the same
    name, and implements :meth:`build` (one row → one unsaved record, using
    the row's parsers) and :meth:`save`. Hooks: :meth:`prepare` (look-ups and
    what is already stored, once per file), :meth:`clean` (the model's own
    checks), :meth:`check_all` (rules across rows), :meth:`preview`.
    """

    columns: Sequence[str] = ()
    required_columns: Sequence[str] = ()
    model = None
    # A row with more values than the header has columns is refused.
    refuse_extra_values = False
    # The preview shows every row, bad ones included (else only good ones).
    preview_every_row = False
    # :meth:`build` saves each record (with a service's full checks) inside
    # one transaction, rolled back unless every row is good and it is no dry
    # run; :meth:`save` then has nothing left to do.
    checks_by_saving = False

    rows: list[Row]

    def known_columns(self) -> Collection[str]:
        return self.columns

    # --- hooks ---

    def prepare(self) -> None:
        """Set up look-ups once per file (``self.rows`` are read)."""
        return None  # a hook: nothing to do unless a subclass says

    @abstractmethod
    def build(self, row: Row):
        """An unsaved record from ``row``, or None when the row has errors
        (recorded on the row, or raised as CellError or ValidationError)."""

    def clean(self, record, row: Row) -> None:
        """The model's own checks; raise ValidationError to refuse the row."""
        return None  # a hook: nothing to do unless a subclass says

    def check_all(self, built: list[tuple[Row, Any]]) -> None:
        """Rules across the good rows; record errors on the rows."""
        return None  # a hook: nothing to do unless a subclass says

    def preview(self, row: Row, record):
        return (row.number, record)

    @abstractmethod
    def save(self, records: list) -> int | None:
        """Save the records (in the import's transaction); return how many
        were created or changed when that is not one per record."""

    # --- the run ---

    def values_of(self, column: str) -> set[str]:
        """The distinct non-empty values of a column, for a look-up limited to
        the records the file names."""
        return {row.get(column) for row in self.rows} - {""}

    def run(self, source: IO | bytes | str, *, dry_run: bool) -> ImportResult:
        """Check every row and, unless ``dry_run`` or any row is wrong, save
        all records in one transaction."""
        result = ImportResult()
        try:
            text = read_text(source)
        except UnicodeDecodeError:
            result.errors.append((1, "", str(ERR_ENCODING)))
            return result
        if not self.checks_by_saving:
            records = self._check(text, result)
            if result.ok and not dry_run:
                with transaction.atomic():
                    result.created = self._save(records)
            return result
        try:
            with transaction.atomic():
                records = self._check(text, result)
                if dry_run or not result.ok:
                    raise _RollBack
                result.created = self._save(records)
        except _RollBack:
            pass
        return result

    def _save(self, records: list) -> int:
        count = self.save(records)
        return len(records) if count is None else count

    def _max_lengths(self) -> dict[str, int]:
        if self.model is None:
            return {}
        return {
            f.name: f.max_length
            for f in self.model._meta.get_fields()
            if getattr(f, "max_length", None) and f.name in self.known_columns()
        }

    def _check(self, text: str, result: ImportResult) -> list:
        header, numbered, errors = read_table(
            text, required=self.required_columns, known=self.known_columns()
        )
        result.header = header
        if errors:
            result.errors.extend(errors)
            return []
        lengths = self._max_lengths()
        self.rows = []
        for number, values in numbered:
            cells = {
                name: (values[i].strip() if i < len(values) else "")
                for i, name in enumerate(header)
            }
            row = Row(number, cells, lengths)
            if self.refuse_extra_values and len(values) > len(header):
                row.error("", ERR_TOO_MANY_VALUES)
            self.rows.append(row)
        self.prepare()
        built = []
        for row in self.rows:
            record = self._build(row) if row.ok else None
            if row.ok and record is not None:
                built.append((row, record))
                result.rows.append(self.preview(row, record))
            elif self.preview_every_row:
                result.rows.append(self.preview(row, None))
        self.check_all(built)
        result.errors.extend(
            (row.number, column, message)
            for row in self.rows
            for column, message in row.errors
        )
        return [record for _row, record in built]

    def _build(self, row: Row):
        record = None
        try:
            record = self.build(row)
            if row.ok:
                if record is None:
                    raise TypeError(f"{type(self).__name__}.build gave no record")
                self.clean(record, row)
        except CellError as error:
            row.error(error.column, error.message)
        except ValidationError as error:
            for column, message in errors_by_column(error, self.known_columns()):
                row.error(column, message)
        return record if row.ok else None
