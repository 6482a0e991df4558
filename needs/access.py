"""Who may do what with a need (object level on top of model permissions)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Need


def may_edit(user, need: Need) -> bool:
    """Quality managers edit any need, process owners the ones they own, and
    whoever raised a need may complete it while it is still just identified."""
    if user.has_perm("needs.manage_need"):
        return True
    if user.has_perm("needs.change_need") and need.owner_id == user.pk:
        return True
    return (
        user.has_perm("needs.add_need")
        and need.raised_by_id == user.pk
        and need.status == Need.Status.IDENTIFIED
    )


def may_decide(user, need: Need) -> bool:
    """Review, decide, link: the quality manager or the need's owner."""
    if user.has_perm("needs.manage_need"):
        return True
    return user.has_perm("needs.change_need") and need.owner_id == user.pk


def get_need_for_user(user, pk: int, *, write: bool = False, decide: bool = False):
    """The need (404 when missing); ``PermissionDenied`` when the user may
    only read it."""
    need = get_object_or_404(
        Need.objects.select_related("service", "owner", "raised_by", "decided_by"),
        pk=pk,
    )
    if write and not may_edit(user, need):
        raise PermissionDenied
    if decide and not may_decide(user, need):
        raise PermissionDenied
    return need
