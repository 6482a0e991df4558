"""Writes of the surveys area: questionnaires, the survey plan and its
approval, the sample, invitations and reminders, and submitted answers.

Every status change of a wave goes through :func:`wave_transition`; every
answer (personal link, public link, staff entry) goes through
:func:`response_submit`.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from qms import statistics
from qms.imports import ImportResult, read_table
from qms.models import Customer, Segment
from qms.workflow import Action, Workflow

from . import aggregates
from .followups import create_follow_ups
from .models import (
    LANGUAGES,
    Answer,
    Option,
    Participant,
    Question,
    Questionnaire,
    Response,
    Section,
    Series,
    TargetGroup,
    Wave,
    WaveTransition,
)

S = Wave.Status
D = Participant.Disposition
logger = logging.getLogger(__name__)

ERR_TRANSITION = _("A wave cannot go from “%(from)s” to “%(to)s”.")
ERR_MAY_NOT_APPROVE = _("Only someone allowed to approve survey plans may do this.")
ERR_NO_GROUPS = _("The plan needs at least one target group.")
ERR_NO_QUESTIONS = _("The questionnaire has no questions yet.")
ERR_PLAN_READ_ONLY = _("The plan is approved and can no longer be changed.")
ERR_NOT_APPROVED = _("Nothing can be sent before the plan is approved.")
ERR_NOT_IN_FIELDWORK = _("Invitations go out only while the wave is in fieldwork.")
ERR_LOCKED = _(
    "This questionnaire version already has answers and is locked; make a new "
    "version to change it."
)
ERR_CODE_TAKEN = _("Another question of this version already has this code.")
ERR_SHOW_IF_LATER = _("A question can only depend on an earlier question.")
ERR_SHOW_IF_TYPE = _(
    "Conditions work on scale and single-choice questions (compared by value)."
)
ERR_ALREADY_ANSWERED = _("This survey has already been answered with this link.")
ERR_SERIES_QUESTIONNAIRE = _("The questionnaire belongs to another series.")
ERR_CLOSES_BEFORE_OPENS = _("Fieldwork cannot end before it starts.")
ERR_REMINDER_DAYS = _("Reminder days are whole numbers of days after the invitation.")
ERR_POPULATION = _("The population of a group must be at least 1.")
ERR_IMPORT_EMAIL = _("Not a valid e-mail address.")
ERR_IMPORT_GROUP = _("No target group with this name in the plan.")
ERR_IMPORT_LANGUAGE = _("Language must be et, en or ru.")
ERR_IMPORT_CUSTOMER = _("No customer with this number.")
ERR_IMPORT_DUPLICATE = _("This address is already a participant of the wave.")
ERR_IMPORT_NO_CONSENT = _("The customer has declined surveys.")

# Statuses in which the plan (groups, sampling, dates…) may be edited.
EDITABLE = frozenset({S.DRAFT})
# Dispositions that still wait for an answer (reminders go to these).
WAITING = (D.INVITED, D.OPENED, D.PARTIAL)


# --- Questionnaire ---------------------------------------------------------


def _check_unlocked(questionnaire: Questionnaire) -> None:
    if questionnaire.locked:
        raise ValidationError(ERR_LOCKED)


def questionnaire_create(
    *, series: Series, title: str, by, intro_en: str = "", intro_et: str = "",
    intro_ru: str = "",
) -> Questionnaire:  # fmt: skip
    last = series.questionnaires.order_by("-version").first()
    questionnaire = Questionnaire(
        series=series,
        version=(last.version + 1) if last else 1,
        title=title,
        intro_en=intro_en,
        intro_et=intro_et,
        intro_ru=intro_ru,
        created_by=by,
    )
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire


def questionnaire_save(*, questionnaire: Questionnaire) -> Questionnaire:
    if questionnaire.pk:
        stored = Questionnaire.objects.get(pk=questionnaire.pk)
        _check_unlocked(stored)
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire


def section_save(*, section: Section) -> Section:
    _check_unlocked(section.questionnaire)
    section.full_clean()
    section.save()
    return section


def section_delete(*, section: Section) -> None:
    _check_unlocked(section.questionnaire)
    section.delete()


def question_save(*, question: Question) -> Question:
    """Validate and save a question of an unlocked version: a unique code, and
    a condition only on an earlier scale or single-choice question."""
    questionnaire = question.questionnaire
    _check_unlocked(questionnaire)
    taken = questionnaire.questions.filter(code=question.code)
    if question.pk:
        taken = taken.exclude(pk=question.pk)
    if taken.exists():
        raise ValidationError({"code": ERR_CODE_TAKEN})
    if question.show_if_id:
        parent = question.show_if
        if parent.questionnaire_id != questionnaire.pk or parent.pk == question.pk:
            raise ValidationError({"show_if": ERR_SHOW_IF_LATER})
        if parent.type not in Question.INTEGER_TYPES:
            raise ValidationError({"show_if": ERR_SHOW_IF_TYPE})
        if _position(parent) >= _position(question):
            raise ValidationError({"show_if": ERR_SHOW_IF_LATER})
        question.show_if_values = sorted({int(v) for v in question.show_if_values})
    else:
        question.show_if_values = []
    question.full_clean(validate_constraints=False)
    question.save()
    return question


def _position(question: Question) -> tuple[int, int, int]:
    section = question.section
    return (
        section.order if section else 10**6,
        question.order,
        question.pk or 10**9,
    )


def question_delete(*, question: Question) -> None:
    _check_unlocked(question.questionnaire)
    question.delete()


def option_save(*, option: Option) -> Option:
    _check_unlocked(option.question.questionnaire)
    option.full_clean()
    option.save()
    return option


def option_delete(*, option: Option) -> None:
    _check_unlocked(option.question.questionnaire)
    option.delete()


@transaction.atomic
def questionnaire_new_version(*, questionnaire: Questionnaire, by) -> Questionnaire:
    """Copy a version with its sections, questions (same codes), conditions and
    options into the next version number, unlocked."""
    last = questionnaire.series.questionnaires.order_by("-version").first()
    copy = Questionnaire.objects.create(
        series=questionnaire.series,
        version=last.version + 1,
        title=questionnaire.title,
        intro_en=questionnaire.intro_en,
        intro_et=questionnaire.intro_et,
        intro_ru=questionnaire.intro_ru,
        based_on=questionnaire,
        created_by=by,
    )
    section_map: dict[int, Section] = {}
    for section in questionnaire.sections.all():
        old_pk = section.pk
        section.pk = None
        section.questionnaire = copy
        section.save()
        section_map[old_pk] = section
    question_map: dict[int, Question] = {}
    old_questions = list(
        questionnaire.questions.prefetch_related("options", "promises")
    )
    for question in old_questions:
        old_pk = question.pk
        options = list(question.options.all())
        promises = list(question.promises.all())
        show_if_id = question.show_if_id
        question.pk = None
        question.questionnaire = copy
        question.section = section_map.get(question.section_id)
        question.show_if = None
        question.save()
        question._old_show_if = show_if_id
        # The prefetched links belong to the old row.
        question._prefetched_objects_cache = {}
        question.promises.add(*promises)
        question_map[old_pk] = question
        Option.objects.bulk_create(
            [
                Option(
                    question=question,
                    order=o.order,
                    value=o.value,
                    label_en=o.label_en,
                    label_et=o.label_et,
                    label_ru=o.label_ru,
                )
                for o in options
            ]
        )
    for question in question_map.values():
        if question._old_show_if:
            question.show_if = question_map[question._old_show_if]
            question.save(update_fields=["show_if"])
    return copy


# --- Series and the plan ---------------------------------------------------


def series_save(*, series: Series) -> Series:
    series.full_clean()
    series.save()
    return series


def segment_population(segment: Segment) -> int:
    """The default population of a group: the segment's customers (one query)."""
    return Customer.objects.filter(segments=segment).count()


