"""The survey plan: sample sizes, approval, read-only after approval, the
reproducible sample, the CSV upload and the transitions log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from surveys import services
from surveys.models import Participant, Wave, WaveTransition
from tests.factories import CustomerFactory
from tests.surveys.conftest import add_group, build_wave

S = Wave.Status


# Krejcie & Morgan (1970), Table 1 (95 %, ±5 %, p = 0.5): N → n.
PUBLISHED = [
    (100, 80),
    (500, 218),
    (1000, 278),
    (5000, 357),
    (10000, 370),
    (100000, 383),
]


@pytest.mark.parametrize(("population", "expected"), PUBLISHED)
def test_stratified_plan_matches_the_published_table(population, expected):
    plans = services.plan_figures(
        sampling=Wave.Sampling.STRATIFIED,
        populations={"g": population},
        margin=0.05,
        confidence=0.95,
        response_rate=0.3,
    )
    assert plans[0].required_sample == expected
    # Invitations: n / response rate, rounded up, at most the population.
    assert plans[0].invitations == min(population, -(-expected * 10 // 3))


def test_simple_random_splits_one_sample_in_proportion():
    plans = services.plan_figures(
        sampling=Wave.Sampling.SIMPLE_RANDOM,
        populations={"a": 8000, "b": 2000},
        margin=0.05,
        confidence=0.95,
        response_rate=0.5,
    )
    # Cochran for N = 10,000 is 370: 296 + 74.
    assert [p.required_sample for p in plans] == [296, 74]
    assert [p.invitations for p in plans] == [592, 148]


def test_census_invites_everyone():
    plans = services.plan_figures(
        sampling=Wave.Sampling.CENSUS,
        populations={"a": 120},
        margin=0.05,
        confidence=0.95,
        response_rate=0.3,
    )
    assert plans[0].invitations == 120


@pytest.mark.django_db
def test_group_population_defaults_to_segment_customers(quality_manager):
    wave = build_wave(status=S.DRAFT)
    group = add_group(wave, customers=3)
    group.delete()
    saved = services.group_save(wave=wave, name="Households", segment=group.segment)
    assert saved.population == 3
    assert saved.required_sample == 3  # Cochran with FPC for N = 3
    assert saved.invitations == 3


@pytest.mark.django_db
def test_approval_needs_permission_and_is_logged(quality_manager, service_staff):
    wave = build_wave(status=S.DRAFT)
    add_group(wave)
    with pytest.raises(PermissionDenied):
        services.wave_transition(wave=wave, to=S.APPROVED, by=service_staff)
    wave = services.wave_transition(wave=wave, to=S.APPROVED, by=quality_manager)
    assert wave.status == S.APPROVED
    assert wave.approved_by == quality_manager
    log = WaveTransition.objects.get()
    assert (log.from_status, log.to_status, log.by) == (
        S.DRAFT,
        S.APPROVED,
        quality_manager,
    )


@pytest.mark.django_db
def test_plan_without_groups_cannot_be_approved(quality_manager):
    wave = build_wave(status=S.DRAFT)
    with pytest.raises(ValidationError, match="at least one target group"):
        services.wave_transition(wave=wave, to=S.APPROVED, by=quality_manager)


@pytest.mark.django_db
def test_invalid_transition_is_refused(quality_manager):
    wave = build_wave(status=S.DRAFT)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.wave_transition(wave=wave, to=S.CLOSED, by=quality_manager)
    assert not WaveTransition.objects.exists()


@pytest.mark.django_db
def test_approved_plan_is_read_only(quality_manager):
    wave = build_wave(status=S.APPROVED)
    wave.goal = "changed"
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.wave_save(wave=wave, by=quality_manager)
    with pytest.raises(ValidationError):
        services.group_save(wave=wave, name="X", population=10)


@pytest.mark.django_db
def test_nothing_is_drawn_or_sent_before_approval():
    wave = build_wave(status=S.DRAFT)
    add_group(wave, customers=5)
    with pytest.raises(ValidationError, match="before the plan is approved"):
        services.sample_draw(wave=wave)
    with pytest.raises(ValidationError):
        services.invitations_send(wave=wave)
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_same_seed_draws_the_same_participants():
    wave = build_wave(status=S.APPROVED)
    group = add_group(wave, population=60, customers=60)
    group.invitations = 20
    group.save()
    assert services.sample_draw(wave=wave) == 20
    first = sorted(wave.participants.values_list("customer_id", flat=True))
    wave.participants.all().delete()
    services.sample_draw(wave=wave)
    again = sorted(wave.participants.values_list("customer_id", flat=True))
    assert first == again
    # A different seed gives a different sample.
    wave.participants.all().delete()
    wave.sample_seed = 43
    wave.save()
    services.sample_draw(wave=wave)
    other = sorted(wave.participants.values_list("customer_id", flat=True))
    assert other != first


def test_draw_order_is_a_pure_function():
    ids = list(range(1, 101))
    assert services.draw_order(7, "g", ids, 10) == services.draw_order(
        7, "g", ids[::-1], 10
    )
    assert len(set(services.draw_order(7, "g", ids, 10))) == 10


@pytest.mark.django_db
def test_sample_respects_opt_outs_and_missing_addresses():
    wave = build_wave(status=S.APPROVED)
    group = add_group(wave, population=10, customers=3)
    declined = CustomerFactory(consent_surveys=False)
    no_mail = CustomerFactory(consent_surveys=True, email="")
    no_email_consent = CustomerFactory(consent_surveys=True, consent_email=False)
    for c in (declined, no_mail, no_email_consent):
        c.segments.add(group.segment)
    group.invitations = 10
    group.save()
    assert services.sample_draw(wave=wave) == 3
    drawn = set(wave.participants.values_list("customer_id", flat=True))
    assert not drawn & {declined.pk, no_mail.pk, no_email_consent.pk}
    # Drawing again adds nobody.
    assert services.sample_draw(wave=wave) == 0


CSV_OK = "email,group,language\na@example.org,Households,en\nb@example.org,,ru\n"
CSV_BAD = (
    "email,group,language\nnot-an-address,Households,en\nb@example.org,Nobody,xx\n"
)


@pytest.mark.django_db
def test_csv_import_dry_run_then_save():
    wave = build_wave(status=S.APPROVED)
    add_group(wave)
    result = services.participants_import(wave=wave, text=CSV_OK, dry_run=True)
    assert not result.errors and len(result.rows) == 2
    assert not Participant.objects.exists()
    result = services.participants_import(wave=wave, text=CSV_OK, dry_run=False)
    assert result.created == 2
    assert set(wave.participants.values_list("language", flat=True)) == {"en", "ru"}


@pytest.mark.django_db
def test_csv_import_reports_every_row_and_saves_nothing():
    wave = build_wave(status=S.APPROVED)
    add_group(wave)
    result = services.participants_import(wave=wave, text=CSV_BAD, dry_run=False)
    assert [(row, column) for row, column, _m in result.errors] == [
        (2, "email"), (3, "group"), (3, "language"),
    ]  # fmt: skip
    assert not Participant.objects.exists()
    header_error = services.participants_import(
        wave=wave, text="name\nx\n", dry_run=False
    )
    assert header_error.errors and not Participant.objects.exists()
