"""Review reminders: the owner of a promise whose next review date is near
(``PROMISES_REVIEW_REMINDER_DAYS`` ahead, default 14) or past gets one e-mail;
recording a review resets the reminder. Safe to run more than once a day."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Promise


def reminder_days() -> int:
    return int(getattr(settings, "PROMISES_REVIEW_REMINDER_DAYS", 14))


def send_review_reminders(today: datetime.date | None = None) -> int:
    """E-mail the owners of promises due for review; returns how many were
    sent. Queries: one for the due promises, one update per reminder sent."""
    today = today or timezone.localdate()
    due = (
        Promise.objects.review_due(today + datetime.timedelta(days=reminder_days()))
        .filter(review_reminder_sent_on__isnull=True)
        .exclude(owner__email="")
        .select_related("owner")
    )
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    sent = 0
    for promise in due:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Promise %(ref)s is due for review on %(date)s") % {
                "ref": promise.reference,
                "date": promise.next_review_date.isoformat(),
            }
            body = _(
                "The promise “%(title)s” (%(ref)s) you own is due for review on "
                "%(date)s.\n\nLook at its monitoring and record the review:\n"
                "%(url)s\n"
            ) % {
                "title": promise.title,
                "ref": promise.reference,
                "date": promise.next_review_date.isoformat(),
                "url": base + promise.get_absolute_url(),
            }
        EmailMessage(subject, body, to=[promise.owner.email]).send()
        Promise.objects.filter(pk=promise.pk).update(review_reminder_sent_on=today)
        sent += 1
    return sent
