from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints and disputes")
    # Opens the area's landing page in the navigation (qms.areas.area_nav).
    home_permission = "complaints.view_case"

    def ready(self) -> None:
        from complaints.monitoring import summaries

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
