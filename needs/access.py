"""Who may do what with a need (object level on top of model permissions)."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied

from qms.access import Rule, declare, get_for_user

from .models import Need

# Review, decide, link: the quality manager or the need's owner (process
# owners). Every need is readable to whoever may view needs.
DECIDE = declare(
    Need,
    Rule(write_all=("needs.manage_need",), change="needs.change_need", own=("owner",)),
)


def _completes_own_draft(user, need: Need) -> bool:
    return (
        user.has_perm("needs.add_need")
        and need.raised_by_id == user.pk
        and need.status == Need.Status.IDENTIFIED
    )


# Editing also lets whoever raised a need complete it while it is still just
# identified.
EDIT = replace(DECIDE, also_writes=_completes_own_draft)


def may_edit(user, need: Need) -> bool:
    """Quality managers edit any need, process owners the ones they own, and
    whoever raised a need may complete it while it is still just identified."""
    return EDIT.may_write(user, need)


def may_decide(user, need: Need) -> bool:
    """Review, decide, link: the quality manager or the need's owner."""
    return DECIDE.may_write(user, need)


def get_need_for_user(user, pk: int, *, write: bool = False, decide: bool = False):
    """The need (404 when missing); ``PermissionDenied`` when the user may
    only read it."""
    need = get_for_user(
        Need.objects.select_related("service", "owner", "raised_by", "decided_by"),
        user,
        pk,
        write=decide,
    )
    if write and not may_edit(user, need):
        raise PermissionDenied
    return need
