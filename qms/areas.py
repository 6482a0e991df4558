"""The areas of the customer-relations system (B.2.6) and their navigation."""

from dataclasses import dataclass

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


# The areas with a working landing page, in the order the navigation shows them.
AREA_NAV = [
    NavItem(Area.PROMISES.label, "promises:home", "qms.view_document", Area.PROMISES),
    NavItem(Area.NEEDS.label, "needs:home", "qms.view_document", Area.NEEDS),
    NavItem(
        Area.STANDARDS.label, "standards:home", "qms.view_document", Area.STANDARDS
    ),
    NavItem(
        Area.COMPLAINTS.label,
        "complaints:home",
        "complaints.view_case",
        Area.COMPLAINTS,
    ),
    NavItem(Area.SURVEYS.label, "surveys:home", "qms.view_document", Area.SURVEYS),
    NavItem(
        Area.IMPROVEMENTS.label,
        "improvements:home",
        "improvements.view_plan",
        Area.IMPROVEMENTS,
    ),
    NavItem(Area.REPORTS.label, "reports:home", "qms.view_document", Area.REPORTS),
]

REGISTER_NAV = [
    NavItem(_("Customers"), "qms:customer-list", "qms.view_customer"),
    NavItem(_("Documents"), "qms:document-list", "qms.view_document"),
    NavItem(_("Calendar"), "qms:calendar", "qms.view_closureday"),
]