def _check_editable(wave: Wave) -> None:
    if wave.pk and wave.status not in EDITABLE:
        raise ValidationError(ERR_PLAN_READ_ONLY)


def wave_save(*, wave: Wave, by=None) -> Wave:
    """Create or edit a wave's plan (drafts only); recomputes the sample."""
    if wave.pk:
        stored = Wave.objects.get(pk=wave.pk)
        _check_editable(stored)
        wave.status = stored.status
    else:
        wave.created_by = by
        if not wave.sample_seed:
            wave.sample_seed = random.SystemRandom().randrange(1, 2**31)
    if wave.questionnaire_id and wave.questionnaire.series_id != wave.series_id:
        raise ValidationError({"questionnaire": ERR_SERIES_QUESTIONNAIRE})
    if wave.opens_on and wave.closes_on and wave.closes_on < wave.opens_on:
        raise ValidationError({"closes_on": ERR_CLOSES_BEFORE_OPENS})
    try:
        wave.reminder_days = sorted({int(d) for d in wave.reminder_days or []})
    except (TypeError, ValueError) as exc:
        raise ValidationError({"reminder_days": ERR_REMINDER_DAYS}) from exc
    if any(d < 1 for d in wave.reminder_days):
        raise ValidationError({"reminder_days": ERR_REMINDER_DAYS})
    wave.full_clean()
    with transaction.atomic():
        wave.save()
        plan_compute(wave=wave)
    return wave


