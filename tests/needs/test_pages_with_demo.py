"""Every needs page renders on the demo registry; staff and owners see only
what their role allows."""

import pytest
from django.urls import reverse

from needs import demo
from needs.models import Need
from qms import demo as core_demo
from tests.factories import UserFactory
from tests.worlds import module_world

from .helpers import make_need

# The demo data is engine-independent (written through the services every
# other test covers on both databases): checked once, in the SQLite run,
# beside the quick start, which seeds it the README's way.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("needs-pages-demo"),
    pytest.mark.single_db,
]


# Seeded once for the module. Every test here uses it: a test that did not
# would still run inside it once an earlier test had built it, so what it met
# would depend on the order (the persona "owner" of tests/conftest.py, got or
# created by username, would then be the demo's own owner).
@module_world
def seeded():
    """The core demo and the needs demo (about 150 needs)."""
    ctx = core_demo.seed()
    demo.seed(ctx)
    return ctx


def test_pages_render_on_demo_data(client_for, seeded):
    client = client_for(seeded.users["quality"])
    need = Need.objects.filter(links__isnull=False).first()
    for url in [
        reverse("needs:home"),
        reverse("needs:need-list") + "?overdue=on&q=bills",
        reverse("needs:coverage"),
        reverse("needs:monitoring"),
        reverse("needs:need-detail", args=[need.pk]),
        reverse("needs:need-update", args=[need.pk]),
        reverse("needs:need-review", args=[need.pk]),
        reverse("needs:need-import"),
    ]:
        assert client.get(url).status_code == 200, url


def test_admin_lists_needs(client_for, seeded):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(root)
    assert client.get(reverse("admin:needs_need_changelist")).status_code == 200
    need = Need.objects.first()
    url = reverse("admin:needs_need_change", args=[need.pk])
    assert client.get(url).status_code == 200


def test_process_owner_edits_own_need_only(client_for, seeded):
    quality_manager, process_owner = seeded.users["quality"], seeded.users["owner"]
    own = make_need(by=quality_manager, owner=process_owner)
    other = make_need(by=quality_manager)
    client = client_for(process_owner)
    assert client.get(reverse("needs:need-update", args=[own.pk])).status_code == 200
    assert client.get(reverse("needs:need-update", args=[other.pk])).status_code == 403
