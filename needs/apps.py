from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Customer needs")

    def ready(self) -> None:
        from needs.measures import register_all

        register_all()