def group_save(
    *, wave: Wave, name: str, segment: Segment | None = None,
    population: int | None = None, group: TargetGroup | None = None,
) -> TargetGroup:  # fmt: skip
    """Add (or edit) a target group; the population defaults to the number of
    the segment's customers."""
    _check_editable(wave)
    if population is None and segment is not None:
        population = segment_population(segment)
    if not population or population < 1:
        raise ValidationError({"population": ERR_POPULATION})
    group = group or TargetGroup(wave=wave)
    group.segment = segment
    group.name = name
    group.population = population
    group.full_clean()
    with transaction.atomic():
        group.save()
        plan_compute(wave=wave)
    group.refresh_from_db(fields=["required_sample", "invitations"])
    return group


def group_delete(*, group: TargetGroup) -> None:
    wave = group.wave
    _check_editable(wave)
    with transaction.atomic():
        group.delete()
        plan_compute(wave=wave)


@dataclass(frozen=True)
class GroupPlan:
    name: str
    population: int
    required_sample: int
    invitations: int


def plan_figures(
    *, sampling: str, populations: Mapping[str, int], margin: float,
    confidence: float, response_rate: float,
) -> list[GroupPlan]:  # fmt: skip
    """Required responses and invitations per group (pure, for tests and the
    plan page).

    - census: everyone is invited; the required responses are Cochran's n for
      the group (the precision a census will at least reach);
    - simple random: Cochran's n with finite-population correction for the
      whole population, split over the groups in proportion to their size
      (the expected composition of a simple random sample);
    - stratified: Cochran's n with finite-population correction for *each*
      group, so every group can be reported with the planned margin.

    Invitations are ``required / expected response rate`` rounded up, never
    more than the group's population.
    """
    names = list(populations)
    sizes = [populations[n] for n in names]
    if sampling == Wave.Sampling.SIMPLE_RANDOM and sizes:
        total = statistics.cochran_sample_size(
            sum(sizes), margin=margin, confidence=confidence
        )
        required = statistics.proportional_allocation(total, sizes)
    else:
        required = [
            statistics.cochran_sample_size(size, margin=margin, confidence=confidence)
            for size in sizes
        ]
    plans = []
    for name, size, need in zip(names, sizes, required, strict=True):
        if sampling == Wave.Sampling.CENSUS:
            invitations = size
        else:
            invitations = min(size, statistics.invitations_needed(need, response_rate))
        plans.append(GroupPlan(name, size, need, invitations))
    return plans


def plan_compute(*, wave: Wave) -> list[TargetGroup]:
    """Store each group's required sample and invitations (drafts only)."""
    groups = list(wave.groups.order_by("name"))
    if not groups:
        return groups
    plans = plan_figures(
        sampling=wave.sampling,
        populations={g.name: g.population for g in groups},
        margin=float(wave.margin_of_error),
        confidence=float(wave.confidence),
        response_rate=float(wave.expected_response_rate),
    )
    for group, plan in zip(groups, plans, strict=True):
        group.required_sample = plan.required_sample
        group.invitations = plan.invitations
    TargetGroup.objects.bulk_update(groups, ["required_sample", "invitations"])
    return groups


