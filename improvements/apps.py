"""The shared improvement system: proposals, CAPA plans, actions and
effectiveness checks that every area feeds."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementsConfig(AppConfig):
    name = "improvements"
    verbose_name = _("Improvements")
    # Opens the area's landing page in the navigation (qms.areas.area_nav).
    home_permission = "improvements.view_plan"
