from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self) -> None:
        from surveys import aggregates, personal_data
        from surveys.measures import register_all

        register_all()
        personal_data.register_sources()
        aggregates.connect_signals()