def wave_transition(*, wave: Wave, to: str, by, comment: str = "") -> Wave:
    """The one way a wave changes status (see :data:`WORKFLOW`)."""
    return WORKFLOW.transition_to(wave, to, by=by, comment=comment)


def _ready_for_fieldwork(wave: Wave, **_data) -> None:
    if not wave.groups.exists() and not wave.public_link:
        raise ValidationError(ERR_NO_GROUPS)
    if not wave.questionnaire.questions.exists():
        raise ValidationError(ERR_NO_QUESTIONS)


def _approved(wave: Wave, *, by, now, **_data) -> list[str]:
    wave.approved_by = by
    wave.approved_at = now
    return ["approved_by", "approved_at"]


def _approval_withdrawn(wave: Wave, **_data) -> list[str]:
    wave.approved_by = None
    wave.approved_at = None
    return ["approved_by", "approved_at"]


def _closed(wave: Wave, **_data) -> None:
    # Figures stored before the close (a response submitted just before it)
    # are never to be trusted once it is closed.
    aggregates.invalidate([wave.pk])


WORKFLOW = Workflow(
    log=WaveTransition,
    refusal=ERR_TRANSITION,
    actions=[
        Action(
            "approve",
            _("Approve the plan"),
            {S.DRAFT},
            S.APPROVED,
            permission="surveys.approve_wave",
            guard=_ready_for_fieldwork,
            effect=_approved,
            style="primary",
        ),
        Action(
            "withdraw_approval",
            _("Withdraw the approval"),
            {S.APPROVED},
            S.DRAFT,
            permission="surveys.approve_wave",
            effect=_approval_withdrawn,
        ),
        Action(
            "start_fieldwork",
            _("Start fieldwork"),
            {S.APPROVED},
            S.FIELDWORK,
            style="primary",
        ),
        Action("close", _("Close"), {S.FIELDWORK}, S.CLOSED, effect=_closed),
        Action(
            "cancel",
            _("Cancel"),
            {S.DRAFT, S.APPROVED, S.FIELDWORK},
            S.CANCELLED,
            style="outline-danger",
        ),
    ],
)


# --- Sample and participants -----------------------------------------------


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


def participants_import(*, wave: Wave, text: str, dry_run: bool) -> ImportResult:
    """Participants from a CSV (email; optional group, language, customer
    number). Every row is checked; nothing is saved unless all rows are valid
    and ``dry_run`` is false."""
    from django.core.validators import validate_email

    _check_approved(wave)
    result = ImportResult()
    header, rows, errors = read_table(
        text, required=IMPORT_REQUIRED, known=IMPORT_COLUMNS
    )
    result.errors = errors
    if errors:
        return result
    groups = {g.name.casefold(): g for g in wave.groups.all()}
    existing = {e.casefold() for e in wave.participants.values_list("email", flat=True)}
    refs = set()
    for _number, values in rows:
        row = dict(zip(header, values, strict=False))
        if row.get("customer", "").strip():
            refs.add(row["customer"].strip())
    customers = {c.reference: c for c in Customer.objects.filter(reference__in=refs)}
    taken_customers = set(
        wave.participants.exclude(customer=None).values_list("customer_id", flat=True)
    )
    expires = _expires_at(wave)
    for number, values in rows:
        row = {k: (v or "").strip() for k, v in zip(header, values, strict=False)}
        email = row.get("email", "")
        row_errors = []
        try:
            validate_email(email)
        except ValidationError:
            row_errors.append(("email", str(ERR_IMPORT_EMAIL)))
        if email.casefold() in existing:
            row_errors.append(("email", str(ERR_IMPORT_DUPLICATE)))
        group = None
        if row.get("group"):
            group = groups.get(row["group"].casefold())
            if group is None:
                row_errors.append(("group", str(ERR_IMPORT_GROUP)))
        language = row.get("language") or "et"
        if language not in LANGUAGES:
            row_errors.append(("language", str(ERR_IMPORT_LANGUAGE)))
        customer = None
        if row.get("customer"):
            customer = customers.get(row["customer"])
            if customer is None:
                row_errors.append(("customer", str(ERR_IMPORT_CUSTOMER)))
            elif not customer.consent_surveys:
                row_errors.append(("customer", str(ERR_IMPORT_NO_CONSENT)))
            elif customer.pk in taken_customers:
                row_errors.append(("customer", str(ERR_IMPORT_DUPLICATE)))
        for column, message in row_errors:
            result.errors.append((number, column, message))
        if not row_errors:
            existing.add(email.casefold())
            if customer:
                taken_customers.add(customer.pk)
            result.rows.append(
                {
                    "email": email,
                    "group": group,
                    "language": language,
                    "customer": customer,
                }
            )
    if result.errors or dry_run:
        return result
    Participant.objects.bulk_create(
        [Participant(wave=wave, expires_at=expires, **row) for row in result.rows],
        batch_size=500,
    )
    result.created = len(result.rows)
    return result


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


