"""Option lists of reference data (channels, units, people, categories) kept in
the cache, for the ``<select>`` lists of busy pages.

The work queue's filter offers every channel, category, unit and handler; read
from the database on each view that is four queries and a model instance per
option, for tables that change a few times a year. Here each list is read once
and kept as plain ``(value, label)`` pairs until a row of its model is saved or
deleted (the signal handlers below drop it at once and again when the
transaction commits) or, at the latest, after :data:`TIMEOUT` seconds: with a
per-process cache (``locmemcache://``, the default) the other web workers do
not see the signal, so the timeout bounds how long they may offer an outdated
list. With a shared cache (``CACHE_URL``, e.g. Redis, as several processes
should use) a change shows everywhere on the next page.

Only what the page *offers* comes from here; a submitted value is still checked
against the live queryset by the form field.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

# Seconds a list may be served from the cache (see the module docstring).
TIMEOUT = 60
KEY = "qms-options:{name}"

Choices = list[tuple[str, str]]

_builders: dict[str, Callable[[], Choices]] = {}


def register(name: str, build: Callable[[], Choices], *models: type[Model]) -> None:
    """Declare the option list ``name``: ``build`` reads it from the database;
    a save or delete of any of ``models`` drops the cached copy."""
    _builders[name] = build
    for model in models:
        uid = f"qms-options:{name}:{model._meta.label}"
        post_save.connect(_dropper(name), sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(
            _dropper(name), sender=model, weak=False, dispatch_uid=uid + ":delete"
        )


def choices(name: str) -> Choices:
    """The option list ``name`` as ``(value, label)`` pairs, values as strings
    (one query when it is not cached)."""
    key = KEY.format(name=name)
    found = cache.get(key)
    if found is None:
        found = _builders[name]()
        cache.set(key, found, TIMEOUT)
    return found


def invalidate(name: str) -> None:
    """Drop the cached list now and once more when the transaction commits
    (so a list read inside the transaction is not kept after it)."""
    key = KEY.format(name=name)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _dropper(name: str):
    def drop(sender, update_fields=None, **kwargs) -> None:
        # A login only stamps last_login, which no option label shows.
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            return
        invalidate(name)

    return drop


# --- The core lists -----------------------------------------------------------


def person_label(user) -> str:
    """People appear by name in choices, not by login."""
    return user.get_full_name() or user.get_username()


def _channels() -> Choices:
    from qms.models import Channel

    return [(str(c.pk), str(c)) for c in Channel.objects.all()]


def _active_channels() -> Choices:
    from qms.models import Channel

    return [(str(c.pk), str(c)) for c in Channel.objects.filter(is_active=True)]


def _org_units() -> Choices:
    from qms.models import OrgUnit

    return [(str(u.pk), str(u)) for u in OrgUnit.objects.all()]


def _staff() -> Choices:
    from django.contrib.auth import get_user_model

    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name")
        .only("pk", "username", "first_name", "last_name")
    )
    return [(str(u.pk), person_label(u)) for u in people]


def register_core() -> None:
    """Channels, units and active staff (called when the qms app is ready)."""
    from django.contrib.auth import get_user_model

    from qms.models import Channel, OrgUnit

    register("channels", _channels, Channel)
    register("active_channels", _active_channels, Channel)
    register("org_units", _org_units, OrgUnit)
    register("staff", _staff, get_user_model())
