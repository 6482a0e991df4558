"""Pagination for lists that may hold millions of rows.

Django's Paginator counts every matching row on each page view; at a million
cases that exact ``COUNT(*)`` costs more than the page itself (seconds for a
broad search or a unit's scope). The capped paginator counts at most
``limit + 1`` rows (``SELECT COUNT(*) FROM (… LIMIT limit + 1)``, which stops
early on an index scan) and, above the limit, says "more than limit" instead
of a number: nobody pages through thousands of cases, they narrow the filter.
The limit is ``cap`` or, when a later page is asked for, enough to reach a few
pages beyond it, so every page stays reachable from the previous one.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

DEFAULT_CAP = 1_000
# Pages beyond the current one that the page links may offer.
PAGES_AHEAD = 3


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = DEFAULT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.wanted = 1

    def get_page(self, number):
        try:
            self.wanted = max(1, int(number))
        except (TypeError, ValueError):
            self.wanted = 1
        return super().get_page(number)

    @property
    def limit(self) -> int:
        """How many rows are counted at most (the total when fewer)."""
        return max(self.cap, (self.wanted + PAGES_AHEAD) * self.per_page)

    @cached_property
    def count(self) -> int:
        """The number of rows, but at most ``limit + 1``."""
        return self.object_list[: self.limit + 1].count()

    @property
    def is_capped(self) -> bool:
        """True when there are more rows than ``limit`` (``count`` is then not
        the total)."""
        return self.count > self.limit

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2):
        """As Django's, but without the last pages when the total is not known
        (they would be the limit's last page, not the list's)."""
        pages = list(
            super().get_elided_page_range(
                number, on_each_side=on_each_side, on_ends=on_ends
            )
        )
        if not self.is_capped:
            return pages
        last_shown = int(number) + on_each_side
        kept = []
        for page in pages:
            if page != self.ELLIPSIS and page > last_shown:
                break
            kept.append(page)
        while kept and kept[-1] == self.ELLIPSIS:
            kept.pop()
        return [*kept, self.ELLIPSIS]