def bounces_import(*, wave: Wave, text: str) -> BounceResult:
    """Mark the participants whose invitations bounced, from a CSV with an
    ``email`` column (e.g. the mail server's bounce report). Rows with an
    unknown address are reported; nothing is marked unless all are known."""
    result = BounceResult()
    header, rows, errors = read_table(text, required=("email",), known=("email",))
    result.errors = errors
    if errors:
        return result
    by_email = {
        email.casefold(): pk
        for pk, email in wave.participants.exclude(email="").values_list("pk", "email")
    }
    column = header.index("email")
    found = []
    for number, values in rows:
        email = (values[column] if column < len(values) else "").strip().casefold()
        if email in by_email:
            found.append(by_email[email])
        else:
            result.errors.append((number, "email", str(ERR_BOUNCE_UNKNOWN)))
    if result.errors:
        return result
    with transaction.atomic():
        result.marked = (
            wave.participants.filter(pk__in=found)
            .exclude(disposition=D.COMPLETE)
            .update(disposition=D.BOUNCED)
        )
        if result.marked:
            aggregates.invalidate([wave.pk])
    return result


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


# --- E-mail ----------------------------------------------------------------


def personal_url(participant: Participant) -> str:
    path = reverse("surveys_public:answer", args=[participant.token])
    return f"{settings.SITE_URL}{path}"


def opt_out_url(participant: Participant) -> str:
    path = reverse("surveys_public:opt-out", args=[participant.token])
    return f"{settings.SITE_URL}{path}"


def send_invitation(participant: Participant, *, reminder: bool = False) -> bool:
    """Send one invitation (or reminder) in the participant's language and
    record it. Returns False when there is no address."""
    if not participant.email:
        return False
    wave = participant.wave
    language = participant.language if participant.language in LANGUAGES else "et"
    with translation.override(language):
        context = {
            "participant": participant,
            "wave": wave,
            "url": personal_url(participant),
            "opt_out_url": opt_out_url(participant),
            "reminder": reminder,
            "closes_on": wave.closes_on,
        }
        subject = render_to_string("surveys/email/invitation_subject.txt", context)
        body = render_to_string("surveys/email/invitation.txt", context)
    send_mail(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [participant.email],
    )
    now = timezone.now()
    if reminder:
        participant.reminders_sent += 1
        participant.last_reminded_at = now
        participant.save(update_fields=["reminders_sent", "last_reminded_at"])
    else:
        participant.invited_at = now
        if participant.disposition == D.SELECTED:
            participant.disposition = D.INVITED
        participant.save(update_fields=["invited_at", "disposition"])
    return True


def invitations_send(*, wave: Wave) -> None:
    """Queue the invitations of a wave in fieldwork (a Celery task; inline
    when no broker is configured)."""
    if wave.status != S.FIELDWORK:
        raise ValidationError(
            ERR_NOT_IN_FIELDWORK if wave.status == S.APPROVED else ERR_NOT_APPROVED
        )
    from .tasks import send_wave_invitations

    send_wave_invitations.delay(wave.pk)


def invitations_pending(wave: Wave):
    """Participants selected but not yet invited, with an address and consent."""
    return (
        wave.participants.filter(disposition=D.SELECTED)
        .exclude(email="")
        .exclude(customer__consent_surveys=False)
        .select_related("wave")
    )


