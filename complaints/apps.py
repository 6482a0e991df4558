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
        register_options()


def register_options() -> None:
    """The work queue's category list, cached (see qms.options)."""
    from complaints.models import Category
    from qms import options

    def categories() -> options.Choices:
        rows = Category.objects.select_related("parent")
        return [(str(c.pk), str(c)) for c in rows]

    options.register("complaints.categories", categories, Category)
