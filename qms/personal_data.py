"""Personal data across the apps: find a customer's records, export them
(subject access), erase them on request and apply retention periods.

Each app that stores personal data registers a :class:`Source` in its
``AppConfig.ready`` (see complaints/personal_data.py)::

    personal_data.register(Source(
        key="complaints.case",
        label=_("Complaint cases"),
        records=cases_of,          # (customer) -> list[Record]
        anonymise=anonymise_for,   # (customer) -> int, records changed
        expire=anonymise_closed_before,  # (cutoff datetime) -> int, optional
    ))

Anonymising keeps the record and its statistics (kind, category, dates,
outcome, amounts) and replaces the personal fields and contact data inside
free text. The customer record itself is handled here.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ERASED = "[erased]"
ERR_ALREADY_ERASED = _("This customer's personal data has already been erased.")
ERR_REASON_REQUIRED = _("Say why the data is erased (e.g. the customer's request).")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers: 7+ digits, optionally with +, spaces, dashes or brackets.
_PHONE = re.compile(r"(?<![\w(])\(?\+?\d[\d\s().-]{5,}\d(?!\w)")


@dataclass(frozen=True)
class Record:
    """One record holding the customer's data, as a page lists it and an
    export writes it."""

    source: str
    label: str
    url: str
    at: datetime.datetime | datetime.date | None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    key: str
    label: Any
    records: Callable[[Any], list[Record]]
    anonymise: Callable[[Any], int]
    expire: Callable[[datetime.datetime], int] | None = None


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    _SOURCES[source.key] = source


def sources() -> list[Source]:
    return list(_SOURCES.values())


def scrub(text: str, *names: str) -> str:
    """``text`` with e-mail addresses, phone numbers and the given names
    replaced by ``[erased]``: the contact data people type into free text."""
    if not text:
        return text
    text = _EMAIL.sub(ERASED, text)
    text = _PHONE.sub(ERASED, text)
    for name in names:
        if name and len(name.strip()) >= 3:
            text = re.sub(re.escape(name.strip()), ERASED, text, flags=re.IGNORECASE)
    return text


# --- The customer record ------------------------------------------------------

CUSTOMER_FIELDS = [
    "reference",
    "kind",
    "name",
    "registry_code",
    "contact_person",
    "email",
    "phone",
    "address",
    "preferred_language",
    "consent_surveys",
    "consent_email",
    "consent_phone",
    "notes",
    "created_at",
]


def customer_data(customer) -> dict[str, Any]:
    data = {name: getattr(customer, name) for name in CUSTOMER_FIELDS}
    data["segments"] = [str(s) for s in customer.segments.all()]
    return data


def find_records(customer) -> dict[Source, list[Record]]:
    """Every registered source's records of ``customer`` (one or a few
    queries per source)."""
    return {source: source.records(customer) for source in sources()}


def export_json(customer) -> str:
    payload = {
        "customer": customer_data(customer),
        "exported_at": timezone.now(),
        "records": {
            source.key: [{"label": r.label, "at": r.at, **r.data} for r in records]
            for source, records in find_records(customer).items()
        },
    }
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def export_csv(customer) -> str:
    """Long format: one row per field of every record (source, record, field,
    value), so records of any shape fit one table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["source", "record", "date", "field", "value"])
    encoder = DjangoJSONEncoder()

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        return str(encoder.default(value)) if not isinstance(value, int) else str(value)

    for name, value in customer_data(customer).items():
        writer.writerow(["customer", customer.reference, "", name, text(value)])
    for source, records in find_records(customer).items():
        for record in records:
            for name, value in record.data.items():
                writer.writerow(
                    [source.key, record.label, text(record.at), name, text(value)]
                )
    return buffer.getvalue()


@transaction.atomic
def erase_customer(*, customer, by, reason: str):
    """Anonymise the customer and every registered source's records of them;
    keep what statistics need; log who, when, why and how much. Returns the
    :class:`~qms.models.ErasureLog` entry."""
    from django.core.exceptions import ValidationError

    from qms.models import Customer, ErasureLog

    if not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.erased_at is not None:
        raise ValidationError(ERR_ALREADY_ERASED)
    counts = {source.key: source.anonymise(customer) for source in sources()}
    customer.name = f"{ERASED} {customer.reference}"
    customer.registry_code = ""
    customer.contact_person = ""
    customer.email = ""
    customer.phone = ""
    customer.address = ""
    customer.notes = ""
    customer.consent_surveys = False
    customer.consent_email = False
    customer.consent_phone = False
    customer.erased_at = timezone.now()
    customer.save()
    # The change history kept the old values: it goes too.
    customer.history.all().delete()
    return ErasureLog.objects.create(
        customer=customer,
        customer_reference=customer.reference,
        by=by,
        reason=reason.strip(),
        counts=counts,
    )


def retention_days() -> dict[str, int]:
    return dict(settings.PERSONAL_DATA_RETENTION_DAYS)


def apply_retention(now: datetime.datetime | None = None) -> dict[str, int]:
    """Anonymise what is older than its record type's retention period;
    ``{source key: records anonymised}``. Safe to run twice."""
    now = now or timezone.now()
    done = {}
    periods = retention_days()
    for source in sources():
        days = periods.get(source.key)
        if source.expire is None or not days:
            continue
        with transaction.atomic():
            done[source.key] = source.expire(now - datetime.timedelta(days=days))
    return done
