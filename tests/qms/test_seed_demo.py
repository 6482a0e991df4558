"""The demo data command: believable, deterministic, safe to run twice."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from qms import demo, roles
from qms.models import Customer, Document, OrgUnit, Segment


@pytest.mark.django_db
def test_seed_demo_twice_creates_everything_once(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (
        Customer.objects.count(),
        get_user_model().objects.count(),
        Document.objects.count(),
        OrgUnit.objects.count(),
    )
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert counts == (
        Customer.objects.count(),
        get_user_model().objects.count(),
        Document.objects.count(),
        OrgUnit.objects.count(),
    )
    assert Customer.objects.count() == demo.CUSTOMER_COUNT
    assert 4 <= Segment.objects.count() <= 6
    assert "nothing new" in second
    assert demo.DEMO_PASSWORD in first
    for username, *_rest in demo.STAFF:
        assert username in first


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


# seed_demo takes seconds (thousands of demo cases), so one run serves all of
# these checks.
ROLES = [
    ("quality", roles.QUALITY_MANAGER, ["Customers", "Documents", "Administration"]),
    ("agent", roles.SERVICE_STAFF, ["Customers", "Documents"]),
    ("owner", roles.PROCESS_OWNER, ["Documents"]),
    ("exec", roles.EXECUTIVE, ["Customers", "Documents"]),
]


@pytest.mark.django_db
def test_demo_logins_navigation_and_process_descriptions(client):
    call_command("seed_demo", stdout=None)
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