def reminders_due(today: datetime.date):
    """Participants of waves in fieldwork whose next reminder day has come."""
    candidates = (
        Participant.objects.filter(
            wave__status=S.FIELDWORK,
            disposition__in=WAITING,
            invited_at__isnull=False,
        )
        .exclude(wave__reminder_days=[])
        .exclude(email="")
        .exclude(customer__consent_surveys=False)
        .filter(Q(wave__closes_on__isnull=True) | Q(wave__closes_on__gte=today))
        .select_related("wave")
    )
    for participant in candidates.iterator(chunk_size=500):
        days = participant.wave.reminder_days
        if participant.reminders_sent >= len(days):
            continue
        due = timezone.localtime(participant.invited_at).date() + datetime.timedelta(
            days=int(days[participant.reminders_sent])
        )
        if due <= today:
            yield participant


# --- Answers ---------------------------------------------------------------


def public_fingerprint(wave: Wave, browser_id: str) -> str:
    """A keyed hash of the browser's repeat-protection id: repeat answers from
    one browser can be refused without storing anything that identifies it."""
    key = f"{settings.SECRET_KEY}:surveys-public".encode()
    message = f"{wave.public_token}:{browser_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def visible(question: Question, values: Mapping[str, object]) -> bool:
    """Conditional display: shown unless its condition is not met by the
    answers so far (``values`` by question code)."""
    if not question.show_if_id:
        return True
    parent_value = values.get(question.show_if.code)
    return parent_value is not None and int(parent_value) in {
        int(v) for v in question.show_if_values
    }


def _answer_rows(
    *, response: Response, questions: Iterable[Question], values: Mapping[str, object]
) -> list[Answer]:
    rows = []
    for question in questions:
        value = values.get(question.code)
        if value in (None, "", []) or not visible(question, values):
            continue
        base = {"response": response, "wave_id": response.wave_id, "question": question}
        if question.type == Question.Type.MULTIPLE:
            options = {o.value: o for o in question.options.all()}
            for v in value:
                rows.append(Answer(**base, value_int=int(v), option=options[int(v)]))
        elif question.type == Question.Type.SINGLE:
            options = {o.value: o for o in question.options.all()}
            rows.append(
                Answer(**base, value_int=int(value), option=options[int(value)])
            )
        elif question.type in Question.INTEGER_TYPES:
            rows.append(Answer(**base, value_int=int(value)))
        elif question.type == Question.Type.NUMERIC:
            rows.append(Answer(**base, value_num=float(value)))
        else:
            rows.append(Answer(**base, text=str(value)))
    return rows


def response_submit(
    *,
    wave: Wave,
    questions: list[Question],
    values: Mapping[str, object],
    language: str,
    source: str,
    participant: Participant | None = None,
    group: TargetGroup | None = None,
    started_at: datetime.datetime | None = None,
    entered_by=None,
    fingerprint: str = "",
) -> Response:
    """Store one set of answers (already validated by the form) atomically:
    one response per participant (checked under a row lock and by the unique
    participant link), the participant marked complete and their draft
    deleted, the questionnaire locked. In an anonymous wave the response keeps
    only the target group."""
    now = timezone.now()
    with transaction.atomic():
        if participant is not None:
            participant = Participant.objects.select_for_update().get(pk=participant.pk)
            if participant.disposition == D.COMPLETE:
                raise ValidationError(ERR_ALREADY_ANSWERED)
            group_id = participant.group_id
            started_at = started_at or participant.draft_started_at
        else:
            group_id = group.pk if group else None
            if (
                fingerprint
                and Response.objects.filter(
                    wave=wave, public_fingerprint=fingerprint
                ).exists()
            ):
                raise ValidationError(ERR_ALREADY_ANSWERED)
        response = Response(
            wave=wave,
            group_id=group_id,
            participant=None
            if (wave.anonymous or participant is None)
            else participant,
            source=source,
            language=language,
            # In anonymous waves the times are kept to the day only, so they
            # cannot be matched with the participant's completion time.
            started_at=None if wave.anonymous else started_at,
            submitted_at=_day(now) if wave.anonymous else now,
            duration_seconds=(
                int((now - started_at).total_seconds()) if started_at else None
            ),
            entered_by=entered_by,
            public_fingerprint=fingerprint,
        )
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError as exc:
            raise ValidationError(ERR_ALREADY_ANSWERED) from exc
        Answer.objects.bulk_create(
            _answer_rows(response=response, questions=questions, values=values),
            batch_size=500,
        )
        if participant is not None:
            participant.disposition = D.COMPLETE
            participant.completed_at = _day(now) if wave.anonymous else now
            participant.draft = {}
            fields = ["disposition", "completed_at", "draft"]
            if wave.anonymous:
                # With the start time and the duration, the exact submission
                # time (the response's history) could be matched again.
                participant.draft_started_at = None
                fields.append("draft_started_at")
            participant.save(update_fields=fields)
        # A questionnaire is never unlocked: when the one already loaded with
        # the wave (the answer page's select_related) is locked, skip the UPDATE.
        loaded = wave.questionnaire if Wave.questionnaire.is_cached(wave) else None
        if loaded is None or not loaded.locked:
            Questionnaire.objects.filter(pk=wave.questionnaire_id, locked=False).update(
                locked=True
            )
        # Close the loop: a low score from a known respondent opens a task.
        create_follow_ups(response)
    return response


