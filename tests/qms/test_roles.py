"""Roles (Django groups from a data migration), the sign-in redirect of
representative pages, the refusal page and the navigation per role."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from qms import roles

# Representative pages that need a signed-in user. Who may open them is the
# role-by-view matrix's concern (tests/qms/access_matrix.py); here an
# anonymous visitor is sent to sign in and brought back afterwards.
PAGES = [
    "qms:home",
    "qms:customer-list",
    "qms:customer-create",
    "qms:document-list",
    "qms:document-create",
    "complaints:home",
    "surveys:home",
    "reports:home",
]


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
