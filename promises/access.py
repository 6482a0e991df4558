"""Who may do what with a promise (object level on top of model permissions)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from qms.access import Rule, declare, get_for_user

from .models import Promise

# Quality managers edit any promise, process owners the ones they own. Every
# promise is readable to whoever may view promises.
EDIT = declare(
    Promise,
    Rule(
        write_all=("promises.manage_promise",),
        change="promises.change_promise",
        own=("owner",),
    ),
)
# Enter or import fulfilment events: staff for any promise, process owners
# for their own.
RECORD = Rule(
    write_all=("promises.add_fulfilmentevent", "promises.record_any_fulfilment"),
    change="promises.add_fulfilmentevent",
    own=("owner",),
)
# Approve, publish, withdraw: the quality manager only.
MANAGE = Rule(write_all=("promises.manage_promise",))


def may_edit(user, promise: Promise) -> bool:
    """Quality managers edit any promise, process owners the ones they own."""
    return EDIT.may_write(user, promise)


def may_record(user, promise: Promise) -> bool:
    """Enter or import fulfilment events: staff for any promise, process
    owners for their own."""
    return RECORD.may_write(user, promise)


def get_promise_for_user(
    user, pk: int, *, write: bool = False, record: bool = False, manage: bool = False
) -> Promise:
    """The promise (404 when missing); ``PermissionDenied`` when the user may
    not do what is asked."""
    promise = get_for_user(
        Promise.objects.select_related("owner"), user, pk, write=write
    )
    for asked, rule in ((record, RECORD), (manage, MANAGE)):
        if asked and not rule.may_write(user, promise):
            raise PermissionDenied
    return promise
