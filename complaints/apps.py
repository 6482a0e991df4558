from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints and disputes")

    def ready(self) -> None:
        from complaints import personal_data, summaries
        from complaints.measures import register_all

        register_all()
        personal_data.register_sources()
        summaries.connect_signals()
