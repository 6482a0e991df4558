"""The permission backend gives ModelBackend's permissions in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms import roles
from qms.backends import PermissionBackend
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, roles.QUALITY_MANAGER, roles.SERVICE_STAFF])
def test_same_permissions_as_model_backend_in_one_query(role):
    user = UserFactory(roles=[role] if role else [])
    user.user_permissions.add(Permission.objects.get(codename="view_customer"))
    expected = ModelBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
    fresh = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        got = PermissionBackend().get_all_permissions(fresh)
        assert fresh.has_perm("qms.view_customer")
    assert got == expected
    assert "qms.view_customer" in got
    assert len(queries) == 1


@pytest.mark.django_db
def test_inactive_user_has_no_permissions():
    user = UserFactory(roles=[roles.QUALITY_MANAGER], is_active=False)
    assert PermissionBackend().get_all_permissions(user) == set()
