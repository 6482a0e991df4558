"""CSV import of historical cases: checked whole, saved whole or not at all."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from complaints import importing, services
from complaints.importing import import_cases
from complaints.models import Case, CaseSequence, Category, Transition
from qms.models import Channel
from tests.factories import CustomerFactory, OrgUnitFactory, ServiceFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("complaints:case-import")
CONFIRM_URL = reverse("complaints:case-import-confirm")

HEADER = (
    "reference,received_at,kind,channel,subject,description,status,closed_at,"
    "outcome,org_unit"
)
VALID = "\n".join(
    [
        HEADER,
        "K-2023-000042,2023-03-01,complaint,phone,Late bus,"
        "The bus was 40 minutes late.,closed,2023-03-10,upheld,shop",
        ",02.04.2024,claim,email,Broken kettle,The kettle stopped heating.,,,,",
        ",2024-05-06 14:30,suggestion,web-form,,Please add a night service.,"
        "received,,,",
        "",
    ]
)


@pytest.fixture
def units(db):
    return {
        "service": OrgUnitFactory(code="service", name="Customer service"),
        "shop": OrgUnitFactory(code="shop", name="Shop"),
    }


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def as_file(text: str, *, bom: bool = False) -> io.BytesIO:
    return io.BytesIO(("\ufeff" if bom else "").encode() + text.encode("utf-8"))


def test_dry_run_previews_every_row_and_saves_nothing(units):
    result = import_cases(as_file(VALID), dry_run=True, by=None)

    assert result.errors == []
    assert [r.row for r in result.rows] == [2, 3, 4]
    assert result.rows[0].reference == "K-2023-000042"
    assert not Case.objects.exists()


def test_real_run_saves_every_row_without_sending_mail(units, quality_manager):
    result = import_cases(as_file(VALID, bom=True), dry_run=False, by=quality_manager)

    assert result.created == 3
    assert mail.outbox == []
    kept = Case.objects.get(reference="K-2023-000042")
    assert kept.status == Case.Status.CLOSED
    assert kept.outcome == Case.Outcome.UPHELD
    assert kept.closure_reason == Case.ClosureReason.RESOLVED
    assert timezone.localdate(kept.closed_at).isoformat() == "2023-03-10"
    assert kept.org_unit == units["shop"]
    assert kept.created_by == quality_manager
    claim = Case.objects.get(kind="claim")
    assert claim.reference == "K-2024-000001"
    assert timezone.localdate(claim.received_at).isoformat() == "2024-04-02"
    assert claim.org_unit == units["service"]
    assert claim.response_due_at is not None
    suggestion = Case.objects.get(kind="suggestion")
    received = timezone.localtime(suggestion.received_at)
    assert (received.hour, received.minute) == (14, 30)
    assert Transition.objects.filter(action="import").count() == 3


def test_kept_reference_moves_the_counter_past_it(units):
    import_cases(as_file(VALID), dry_run=False, by=None)

    assert CaseSequence.objects.get(year=2023).last == 42


def test_one_bad_row_saves_nothing_and_names_row_and_column(units):
    bad = VALID.replace("02.04.2024,claim,email", "02.04.2024,claim,fax")

    result = import_cases(as_file(bad), dry_run=False, by=None)

    assert result.created == 0
    assert [(row, column) for row, column, _m in result.errors] == [(3, "channel")]
    assert "fax" in result.errors[0][2]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("line", "column"),
    [
        (",2024-13-45,complaint,phone,,Something went wrong.,,,,", "received_at"),
        (",2999-01-01,complaint,phone,,Something went wrong.,,,,", "received_at"),
        (",2024-01-01,rant,phone,,Something went wrong.,,,,", "kind"),
        (",2024-01-01,complaint,phone,,,,,,", "description"),
        (",2024-01-01,complaint,phone,,Broke.,closed,,upheld,", "closed_at"),
        (",2024-01-01,complaint,phone,,Broke.,closed,2024-01-05,,", "outcome"),
        (
            ",2024-01-01,complaint,phone,,Broke.,closed,2024-01-05,not_upheld,",
            "decision_reasons",
        ),
        (",2024-01-05,complaint,phone,,Broke.,closed,2024-01-01,upheld,", "closed_at"),
        (",2024-01-01,complaint,phone,,Broke.,,,,nowhere", "org_unit"),
        ("X-1,2024-01-01,complaint,phone,,Broke.,,,,", "reference"),
        (",2024-01-01,complaint,phone," + "s" * 201 + ",Broke.,,,,", "subject"),
    ],
)
def test_row_errors_name_the_column(units, line, column):
    result = import_cases(as_file(f"{HEADER}\n{line}\n"), dry_run=True, by=None)

    assert [(row, col) for row, col, _m in result.errors] == [(2, column)]


def test_case_closed_on_its_day_of_receipt(units):
    line = ",2024-01-05 14:30,complaint,phone,,Broke.,closed,2024-01-05,upheld,"

    result = import_cases(as_file(f"{HEADER}\n{line}\n"), dry_run=False, by=None)

    assert result.errors == []
    case = Case.objects.get()
    assert case.closed_at == case.received_at


def test_existing_reference_is_refused(units):
    import_cases(as_file(VALID), dry_run=False, by=None)

    result = import_cases(as_file(VALID), dry_run=False, by=None)

    assert (2, "reference", str(importing.ERR_REFERENCE_TAKEN)) in result.errors
    assert Case.objects.count() == 3


def test_running_the_same_file_twice_adds_nothing(units):
    rows = "\n".join(VALID.splitlines()[2:])
    text = f"{HEADER}\n{rows}\n"
    import_cases(as_file(text), dry_run=False, by=None)

    result = import_cases(as_file(text), dry_run=False, by=None)

    assert [row for row, _c, _m in result.errors] == [2, 3]
    assert Case.objects.count() == 2


def test_reference_twice_in_the_file_is_refused(units):
    line = "K-2023-000007,2023-01-01,complaint,phone,,Broke.,,,,"
    result = import_cases(
        as_file(f"{HEADER}\n{line}\n{line.replace('Broke', 'Cracked')}\n"),
        dry_run=True,
        by=None,
    )

    assert [(r, c) for r, c, _m in result.errors] == [
        (2, "reference"),
        (3, "reference"),
    ]


def test_missing_and_unknown_columns_are_reported_on_row_1(units):
    result = import_cases(
        as_file("received_at,kind,colour\n2024-01-01,complaint,red\n"),
        dry_run=True,
        by=None,
    )

    assert sorted((r, c) for r, c, _m in result.errors) == [
        (1, "channel"),
        (1, "colour"),
        (1, "description"),
    ]


def test_semicolon_delimiter_and_codes_are_understood(units):
    customer = CustomerFactory()
    service = ServiceFactory(code="buses")
    category = Category.objects.create(name="Punctuality", code="late")
    text = (
        "received_at;kind;channel;category;service;customer;description\n"
        f"31.01.2024;complaint;letter;late;buses;{customer.reference};"
        '"Late again; third time, this week."\n'
    )

    result = import_cases(as_file(text), dry_run=False, by=None)

    assert result.errors == []
    case = Case.objects.get()
    assert (case.category, case.service, case.customer) == (category, service, customer)
    assert case.description == "Late again; third time, this week."
    assert case.contact_email == customer.email


def test_file_that_is_not_utf8_is_refused(units):
    result = import_cases(
        io.BytesIO("received_at,kind,channel,description\n".encode("utf-16")),
        dry_run=True,
        by=None,
    )

    assert result.errors == [(1, "", str(importing.ERR_ENCODING))]


def test_later_registration_continues_after_imported_numbers(units):
    import_cases(
        as_file(f"{HEADER}\nK-2026-000100,2026-01-02,complaint,phone,,Broke.,,,,\n"),
        dry_run=False,
        by=None,
    )
    case = services.case_register(
        case=Case(
            channel=Channel.objects.get(code="phone"),
            org_unit=units["service"],
            description="New one",
            received_at=Case.objects.get().received_at,
        ),
        by=None,
    )

    assert case.reference == "K-2026-000101"


# --- Management command ------------------------------------------------------


def test_command_dry_run_then_import(units, tmp_path, capsys):
    path = tmp_path / "cases.csv"
    path.write_text(VALID, encoding="utf-8")

    call_command("import_cases", str(path), "--dry-run")
    assert not Case.objects.exists()
    call_command("import_cases", str(path))

    out = capsys.readouterr().out
    assert "3 case(s) valid; nothing saved." in out
    assert "3 case(s) imported." in out
    assert Case.objects.count() == 3


def test_command_reports_errors_and_fails(units, tmp_path, capsys):
    path = tmp_path / "cases.csv"
    path.write_text(VALID.replace(",email,", ",fax,"), encoding="utf-8")

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_cases", str(path))

    assert "row 3, column channel" in capsys.readouterr().err
    assert not Case.objects.exists()


# --- Staff pages -------------------------------------------------------------


def upload(client, text: str):
    return client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile("cases.csv", text.encode(), "text/csv")},
    )


@pytest.mark.parametrize("persona", ["executive", "outsider"])
def test_readers_and_outsiders_may_not_import(request, client_for, persona, units):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, VALID).status_code == 403
    assert client.post(CONFIRM_URL, {"token": "x"}).status_code == 403
    assert not Case.objects.exists()


def test_upload_shows_a_preview_then_confirm_imports(
    client_for, quality_manager, units, media
):
    client = client_for(quality_manager)

    preview = upload(client, VALID)

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "K-2023-000042" in html
    assert "3 cases are ready to be imported" in html
    assert not Case.objects.exists()
    assert len(list((media / "imports").glob("*.csv"))) == 1

    token = preview.context["token"]
    response = client.post(CONFIRM_URL, {"token": token})

    assert response.status_code == 302
    assert response.url == reverse("complaints:home")
    assert Case.objects.count() == 3
    assert list((media / "imports").glob("*.csv")) == []
    page = client.get(response.url).content.decode()
    assert "3 cases imported." in page


def test_preview_shows_the_first_50_rows_and_the_total(
    client_for, quality_manager, units
):
    lines = [
        f",2024-01-01 10:{n % 60:02d},complaint,phone,,Broke number {n}.,,,,"
        for n in range(60)
    ]
    preview = upload(client_for(quality_manager), HEADER + "\n" + "\n".join(lines))

    assert len(preview.context["rows"]) == 50
    assert "60 cases are ready to be imported" in preview.content.decode()


def test_upload_with_errors_shows_them_and_offers_no_confirm(
    client_for, quality_manager, units, media
):
    client = client_for(quality_manager)

    response = upload(client, VALID.replace(",email,", ",fax,"))

    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "<code>channel</code>" in html
    assert CONFIRM_URL not in html
    assert list((media / "imports").glob("*.csv")) == []
    assert client.post(CONFIRM_URL, {"token": "anything"}).status_code == 302
    assert not Case.objects.exists()


def test_confirm_with_a_foreign_token_imports_nothing(
    client_for, quality_manager, units
):
    client = client_for(quality_manager)
    upload(client, VALID)

    response = client.post(CONFIRM_URL, {"token": "../../etc/passwd"})

    assert response.status_code == 302
    assert response.url == IMPORT_URL
    assert not Case.objects.exists()


def test_confirming_twice_imports_once(client_for, quality_manager, units):
    client = client_for(quality_manager)
    token = upload(client, VALID).context["token"]

    client.post(CONFIRM_URL, {"token": token})
    client.post(CONFIRM_URL, {"token": token})

    assert Case.objects.count() == 3
