from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")
    # Opens the area's landing page in the navigation (qms.areas.area_nav).
    home_permission = "qms.view_document"

    def ready(self) -> None:
        from qms.workflow import status_changed
        from surveys import aggregates

        aggregates.connect_signals()
        status_changed.connect(
            _invite_after_complaint,
            sender=self.apps.get_model("complaints", "Case"),
            dispatch_uid="surveys_post_complaint_invite",
        )


def _invite_after_complaint(sender, instance, change, **kwargs) -> None:
    """A closed complaint invites its customer to the post-complaint survey
    (after the closing has committed; a failure never undoes the closing)."""
    if change.to_status == sender.Status.CLOSED:
        from surveys.services.post_complaint import post_complaint_invite

        post_complaint_invite(case=instance)