def _day(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=12, minute=0, second=0, microsecond=0)


def draft_save(
    *, participant: Participant, values: Mapping[str, object], page: int
) -> None:
    """Keep an unfinished answer on the participant (disposition: partial)."""
    draft = {**participant.draft, **values, "_page": page}
    participant.draft = draft
    fields = ["draft"]
    if participant.draft_started_at is None:
        participant.draft_started_at = timezone.now()
        fields.append("draft_started_at")
    if participant.disposition in (D.SELECTED, D.INVITED, D.OPENED, D.BOUNCED):
        participant.disposition = D.PARTIAL
        fields.append("disposition")
    participant.save(update_fields=fields)


def participant_opened(*, participant: Participant) -> None:
    if participant.disposition in (D.SELECTED, D.INVITED, D.BOUNCED):
        participant.disposition = D.OPENED
        participant.opened_at = timezone.now()
        participant.save(update_fields=["disposition", "opened_at"])


# --- Post-complaint survey ---------------------------------------------------


def post_complaint_invite(*, case) -> Participant | None:
    """Invite the customer of a closed complaint (:func:`_post_complaint`);
    a failure is logged and never breaks the closing of the complaint."""
    try:
        return _post_complaint(case)
    except Exception:
        logger.exception("Post-complaint survey invitation failed for case %s", case.pk)
        return None


def _post_complaint(case) -> Participant | None:
    """Invite the customer of a closed complaint to the post-complaint survey.

    Does nothing unless ``SURVEYS_POST_COMPLAINT`` is on, the case was
    resolved (answered and closed), an active
    post-complaint series has a wave in fieldwork, and the customer consents
    to surveys and e-mail and has an address. Called by the complaints app
    after the closing transaction commits.
    """
    if not getattr(settings, "SURVEYS_POST_COMPLAINT", False):
        return None
    # Only complaints that were answered: not duplicates, non-complaints,
    # recorded feedback or cases taken to an external body.
    if getattr(case, "closure_reason", "") != "resolved":
        return None
    customer = case.customer
    if customer is None or not customer.consent_surveys or not customer.consent_email:
        return None
    email = customer.email or getattr(case, "contact_email", "")
    if not email:
        return None
    wave = (
        Wave.objects.filter(
            series__kind=Series.Kind.POST_COMPLAINT,
            series__active=True,
            status=S.FIELDWORK,
        )
        .select_related("questionnaire")
        .order_by("-opens_on", "-id")
        .first()
    )
    if wave is None:
        return None
    if wave.participants.filter(customer=customer).exists():
        # Once per wave per customer (the unique constraint) — the latest
        # case updates the link to the case instead of a second invitation.
        return None
    group = wave.groups.filter(segment__in=customer.segments.all()).first()
    participant = Participant.objects.create(
        wave=wave,
        group=group,
        customer=customer,
        case=case,
        email=email,
        language=getattr(case, "language", "") or customer.preferred_language or "et",
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    from .tasks import send_participant_invitation

    send_participant_invitation.delay(participant.pk)
    return participant
