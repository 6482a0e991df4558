from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Customer promises")
    # Opens the area's landing page in the navigation (qms.areas.area_nav).
    home_permission = "qms.view_document"
