"""Cached option lists (qms.options) follow changes of their rows."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qms import options
from qms.models import Channel
from tests.factories import UserFactory


@pytest.mark.django_db
def test_list_is_read_once_then_served_from_the_cache():
    first = options.choices("channels")
    with CaptureQueriesContext(connection) as queries:
        again = options.choices("channels")
    assert again == first
    assert len(queries) == 0
    assert first == [(str(c.pk), c.name) for c in Channel.objects.all()]


@pytest.mark.django_db
def test_saving_or_deleting_a_row_drops_the_cached_list():
    options.choices("channels")
    channel = Channel.objects.create(code="pigeon", name="Carrier pigeon")
    assert (str(channel.pk), "Carrier pigeon") in options.choices("channels")
    channel.name = "Pigeon post"
    channel.save()
    assert (str(channel.pk), "Pigeon post") in options.choices("channels")
    channel.delete()
    assert str(channel.pk) not in dict(options.choices("channels"))


@pytest.mark.django_db
def test_staff_list_follows_names_and_deactivation_but_not_logins():
    person = UserFactory(first_name="Ann", last_name="Lee")
    assert (str(person.pk), "Ann Lee") in options.choices("staff")
    person.is_active = False
    person.save()
    assert str(person.pk) not in dict(options.choices("staff"))
    person.is_active = True
    person.save()
    listed = options.choices("staff")
    # A login only stamps last_login: the cached list is kept.
    get_user_model().objects.get(pk=person.pk).save(update_fields=["last_login"])
    assert cache.get(options.KEY.format(name="staff")) == listed
