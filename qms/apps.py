from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

# The registries other apps fill from modules of these names, imported when
# the core is ready (every model is loaded by then). Report sections and demo
# data are discovered when a report or the demo is built (qms.discovery).
STARTUP_MODULES = ("measures", "personal_data", "panels")


class QmsConfig(AppConfig):
    name = "qms"
    verbose_name = _("Core")

    def ready(self) -> None:
        from qms.options import register_core

        register_core()
        autodiscover_modules(*STARTUP_MODULES)
