"""The cell parsers every import (and any other way in) reads values with: a
date, a moment, a whole or decimal number, an amount of money, a choice, an
e-mail address or a record named by its code. Each takes the cell's text
(stripped) and returns its value, or ``default`` for an empty cell unless
``required``; bad input raises a ``ValidationError`` a user can read, so
hostile text (a formula, a 10,000-character cell, the year 1, ``1e309``,
``NaN``) is refused or kept as text, never a crash. Bounds come from
:mod:`qms.bounds`; messages are module constants shared by code and tests.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import (
    DecimalValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    validate_email,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.bounds import (
    CLOCK_SKEW,
    EARLIEST,
    ERR_AFTER_2099,
    ERR_BEFORE_1900,
    LATEST,
    MONEY_DECIMAL_PLACES,
    MONEY_MAX,
    MONEY_MAX_DIGITS,
)

ERR_REQUIRED = _("A value is required.")
ERR_DATE = _("Not a date: use YYYY-MM-DD or DD.MM.YYYY.")
ERR_MOMENT = _("Not a date: use YYYY-MM-DD, YYYY-MM-DD HH:MM or DD.MM.YYYY.")
ERR_FUTURE = _("The date is in the future.")
ERR_NUMBER = _("Not a number.")
ERR_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
ERR_UNKNOWN_CODE = _("Nothing has the code “%(value)s”.")
ERR_EMAIL = _("Enter a valid e-mail address.")

ISO_DATE = ("%Y-%m-%d",)
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
# Tried before ISO 8601 (which ``fromisoformat`` reads, with or without time).
MOMENT_FORMATS = (*DATE_FORMATS, "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S")

# What an integer column holds on every database the project runs on.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Beyond this a float column no longer holds whole numbers exactly.
DECIMAL_MAX = Decimal(10) ** 15
# A number longer than this is not one somebody typed (and ``int`` refuses
# strings of thousands of digits).
_NUMBER_MAX_CHARS = 40
_INTEGER_RE = re.compile(r"[+-]?[0-9]+")
# How much of a refused value an error message repeats.
_SHOWN_CHARS = 40


def shown(value: str) -> str:
    """A cell's text as an error message repeats it: a long one shortened."""
    if len(value) <= _SHOWN_CHARS:
        return value
    return value[: _SHOWN_CHARS - 1] + "…"


def _empty(required: bool, default):
    if required:
        raise ValidationError(ERR_REQUIRED, code="required")
    return default


def parse_text(
    text: str, *, required: bool = False, max_length: int | None = None
) -> str:
    """Text as given (a formula stays text: exports neutralise it), at most
    ``max_length`` characters."""
    if not text:
        return _empty(required, "")
    if max_length is not None:
        MaxLengthValidator(max_length)(text)
    return text


def _check_day(day: datetime.date, *, past: bool) -> None:
    if day < EARLIEST.date():
        raise ValidationError(ERR_BEFORE_1900, code="before_1900")
    if past and day > timezone.localdate():
        raise ValidationError(ERR_FUTURE, code="future")
    if day > LATEST.date():
        raise ValidationError(ERR_AFTER_2099, code="after_2099")


def _strptime(text: str, formats: Iterable[str]) -> datetime.datetime | None:
    for fmt in formats:
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def parse_date(
    text: str,
    *,
    required: bool = False,
    default=None,
    formats: Sequence[str] = DATE_FORMATS,
    message=ERR_DATE,
    past: bool = False,
) -> datetime.date | None:
    """A date in one of ``formats``, from 1900 to 2099 (and not after today
    when ``past``)."""
    if not text:
        return _empty(required, default)
    parsed = _strptime(text, formats)
    if parsed is None:
        raise ValidationError(message, code="invalid")
    _check_day(parsed.date(), past=past)
    return parsed.date()


def parse_moment(
    text: str,
    *,
    required: bool = False,
    formats: Sequence[str] = MOMENT_FORMATS,
    message=ERR_MOMENT,
    past: bool = False,
) -> datetime.datetime | None:
    """A date with an optional time, in one of ``formats`` or ISO 8601, as an
    aware date-time (a bare date means its start, in the local time zone),
    from 1900 to 2099 (and not later than now when ``past``)."""
    if not text:
        return _empty(required, None)
    moment = _strptime(text, formats)
    if moment is None:
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(message, code="invalid") from None
    # The bounds are checked on the date as written, before any time-zone
    # arithmetic, which overflows at the years 1 and 9999 (a day's margin for
    # a time written with another zone's offset).
    if past and moment.date() > timezone.localdate() + datetime.timedelta(days=1):
        raise ValidationError(ERR_FUTURE, code="future")
    _check_day(moment.date(), past=False)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment < EARLIEST:
        raise ValidationError(ERR_BEFORE_1900, code="before_1900")
    if past and moment > timezone.now() + CLOCK_SKEW:
        raise ValidationError(ERR_FUTURE, code="future")
    return moment


def _bounded(value, minimum, maximum, message) -> None:
    validators = []
    if minimum is not None:
        validators.append(MinValueValidator(minimum))
    if maximum is not None:
        validators.append(MaxValueValidator(maximum))
    for validator in validators:
        try:
            validator(value)
        except ValidationError:
            if message is not None:
                raise ValidationError(message, code="invalid") from None
            raise


