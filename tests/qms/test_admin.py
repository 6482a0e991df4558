"""The admin site lists every core model, and audit records stay read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from qms import services
from qms.areas import Area
from qms.models import Document
from tests.factories import CustomerFactory, UserFactory


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    return user


def test_every_core_model_has_a_working_admin_list(client_for, superuser):
    CustomerFactory()
    client = client_for(superuser)
    core = [m for m in admin.site._registry if m._meta.app_label == "qms"]
    assert len(core) >= 10
    for model in core:
        url = reverse(f"admin:qms_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_document_versions_cannot_be_changed_in_admin(client_for, superuser):
    document = services.document_create(
        identifier="PD-A",
        title="T",
        kind=Document.Kind.PROCESS,
        area=Area.NEEDS,
        owner=superuser,
        body="x",
    )
    version = document.versions.get()
    client = client_for(superuser)
    url = reverse("admin:qms_documentversion_change", args=[version.pk])
    response = client.post(url, {"body": "changed"})
    version.refresh_from_db()
    assert version.body == "x"
    assert response.status_code in (200, 403)
