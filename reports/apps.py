from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Management reports")
    # Opens the area's landing page in the navigation (qms.areas.area_nav).
    home_permission = "qms.view_document"
