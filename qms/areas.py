"""The areas of the customer-relations system (B.2.6) and their navigation."""

import functools
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    GENERAL = "general", _("General")
    PROMISES = "promises", _("Customer promises")
    NEEDS = "needs", _("Customer needs")
    STANDARDS = "standards", _("Communication standards")
    COMPLAINTS = "complaints", _("Complaints and disputes")
    SURVEYS = "surveys", _("Satisfaction surveys")
    IMPROVEMENTS = "improvements", _("Improvements")
    REPORTS = "reports", _("Management reports")


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    # The user needs this permission to see the item (None: every signed-in user).
    permission: str | None = None
    area: str = ""


@functools.cache
def area_nav() -> list[NavItem]:
    """The areas with a landing page, in the order of :class:`Area`. Each area
    app declares the permission that opens its landing page (``<app>:home``)
    as ``home_permission`` on its AppConfig; the core names no area."""
    items = []
    for area in Area:
        try:
            config = apps.get_app_config(area.value)
        except LookupError:
            continue
        permission = getattr(config, "home_permission", None)
        if permission:
            items.append(NavItem(area.label, f"{config.label}:home", permission, area))
    return items


REGISTER_NAV = [
    NavItem(_("Customers"), "qms:customer-list", "qms.view_customer"),
    NavItem(_("Documents"), "qms:document-list", "qms.view_document"),
    NavItem(_("Calendar"), "qms:calendar", "qms.view_closureday"),
]
