"""The demo registry: about 150 needs, some overdue, some uncovered; twice safe."""

import pytest
from django.utils import timezone

from needs import demo
from needs.models import Need
from qms import demo as core_demo

# The demo data is engine-independent (written through the services every
# other test covers on both databases): checked once, in the SQLite run,
# beside the quick start, which seeds it the README's way.
pytestmark = pytest.mark.single_db


def test_demo_needs_are_varied_and_seeded_once(db):
    ctx = core_demo.seed()
    demo.seed(ctx)
    assert Need.objects.count() == demo.COUNT
    assert Need.objects.overdue_for_review(timezone.localdate()).exists()
    assert Need.objects.unanswered().exists()
    assert Need.objects.filter(links__isnull=False).exists()
    assert Need.objects.values("source").distinct().count() >= 6
    assert Need.objects.values("segments").distinct().count() >= 4
    demo.seed(ctx)
    assert Need.objects.count() == demo.COUNT
