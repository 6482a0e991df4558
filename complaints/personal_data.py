"""The complaints area's personal data for qms.personal_data: a customer's
cases (linked, or sent from their e-mail address) and their messages; how
they are anonymised; and the retention period after closure."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms import personal_data
from qms.personal_data import Record, Source, scrub

from .models import Case, Message

CASE_TEXT = ("subject", "description", "remedy_sought")


def _cases_of(customer):
    match = Q(customer=customer)
    if customer.email:
        match |= Q(contact_email__iexact=customer.email)
    return Case.objects.filter(match)


def records(customer) -> list[Record]:
    """The customer's cases and each message of them (two queries)."""
    cases = list(_cases_of(customer).select_related("channel").order_by("received_at"))
    found = []
    for case in cases:
        found.append(
            Record(
                source="complaints.case",
                label=case.reference,
                url=case.get_absolute_url(),
                at=case.received_at,
                data={
                    "reference": case.reference,
                    "kind": case.get_kind_display(),
                    "status": case.get_status_display(),
                    "channel": str(case.channel),
                    "contact_name": case.contact_name,
                    "contact_email": case.contact_email,
                    "contact_phone": case.contact_phone,
                    "subject": case.subject,
                    "description": case.description,
                    "remedy_sought": case.remedy_sought,
                    "decision_reasons": case.decision_reasons,
                },
            )
        )
    messages = Message.objects.filter(case__in=[c.pk for c in cases]).select_related(
        "case"
    )
    for message in messages.order_by("at"):
        if message.direction not in (
            Message.Direction.INCOMING,
            Message.Direction.OUTGOING,
        ):
            continue  # internal notes are not the customer's correspondence
        found.append(
            Record(
                source="complaints.message",
                label=f"{message.case.reference}: {message.subject}",
                url=message.case.get_absolute_url(),
                at=message.at,
                data={
                    "case": message.case.reference,
                    "direction": message.get_direction_display(),
                    "from": message.from_address,
                    "to": message.to_address,
                    "subject": message.subject,
                    "body": message.body,
                },
            )
        )
    return found


def _anonymise_cases(cases, *names: str) -> int:
    """Blank the contact fields, scrub contact data from the free text of the
    cases, their messages and their change history; keep everything else."""
    now = timezone.now()
    count = 0
    for case in cases:
        known = (*names, case.contact_name)
        fields = {
            "contact_name": "",
            "contact_email": "",
            "contact_phone": "",
            "anonymised_at": now,
        }
        for name in CASE_TEXT:
            fields[name] = scrub(getattr(case, name), *known)
        # update(): no history row with the personal data, no auto timestamps.
        Case.objects.filter(pk=case.pk).update(**fields)
        for message in case.messages.all():
            Message.objects.filter(pk=message.pk).update(
                subject=scrub(message.subject, *known),
                body=scrub(message.body, *known),
                from_address=(
                    ""
                    if message.direction == Message.Direction.INCOMING
                    else message.from_address
                ),
                to_address=(
                    ""
                    if message.direction == Message.Direction.OUTGOING
                    else message.to_address
                ),
            )
        for old in Case.history.filter(id=case.pk):
            old.contact_name = old.contact_email = old.contact_phone = ""
            for name in CASE_TEXT:
                setattr(old, name, scrub(getattr(old, name), *known))
            old.save()
        count += 1
    return count


def anonymise(customer) -> int:
    cases = _cases_of(customer).prefetch_related("messages")
    return _anonymise_cases(cases, customer.name, customer.contact_person)


def expire(cutoff: datetime.datetime) -> int:
    """Anonymise cases closed before ``cutoff`` (once each)."""
    cases = Case.objects.filter(
        closed_at__lt=cutoff, anonymised_at__isnull=True
    ).prefetch_related("messages")
    return _anonymise_cases(cases)


def register_sources() -> None:
    personal_data.register(
        Source(
            key="complaints.case",
            label=_("Complaint cases and their messages"),
            records=records,
            anonymise=anonymise,
            expire=expire,
        )
    )


# Found at start-up by the core's autodiscovery (qms.apps).
register_sources()
