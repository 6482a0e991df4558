"""The capped paginator: no exact count of huge lists, every page reachable."""

import pytest
from django.template.loader import render_to_string

from qms.models import Segment
from qms.pagination import CappedPaginator


@pytest.fixture
def segments(db):
    Segment.objects.bulk_create(
        Segment(code=f"s{i:03d}", name=f"Segment {i}") for i in range(60)
    )
    return Segment.objects.order_by("code")


def test_small_list_is_counted_exactly(segments):
    paginator = CappedPaginator(segments, 10, cap=100)
    page = paginator.get_page(1)
    assert paginator.count == 60
    assert not paginator.is_capped
    assert paginator.num_pages == 6
    assert [s.code for s in page] == [f"s{i:03d}" for i in range(10)]


def test_count_stops_above_the_cap(segments, django_assert_num_queries):
    paginator = CappedPaginator(segments, 5, cap=20)
    # One COUNT over a LIMIT 21 subquery, one query for the page's rows.
    with django_assert_num_queries(2):
        page = paginator.get_page(1)
        list(page)
    assert paginator.count == 21
    assert paginator.is_capped
    assert list(paginator.get_elided_page_range(1))[-1] == paginator.ELLIPSIS


def test_a_later_page_widens_the_count_to_reach_it(segments):
    paginator = CappedPaginator(segments, 5, cap=20)
    page = paginator.get_page(8)
    assert page.number == 8
    assert page.object_list[0].code == "s035"
    # Counted far enough to offer the next pages, still short of the total.
    assert paginator.limit == (8 + 3) * 5
    assert paginator.is_capped
    assert page.has_next()


def test_a_page_past_the_end_shows_the_last_one(segments):
    paginator = CappedPaginator(segments, 25, cap=20)
    page = paginator.get_page(99)
    assert page.number == 3
    assert not paginator.is_capped


def test_capped_list_says_more_than_instead_of_a_total(segments):
    paginator = CappedPaginator(segments, 5, cap=20)
    page = paginator.get_page(1)
    html = render_to_string("partials/_pagination.html", {"page": page})
    assert "More than 20 records" in html
    assert "60" not in html
