"""The demo data command: believable, deterministic, safe to run twice."""

from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from qms import demo, roles
from qms.models import Customer, Document, OrgUnit, Segment
from tests.worlds import module_world

# The demo data is engine-independent (written through the services every
# other test covers on both databases): checked once, in the SQLite run,
# beside the quick start, which seeds it the README's way.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("qms-seed-demo"),
    pytest.mark.single_db,
]


def _counts() -> tuple[int, int, int, int]:
    return (
        Customer.objects.count(),
        get_user_model().objects.count(),
        Document.objects.count(),
        OrgUnit.objects.count(),
    )


@dataclass(frozen=True)
class SeededTwice:
    first: str  # what the first run printed
    second: str  # what the second run printed
    counts_after_first: tuple[int, int, int, int]


# seed_demo takes many seconds (thousands of demo cases, every area), so the
# module runs it twice once, and every test reads the twice-seeded database.
@module_world
def seeded_twice() -> SeededTwice:
    """``seed_demo`` run twice on the migrated database: what each run printed
    and the counts after the first."""
    first, second = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    counts = _counts()
    call_command("seed_demo", stdout=second)
    return SeededTwice(first.getvalue(), second.getvalue(), counts)


def test_seed_demo_twice_creates_everything_once(seeded_twice):
    assert seeded_twice.counts_after_first == _counts()
    assert Customer.objects.count() == demo.CUSTOMER_COUNT
    assert 4 <= Segment.objects.count() <= 6
    assert "nothing new" in seeded_twice.second
    assert demo.DEMO_PASSWORD in seeded_twice.first
    for username, *_rest in demo.STAFF:
        assert username in seeded_twice.first


def test_demo_customers_are_deterministic():
    segments = {code: Segment(code=code, name=code) for code, *_ in demo.SEGMENTS}

    def snapshot():
        return [
            (c.reference, c.name, c.email, c.phone, [s.code for s in segs])
            for c, segs in demo.customer_specs(segments)
        ]

    first = snapshot()
    assert first == snapshot()
    assert len(first) == demo.CUSTOMER_COUNT


ROLES = [
    ("quality", roles.QUALITY_MANAGER, ["Customers", "Documents", "Administration"]),
    ("agent", roles.SERVICE_STAFF, ["Customers", "Documents"]),
    ("owner", roles.PROCESS_OWNER, ["Documents"]),
    ("exec", roles.EXECUTIVE, ["Customers", "Documents"]),
]


def test_demo_logins_navigation_and_process_descriptions(seeded_twice, client):
    for username, role, sees in ROLES:
        assert client.login(username=username, password=demo.DEMO_PASSWORD)
        html = client.get(reverse("qms:home")).content.decode()
        assert role in html, username
        nav = html.split("</nav>")[0]
        for label in sees:
            assert label in nav, (username, label)
        if role == roles.PROCESS_OWNER:
            assert "Customers" not in nav
        client.logout()
    client.login(username="agent", password=demo.DEMO_PASSWORD)
    html = client.get(reverse("complaints:home")).content.decode()
    assert "Consumer Protection Act" in html
    assert "version 2 is In review" in html
