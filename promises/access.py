"""Who may do what with a promise (object level on top of model permissions)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Promise


def may_edit(user, promise: Promise) -> bool:
    """Quality managers edit any promise, process owners the ones they own."""
    if user.has_perm("promises.manage_promise"):
        return True
    return user.has_perm("promises.change_promise") and promise.owner_id == user.pk


def may_record(user, promise: Promise) -> bool:
    """Enter or import fulfilment events: staff for any promise, process
    owners for their own."""
    if not user.has_perm("promises.add_fulfilmentevent"):
        return False
    return (
        user.has_perm("promises.record_any_fulfilment") or promise.owner_id == user.pk
    )


def get_promise_for_user(
    user, pk: int, *, write: bool = False, record: bool = False, manage: bool = False
) -> Promise:
    """The promise (404 when missing); ``PermissionDenied`` when the user may
    not do what is asked."""
    promise = get_object_or_404(Promise.objects.select_related("owner"), pk=pk)
    if write and not may_edit(user, promise):
        raise PermissionDenied
    if record and not may_record(user, promise):
        raise PermissionDenied
    if manage and not user.has_perm("promises.manage_promise"):
        raise PermissionDenied
    return promise
