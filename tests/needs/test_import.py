"""CSV import: dry run, errors by row and column, all or nothing."""

import io

import pytest
from django.urls import reverse

from needs import importing
from needs.models import Need
from tests.factories import SegmentFactory


@pytest.fixture
def segment(db):
    return SegmentFactory(code="households")


GOOD = (
    "statement;source;segments;importance;performance;kano\n"
    "Clear bills;survey;households;5;2;performance\n"
    "Evening opening hours;interview;;4;3;\n"
)


def _file(text: str):
    return io.BytesIO(text.encode("utf-8"))


def test_dry_run_checks_and_saves_nothing(segment, quality_manager):
    result = importing.import_needs(_file(GOOD), dry_run=True, by=quality_manager)
    assert result.ok
    assert [row for row, _need in result.rows] == [2, 3]
    assert not Need.objects.exists()


def test_valid_file_is_imported_whole(segment, quality_manager):
    result = importing.import_needs(_file(GOOD), dry_run=False, by=quality_manager)
    assert result.created == 2
    need = Need.objects.get(statement="Clear bills")
    assert list(need.segments.all()) == [segment]
    assert need.raised_by == quality_manager


def test_errors_name_row_and_column_and_nothing_is_saved(segment, quality_manager):
    text = GOOD + "Faster answers;gossip;;3;3;\nCheap;survey;nowhere;9;3;\n"
    result = importing.import_needs(_file(text), dry_run=False, by=quality_manager)
    assert (4, "source") in [(row, column) for row, column, _m in result.errors]
    assert (5, "segments") in [(row, column) for row, column, _m in result.errors]
    assert not Need.objects.exists()


def test_bad_rating_and_missing_column(segment, quality_manager):
    result = importing.import_needs(
        _file("statement;source;importance\nX;survey;7\n"), dry_run=True, by=None
    )
    assert result.errors == [(2, "importance", str(importing.ERR_RATING))]
    result = importing.import_needs(_file("statement\nX\n"), dry_run=True, by=None)
    assert result.errors == [(1, "source", str(importing.ERR_MISSING_COLUMN))]


def test_import_page_shows_errors(client_for, quality_manager, segment):
    client = client_for(quality_manager)
    upload = io.BytesIO(b"statement;source\nX;gossip\n")
    upload.name = "needs.csv"
    response = client.post(reverse("needs:need-import"), {"file": upload})
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "gossip" in html
