"""The sample of an approved wave and its participants: drawn from the
target groups' segments or imported from a file, bounced invitations, and
opting out."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.imports import Importer, ImportResult, Row
from qms.models import Customer, Segment
from qms.parsers import Lookup

from .. import aggregates
from ..models import LANGUAGES, Participant, Wave

S = Wave.Status
D = Participant.Disposition

ERR_NOT_APPROVED = _("Nothing can be sent before the plan is approved.")
ERR_IMPORT_EMAIL = _("Not a valid e-mail address.")
ERR_IMPORT_GROUP = _("No target group with this name in the plan.")
ERR_IMPORT_LANGUAGE = _("Language must be et, en or ru.")
ERR_IMPORT_CUSTOMER = _("No customer with this number.")
ERR_IMPORT_DUPLICATE = _("This address is already a participant of the wave.")
ERR_IMPORT_NO_CONSENT = _("The customer has declined surveys.")


def _check_approved(wave: Wave) -> None:
    if wave.status not in (S.APPROVED, S.FIELDWORK):
        raise ValidationError(ERR_NOT_APPROVED)


def eligible_customers(wave: Wave, segment: Segment):
    """Customers of a segment who may be invited: consent to surveys, and an
    e-mail address (and e-mail consent) when invitations go by e-mail."""
    customers = Customer.objects.filter(segments=segment, consent_surveys=True)
    if wave.mode in (Wave.Mode.EMAIL, Wave.Mode.WEB_LINK):
        customers = customers.filter(consent_email=True).exclude(email="")
    elif wave.mode == Wave.Mode.PHONE:
        customers = customers.filter(consent_phone=True).exclude(phone="")
    return customers


def draw_order(
    seed: int, group_name: str, candidate_ids: list[int], k: int
) -> list[int]:
    """A reproducible simple random sample without replacement of ``k`` ids:
    the same seed, group and candidates always give the same ids."""
    rng = random.Random(f"{seed}:{group_name}")
    ids = sorted(candidate_ids)
    return rng.sample(ids, min(k, len(ids)))


@transaction.atomic
def sample_draw(*, wave: Wave) -> int:
    """Draw each group's invitations from its segment's eligible customers
    (census: all of them) and create the participants. Drawing again adds
    nobody already drawn; groups already filled are left as they are."""
    _check_approved(wave)
    taken = set(
        wave.participants.exclude(customer=None).values_list("customer_id", flat=True)
    )
    per_group = dict(
        wave.participants.values("group")
        .annotate(n=Count("id"))
        .values_list("group", "n")
    )
    created: list[Participant] = []
    expires = _expires_at(wave)
    for group in wave.groups.exclude(segment=None).order_by("name"):
        wanted = group.invitations - per_group.get(group.pk, 0)
        if wanted <= 0:
            continue
        candidates = [
            pk
            for pk in eligible_customers(wave, group.segment).values_list(
                "pk", flat=True
            )
            if pk not in taken
        ]
        if wave.sampling == Wave.Sampling.CENSUS:
            chosen = sorted(candidates)
        else:
            chosen = draw_order(wave.sample_seed, group.name, candidates, wanted)
        customers = Customer.objects.in_bulk(chosen)
        for pk in chosen:
            customer = customers[pk]
            taken.add(pk)
            created.append(
                Participant(
                    wave=wave,
                    group=group,
                    customer=customer,
                    email=customer.email,
                    language=customer.preferred_language or "et",
                    expires_at=expires,
                )
            )
    Participant.objects.bulk_create(created, batch_size=500)
    return len(created)


def _expires_at(wave: Wave) -> datetime.datetime | None:
    if not wave.closes_on:
        return None
    end = datetime.datetime.combine(
        wave.closes_on + datetime.timedelta(days=1), datetime.time.min
    )
    return timezone.make_aware(end)


IMPORT_COLUMNS = ("email", "group", "language", "customer")
IMPORT_REQUIRED = ("email",)


class ParticipantImporter(Importer):
    """Participants of an approved wave: an e-mail address (not one of the
    wave's yet), optionally a target group by name, a language and a
    customer number (a customer who has not declined surveys)."""

    columns = IMPORT_COLUMNS
    required_columns = IMPORT_REQUIRED
    model = Participant

    def __init__(self, *, wave: Wave) -> None:
        self.wave = wave

    def prepare(self) -> None:
        wave = self.wave
        self.groups = Lookup(
            wave.groups.all(), "name", message=ERR_IMPORT_GROUP, casefold=True
        )
        self.existing = {
            e.casefold() for e in wave.participants.values_list("email", flat=True)
        }
        self.customers = Lookup(
            Customer.objects.filter(reference__in=self.values_of("customer")),
            "reference",
            message=ERR_IMPORT_CUSTOMER,
        )
        self.taken_customers = set(
            wave.participants.exclude(customer=None).values_list(
                "customer_id", flat=True
            )
        )

    def build(self, row: Row) -> dict | None:
        email = row.email("email", required=True, message=ERR_IMPORT_EMAIL)
        if email and email.casefold() in self.existing:
            row.error("email", ERR_IMPORT_DUPLICATE)
        group = row.lookup("group", self.groups)
        language = row.choice(
            "language", LANGUAGES, default="et", message=ERR_IMPORT_LANGUAGE
        )
        customer = row.lookup("customer", self.customers)
        if customer is not None:
            if not customer.consent_surveys:
                row.error("customer", ERR_IMPORT_NO_CONSENT)
            elif customer.pk in self.taken_customers:
                row.error("customer", ERR_IMPORT_DUPLICATE)
        if not row.ok:
            return None
        self.existing.add(email.casefold())
        if customer:
            self.taken_customers.add(customer.pk)
        return {
            "email": email,
            "group": group,
            "language": language,
            "customer": customer,
        }

    def preview(self, row: Row, participant: dict) -> dict:
        return participant

    def save(self, participants: list[dict]) -> None:
        expires = _expires_at(self.wave)
        Participant.objects.bulk_create(
            [
                Participant(wave=self.wave, expires_at=expires, **p)
                for p in participants
            ],
            batch_size=500,
        )


def participants_import(*, wave: Wave, text: str, dry_run: bool) -> ImportResult:
    """Participants from a CSV (email; optional group, language, customer
    number). Every row is checked; nothing is saved unless all rows are valid
    and ``dry_run`` is false."""
    _check_approved(wave)
    return ParticipantImporter(wave=wave).run(text, dry_run=dry_run)


def participant_bounced(*, participant: Participant) -> Participant:
    """Staff record that the invitation could not be delivered."""
    if participant.disposition in (D.COMPLETE,):
        return participant
    with transaction.atomic():
        participant.disposition = D.BOUNCED
        participant.save(update_fields=["disposition"])
        # Response rates of a closed wave are stored with its aggregates.
        aggregates.invalidate([participant.wave_id])
    return participant


@dataclass
class BounceResult:
    marked: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)


ERR_BOUNCE_UNKNOWN = _("No participant of this wave has this address.")


class BounceImporter(Importer):
    """Addresses of the wave's participants whose invitations bounced."""

    columns = required_columns = ("email",)

    def __init__(self, *, wave: Wave) -> None:
        self.wave = wave

    def prepare(self) -> None:
        self.by_email = {
            email.casefold(): pk
            for pk, email in self.wave.participants.exclude(email="").values_list(
                "pk", "email"
            )
        }

    def build(self, row: Row) -> int | None:
        pk = self.by_email.get(row.get("email").casefold())
        if pk is None:
            row.error("email", ERR_BOUNCE_UNKNOWN)
        return pk

    def save(self, found: list[int]) -> int:
        marked = (
            self.wave.participants.filter(pk__in=found)
            .exclude(disposition=D.COMPLETE)
            .update(disposition=D.BOUNCED)
        )
        if marked:
            aggregates.invalidate([self.wave.pk])
        return marked


def bounces_import(*, wave: Wave, text: str) -> BounceResult:
    """Mark the participants whose invitations bounced, from a CSV with an
    ``email`` column (e.g. the mail server's bounce report). Rows with an
    unknown address are reported; nothing is marked unless all are known."""
    result = BounceImporter(wave=wave).run(text, dry_run=False)
    return BounceResult(marked=result.created, errors=result.errors)


def participant_opt_out(*, participant: Participant) -> Participant:
    """The participant declines: no further reminders, and the customer's
    survey consent is withdrawn so no later wave invites them."""
    with transaction.atomic():
        if participant.disposition != D.COMPLETE:
            participant.disposition = D.OPTED_OUT
            participant.draft = {}
            participant.save(update_fields=["disposition", "draft"])
            aggregates.invalidate([participant.wave_id])
        if participant.customer_id:
            Customer.objects.filter(pk=participant.customer_id).update(
                consent_surveys=False, consent_updated_at=timezone.now()
            )
    return participant
