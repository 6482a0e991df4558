from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _new_version(sender, instance, created, raw=False, **kwargs) -> None:
    """A new draft of a standard's document starts with the previous criteria,
    whichever page or service opened it."""
    if created and not raw:
        from standards.services import criteria_carry_over

        criteria_carry_over(version=instance)


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Communication standards")
    # Opens the area's landing page in the navigation (qms.areas.area_nav).
    home_permission = "qms.view_document"

    def ready(self) -> None:
        post_save.connect(
            _new_version,
            sender="qms.DocumentVersion",
            dispatch_uid="standards_criteria_carry_over",
        )