def parse_integer(
    text: str,
    *,
    required: bool = False,
    default: int | None = None,
    minimum: int | None = INT_MIN,
    maximum: int | None = INT_MAX,
    message=None,
) -> int | None:
    """A whole number from ``minimum`` to ``maximum`` (by default what an
    integer column holds). ``message``, when given, is the one error for
    anything else; otherwise a bound names itself."""
    if not text:
        return _empty(required, default)
    if len(text) > _NUMBER_MAX_CHARS or not _INTEGER_RE.fullmatch(text):
        raise ValidationError(message or ERR_NUMBER, code="invalid")
    value = int(text)
    _bounded(value, minimum, maximum, message)
    return value


def parse_decimal(
    text: str,
    *,
    required: bool = False,
    default: Decimal | None = None,
    minimum: Decimal | int | None = -DECIMAL_MAX,
    maximum: Decimal | int | None = DECIMAL_MAX,
    max_digits: int | None = None,
    decimal_places: int | None = None,
    message=None,
) -> Decimal | None:
    """A finite number, with a point or a decimal comma, within the bounds
    (and the digits of a decimal column when given)."""
    if not text:
        return _empty(required, default)
    try:
        if len(text) > _NUMBER_MAX_CHARS:
            raise InvalidOperation
        value = Decimal(text.replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(message or ERR_NUMBER, code="invalid") from None
    if not value.is_finite():  # NaN, sNaN, Infinity
        raise ValidationError(message or ERR_NUMBER, code="invalid")
    _bounded(value, minimum, maximum, message)
    if max_digits is not None or decimal_places is not None:
        DecimalValidator(max_digits, decimal_places)(value)
    return value


def parse_money(
    text: str,
    *,
    required: bool = False,
    default: Decimal | None = None,
    minimum: Decimal | int | None = 0,
    maximum: Decimal = MONEY_MAX,
) -> Decimal | None:
    """An amount in euros (``1 234,50``, ``€ 12``), with at most cents, as the
    amount columns keep it."""
    for character in ("€", " ", "\u00a0", "\u202f"):
        text = text.replace(character, "")
    if not text:
        return _empty(required, default)
    value = parse_decimal(
        text,
        minimum=minimum,
        maximum=maximum,
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
    )
    return value.quantize(Decimal(1).scaleb(-MONEY_DECIMAL_PLACES))


def _pairs(choices) -> list[tuple[str, str]]:
    items = getattr(choices, "choices", choices)
    return [
        (str(item[0]), str(item[1])) if isinstance(item, tuple) else (item, item)
        for item in items
    ]


def parse_choice(
    text: str,
    choices,
    *,
    required: bool = True,
    default: str | None = None,
    message=ERR_CHOICE,
) -> str | None:
    """The value of a choice (a ``TextChoices`` class, ``(value, label)``
    pairs or plain values) given by its value or its label in the current
    language, in any case. An empty cell gives ``default`` when there is one."""
    if not text:
        if default is not None:
            return default
        return _empty(required, None)
    pairs = _pairs(choices)
    for value, _label in pairs:
        if text == value:
            return value
    folded = text.casefold()
    for value, label in pairs:
        if folded in (value.casefold(), label.casefold()):
            return value
    values = ", ".join(value for value, _label in pairs)
    raise ValidationError(
        message % {"value": shown(text), "choices": values}, code="invalid_choice"
    )


def parse_email(
    text: str, *, required: bool = False, max_length: int = 254, message=ERR_EMAIL
) -> str:
    if not text:
        return _empty(required, "")
    try:
        MaxLengthValidator(max_length)(text)
        validate_email(text)
    except ValidationError:
        raise ValidationError(message, code="invalid") from None
    return text


class Lookup:
    """The records of one table by their name (a code, a username, …): read
    with one query the first time a row needs one, then kept for the rest of
    the import, so a long file costs one query per table, not one per row.

    ``keys`` are the attributes a record is found by (dotted for a related
    record's; several keys: any of them); ``message`` is the error for an
    unknown name (it may repeat it as ``%(value)s``); ``casefold`` ignores
    case."""

    def __init__(
        self,
        queryset,
        *keys: str,
        message=ERR_UNKNOWN_CODE,
        casefold: bool = False,
    ) -> None:
        self.queryset = queryset
        self.keys = [operator.attrgetter(key) for key in keys or ("code",)]
        self.message = message
        self.casefold = casefold
        self._table: dict[str, Any] | None = None

    def _name(self, value) -> str:
        name = str(value)
        return name.casefold() if self.casefold else name

    def table(self) -> dict[str, Any]:
        """Runs the query the first time."""
        if self._table is None:
            self._table = {}
            for record in self.queryset:
                for key in self.keys:
                    self._table.setdefault(self._name(key(record)), record)
        return self._table

    def get(self, text: str):
        """The record named ``text``, or None."""
        return self.table().get(self._name(text))

    def parse(self, text: str, *, required: bool = False):
        if not text:
            return _empty(required, None)
        record = self.get(text)
        if record is None:
            raise ValidationError(
                self.message % {"value": shown(text)}, code="invalid_choice"
            )
        return record
