"""Access helpers shared by every app: public pages, permission checks, and
the object-level rule of each kind of record.

Every area answers the same question about its records: may this user read
this one, may they change it? The answer is nearly always "a manager
permission means every record; otherwise the records the user owns or is
assigned to". An app declares that once per model as a :class:`Rule` (in its
``access`` module, or beside its selectors) and reads through
:func:`get_for_user` and :func:`visible_to`, so the 404/403 answers are the
same everywhere: outside the user's scope a record answers 404 (its
existence is not revealed), a record they may read but not change answers
403. Where an area's rule genuinely differs (a case's subject employee never
handles their own case, whoever raised a need completes it while it is a
draft), the rule says so through its hooks.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.module_loading import autodiscover_modules

# Marks a view reachable without signing in (the login page, public forms).
public = login_not_required

# The modules of an app where its rules are declared, imported when a rule
# is first asked for.
RULE_MODULES = ("access", "selectors")

M = TypeVar("M", bound=Model)


def require_perm(*perms: str) -> Callable:
    """Decorator: the signed-in user needs all ``perms``; otherwise a 403 page."""
    return permission_required(perms, raise_exception=True)


def _has_all(user, perms: tuple[str, ...]) -> bool:
    return all(user.has_perm(perm) for perm in perms)


def _owner_id(obj: Model, path: str) -> Any:
    """The user id at ``path`` (``"owner"``, ``"plan__owner"``) of ``obj``;
    the related records on the way are expected to be loaded."""
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id")


@dataclass(frozen=True)
class Rule:
    """Who reads and who changes the records of one model.

    Reading. ``view``: without this permission the user reads no record (an
    empty list; a lookup answers ``without_view``: 404, or 403 before any
    query). ``read_all``: the permissions (all needed) to read every record;
    none listed, every record is readable. Without them the user reads the
    records that are their ``own`` (user fields, ``"plan__owner"`` across a
    relation) and those the ``scope`` hook returns a ``Q`` for (``None``:
    no more); a record
    outside answers ``outside_scope`` (404, or 403 where the record's
    existence is no secret). ``narrow`` returns a ``Q`` every reader's
    records must also meet (or ``None``).

    Changing. ``write_all``: the permissions (all needed) to change every
    readable record. ``change``: the permission to change one's ``own``
    records (every readable record when the rule names no ``own`` field).
    ``also_writes(user, obj)`` grants more, ``never_writes(user, obj)``
    refuses whatever the permissions say.
    """

    view: str | None = None
    without_view: int = 404
    read_all: tuple[str, ...] = ()
    own: tuple[str, ...] = ()
    scope: Callable[[Any], Q | None] | None = None
    narrow: Callable[[Any], Q | None] | None = None
    outside_scope: int = 404
    write_all: tuple[str, ...] = ()
    change: str | None = None
    also_writes: Callable[[Any, Any], bool] | None = None
    never_writes: Callable[[Any, Any], bool] | None = None

    def __post_init__(self) -> None:
        for name in ("without_view", "outside_scope"):
            if getattr(self, name) not in (403, 404):
                raise ValueError(f"{name} must be 403 or 404")

    def is_own(self, user, obj: Model) -> bool:
        """Whether one of the rule's ``own`` fields names ``user``."""
        return user.pk is not None and any(
            _owner_id(obj, path) == user.pk for path in self.own
        )

    def read_scope(self, user) -> Q | None:
        """The records ``user`` reads without ``read_all`` (None: none)."""
        parts = [Q(**{path: user}) for path in self.own]
        extra = self.scope(user) if self.scope is not None else None
        if extra is not None:
            parts.append(extra)
        return functools.reduce(operator.or_, parts) if parts else None

    def visible(self, queryset: QuerySet[M], user) -> QuerySet[M]:
        """``queryset`` narrowed to the records ``user`` may read."""
        if self.view and not user.has_perm(self.view):
            return queryset.none()
        if not _has_all(user, self.read_all):
            scope = self.read_scope(user)
            if scope is None:
                return queryset.none()
            queryset = queryset.filter(scope)
        if self.narrow is not None:
            narrow = self.narrow(user)
            if narrow is not None:
                queryset = queryset.filter(narrow)
        return queryset

    def may_read(self, user, obj: Model) -> bool:
        """Whether ``user`` may read ``obj`` (a query only when a hook decides)."""
        if self.view and not user.has_perm(self.view):
            return False
        if self.scope is None and self.narrow is None:
            return _has_all(user, self.read_all) or self.is_own(user, obj)
        records = type(obj)._default_manager.filter(pk=obj.pk)
        return self.visible(records, user).exists()

    def may_write(self, user, obj: Model) -> bool:
        """Whether ``user`` may change ``obj`` (which they may read)."""
        if self.never_writes is not None and self.never_writes(user, obj):
            return False
        if self.write_all and _has_all(user, self.write_all):
            return True
        if (
            self.change
            and user.has_perm(self.change)
            and (not self.own or self.is_own(user, obj))
        ):
            return True
        return self.also_writes is not None and self.also_writes(user, obj)


_RULES: dict[type[Model], Rule] = {}


def declare(model: type[Model], rule: Rule) -> Rule:
    """Make ``rule`` the rule of ``model``'s records; returns it."""
    _RULES[model] = rule
    return rule


def rule_for(model: type[Model]) -> Rule:
    """The rule ``model``'s app declared (see :data:`RULE_MODULES`)."""
    if model not in _RULES:
        # The same discovery as every other registry (qms.discovery).
        autodiscover_modules(*RULE_MODULES)
    try:
        return _RULES[model]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model._meta.label} declares no access rule (qms.access.declare)"
        ) from None


def _queryset(source: type[M] | QuerySet[M]) -> QuerySet[M]:
    return source._default_manager.all() if isinstance(source, type) else source


def visible_to(
    source: type[M] | QuerySet[M], user, *, rule: Rule | None = None
) -> QuerySet[M]:
    """The records of ``source`` (a model or a queryset) that ``user`` may
    read under ``rule`` (the model's declared rule by default)."""
    queryset = _queryset(source)
    return (rule or rule_for(queryset.model)).visible(queryset, user)


def get_for_user(
    source: type[M] | QuerySet[M],
    user,
    pk: Any = None,
    *,
    write: bool = False,
    rule: Rule | None = None,
    **lookup: Any,
) -> M:
    """The one record of ``source`` with ``pk`` (or ``lookup``) that ``user``
    may read, else ``Http404`` (or ``PermissionDenied``, as the rule says);
    with ``write``, ``PermissionDenied`` unless they may also change it."""
    queryset = _queryset(source)
    rule = rule or rule_for(queryset.model)
    if pk is not None:
        lookup["pk"] = pk
    if rule.view and not user.has_perm(rule.view):
        if rule.without_view == 403:
            raise PermissionDenied
        raise Http404
    if rule.outside_scope == 404:
        obj = get_object_or_404(rule.visible(queryset, user), **lookup)
    else:
        obj = get_object_or_404(queryset, **lookup)
        if not rule.may_read(user, obj):
            raise PermissionDenied
    if write and not rule.may_write(user, obj):
        raise PermissionDenied
    return obj
