"""The survey after a complaint is closed: its customer is invited to the
post-complaint series' wave in fieldwork."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from ..models import Participant, Series, Wave

S = Wave.Status
logger = logging.getLogger(__name__)


def post_complaint_invite(*, case) -> Participant | None:
    """Invite the customer of a closed complaint (:func:`_post_complaint`);
    a failure is logged and never breaks the closing of the complaint."""
    try:
        return _post_complaint(case)
    except Exception:
        logger.exception("Post-complaint survey invitation failed for case %s", case.pk)
        return None


def _post_complaint(case) -> Participant | None:
    """Invite the customer of a closed complaint to the post-complaint survey.

    Does nothing unless ``SURVEYS_POST_COMPLAINT`` is on, the case was
    resolved (answered and closed), an active
    post-complaint series has a wave in fieldwork, and the customer consents
    to surveys and e-mail and has an address. Called by the complaints app
    after the closing transaction commits.
    """
    if not getattr(settings, "SURVEYS_POST_COMPLAINT", False):
        return None
    # Only complaints that were answered: not duplicates, non-complaints,
    # recorded feedback or cases taken to an external body.
    if getattr(case, "closure_reason", "") != "resolved":
        return None
    customer = case.customer
    if customer is None or not customer.consent_surveys or not customer.consent_email:
        return None
    email = customer.email or getattr(case, "contact_email", "")
    if not email:
        return None
    wave = (
        Wave.objects.filter(
            series__kind=Series.Kind.POST_COMPLAINT,
            series__active=True,
            status=S.FIELDWORK,
        )
        .select_related("questionnaire")
        .order_by("-opens_on", "-id")
        .first()
    )
    if wave is None:
        return None
    if wave.participants.filter(customer=customer).exists():
        # Once per wave per customer (the unique constraint) — the latest
        # case updates the link to the case instead of a second invitation.
        return None
    group = wave.groups.filter(segment__in=customer.segments.all()).first()
    participant = Participant.objects.create(
        wave=wave,
        group=group,
        customer=customer,
        case=case,
        email=email,
        language=getattr(case, "language", "") or customer.preferred_language or "et",
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    from ..tasks import send_participant_invitation

    send_participant_invitation.delay(participant.pk)
    return participant
