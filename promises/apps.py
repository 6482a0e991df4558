from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Customer promises")

    def ready(self) -> None:
        from promises.measures import register_all

        register_all()
