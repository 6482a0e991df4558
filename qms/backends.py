"""Authentication backend: Django's ModelBackend with the permission check of a
request in one query instead of two."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class PermissionBackend(ModelBackend):
    """As ModelBackend, but ``get_all_permissions`` (what ``has_perm`` and the
    templates' ``perms`` ask) reads the user's own permissions and their
    groups' in one query: every signed-in page asks for them, and the stock
    backend runs one query for each kind. Kept on the user object for the
    request, as ModelBackend keeps its two sets."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                own = get_user_model().user_permissions.through.objects.filter(
                    user_id=user_obj.pk
                )
                groups = get_user_model().groups.through.objects.filter(
                    user_id=user_obj.pk
                )
                of_groups = Group.permissions.through.objects.filter(
                    group_id__in=groups.values("group_id")
                )
                perms = Permission.objects.filter(
                    Q(pk__in=own.values("permission_id"))
                    | Q(pk__in=of_groups.values("permission_id"))
                )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in perms.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache
