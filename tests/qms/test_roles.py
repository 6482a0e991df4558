"""Roles (Django groups from a data migration) against representative pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from qms import roles

ALL_ROLES = ["quality_manager", "service_staff", "process_owner", "executive"]

# page → personas that may open it; every other persona gets 403.
PAGES = {
    "qms:home": [*ALL_ROLES, "outsider"],
    "qms:customer-list": ["quality_manager", "service_staff", "executive"],
    "qms:customer-create": ["quality_manager", "service_staff"],
    "qms:document-list": ALL_ROLES,
    "qms:document-create": ["quality_manager"],
    # Process owners open the queue but see only cases their plans act on.
    "complaints:home": ALL_ROLES,
    "surveys:home": ALL_ROLES,
    "reports:home": ALL_ROLES,
}
PERSONAS = [*ALL_ROLES, "outsider"]


@pytest.mark.django_db
def test_migration_creates_the_four_roles_with_permissions():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions")}
    assert set(groups) >= {
        roles.QUALITY_MANAGER,
        roles.SERVICE_STAFF,
        roles.PROCESS_OWNER,
        roles.EXECUTIVE,
    }
    qm = {p.codename for p in groups[roles.QUALITY_MANAGER].permissions.all()}
    assert "approve_documentversion" in qm
    executive = {p.codename for p in groups[roles.EXECUTIVE].permissions.all()}
    assert executive and all(c.startswith("view_") for c in executive)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_page_matrix(request, client, page, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse(page))
    expected = 200 if persona in PAGES[page] else 403
    assert response.status_code == expected


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client, db, page):
    url = reverse(page)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_denied_page_is_friendly(client_for, process_owner):
    response = client_for(process_owner).get(reverse("qms:customer-list"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "You do not have access to this page" in html
    assert "Back to the start page" in html


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("quality_manager", ["Customers", "Documents", "Complaints and disputes"], []),
        ("executive", ["Customers", "Documents", "Management reports"], []),
        ("process_owner", ["Documents", "Improvements"], ["Customers"]),
        ("outsider", [], ["Customers", "Documents", "Complaints and disputes"]),
    ],
)
def test_navigation_shows_what_the_role_may_open(
    request, client, persona, visible, hidden
):
    client.force_login(request.getfixturevalue(persona))
    nav = client.get(reverse("qms:home")).content.decode().split("</nav>")[0]
    for label in visible:
        assert label in nav
    for label in hidden:
        assert label not in nav


@pytest.mark.django_db
def test_public_pages_need_no_login(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).content == b"ok"
