"""Access helpers shared by every app: public pages and permission checks."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required, permission_required

# Marks a view reachable without signing in (the login page, public forms).
public = login_not_required


def require_perm(*perms: str) -> Callable:
    """Decorator: the signed-in user needs all ``perms``; otherwise a 403 page."""
    return permission_required(perms, raise_exception=True)
