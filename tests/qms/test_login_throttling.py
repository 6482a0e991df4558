"""Login throttling (django-axes): repeated wrong passwords lock the
username/address pair with a clear message; the right password still works
before that, and a lockout does not spill over to other users."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def throttled(db):
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3):
        yield


@pytest.fixture
def user(db):
    user = UserFactory(username="kadri")
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_right_password_signs_in_with_throttling_on(client, throttled, user):
    response = _sign_in(client, "kadri", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("qms:home")).status_code == 200


def test_wrong_passwords_below_the_limit_show_the_normal_error(client, throttled, user):
    for _ in range(2):
        response = _sign_in(client, "kadri", "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in (
            response.content.decode()
        )
    assert _sign_in(client, "kadri", PASSWORD).status_code == 302


def test_the_limit_locks_out_even_the_right_password(client, throttled, user):
    for _ in range(3):
        _sign_in(client, "kadri", "wrong")
    response = _sign_in(client, "kadri", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-ins" in html
    assert "15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_lock_other_users(client, throttled, user):
    other = UserFactory(username="mart")
    other.set_password(PASSWORD)
    other.save()
    for _ in range(3):
        _sign_in(client, "kadri", "wrong")
    assert _sign_in(client, "mart", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, throttled, user):
    for _ in range(2):
        _sign_in(client, "kadri", "wrong")
    assert _sign_in(client, "kadri", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        _sign_in(client, "kadri", "wrong")
    assert _sign_in(client, "kadri", PASSWORD).status_code == 302


def test_throttling_is_on_and_configurable_in_production_settings(settings):
    from qms import settings as production

    assert production.AXES_ENABLED is True
    assert production.AXES_FAILURE_LIMIT == 5
    assert production.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert production.AUTHENTICATION_BACKENDS[0] == (
        "axes.backends.AxesStandaloneBackend"
    )
