"""Bounds on the moments people and clients type, shared by every way in (forms,
imports, the API), so a date no calendar page or export can show never gets
stored. Messages are module constants shared by code and tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No quality record of the organisation is older; earlier years also fall
# outside what some local time zones (and so pages and exports) can show.
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
# The last moment a planned date (a review, a deadline) may fall on: later
# years are typing slips, and the year 9999 leaves no room for time-zone
# arithmetic.
LATEST = datetime.datetime(2099, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)
# Clock difference tolerated between a client and the server.
CLOCK_SKEW = datetime.timedelta(minutes=5)

# Amounts of money as the database keeps them (the amount columns of a case).
MONEY_MAX_DIGITS = 12
MONEY_DECIMAL_PLACES = 2
MONEY_MAX = Decimal("9999999999.99")

ERR_BEFORE_1900 = _("Enter a time in 1900 or later.")
ERR_AFTER_2099 = _("Enter a time in 2099 or earlier.")
ERR_IN_FUTURE = _("This time cannot be in the future.")


def validate_from_1900(value: datetime.datetime | None) -> None:
    if value is not None and value < EARLIEST:
        raise ValidationError(ERR_BEFORE_1900, code="before_1900")


def validate_past_moment(value: datetime.datetime | None) -> None:
    """A moment that has happened: from 1900 on and not later than now (give
    or take the clock skew)."""
    if value is None:
        return
    validate_from_1900(value)
    if value > timezone.now() + CLOCK_SKEW:
        raise ValidationError(ERR_IN_FUTURE, code="in_future")
