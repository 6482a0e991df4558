"""Daily reminders: handlers hear about answers falling due, heads of unit
about answers already overdue.

Each recipient gets ONE e-mail listing their cases. What was sent is kept in
the case log as an internal note (template ``reminder`` or ``escalation``);
a case that already has such a note today is skipped, so the job may run
several times a day without repeating itself.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qms import roles
from qms.measures import local_midnight

from .models import Case, Message
from .services import message_add

REMINDER = "reminder"
ESCALATION = "escalation"


@dataclass
class ReminderResult:
    reminders: int = 0  # e-mails to handlers
    escalations: int = 0  # e-mails to heads of unit / quality managers
    cases_reminded: int = 0
    cases_escalated: int = 0
    skipped_no_address: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"reminders: {self.reminders} e-mail(s) on {self.cases_reminded} "
            f"case(s); escalations: {self.escalations} e-mail(s) on "
            f"{self.cases_escalated} case(s)"
        )


def _not_noted_today(
    cases: QuerySet[Case], template: str, now: datetime.datetime
) -> QuerySet[Case]:
    today = timezone.localdate(now)
    noted = Message.objects.filter(
        case=OuterRef("pk"),
        direction=Message.Direction.NOTE,
        template=template,
        at__gte=local_midnight(today),
        at__lt=local_midnight(today + datetime.timedelta(days=1)),
    )
    return cases.filter(~Exists(noted))


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _case_lines(cases: list[Case]) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = []
    for case in sorted(cases, key=lambda c: (c.response_due_at, c.reference)):
        due = formats.date_format(
            timezone.localtime(case.response_due_at), "SHORT_DATETIME_FORMAT"
        )
        about = case.subject or (str(case.category) if case.category_id else "")
        lines.append(
            f"- {case.reference} ({_('due %(date)s') % {'date': due}})"
            f"{': ' + about if about else ''}\n  {base}{case.get_absolute_url()}"
        )
    return "\n".join(lines)


def _send(
    recipients: list,
    cases: list[Case],
    *,
    template: str,
    subject: str,
    intro: str,
    note: str,
) -> None:
    """E-mail the list and note it on every case, in one transaction: a mail
    server that refuses leaves no note, so the next run tries again."""
    body = f"{intro}\n\n{_case_lines(cases)}\n"
    with transaction.atomic():
        for case in cases:
            message_add(
                case=case,
                direction=Message.Direction.NOTE,
                body=note,
                by=None,
                template=template,
                to_address=", ".join(u.email for u in recipients),
            )
        EmailMessage(subject, body, to=[u.email for u in recipients]).send()


def send_reminders(now: datetime.datetime | None = None) -> ReminderResult:
    """Remind handlers of their open, unpaused cases whose answer is due within
    ``COMPLAINTS_DUE_SOON_HOURS``, and escalate overdue ones to the manager of
    the case's unit (else to every quality manager). Safe to run repeatedly:
    a case is reminded and escalated at most once a day."""
    now = now or timezone.now()
    result = ReminderResult()
    within = datetime.timedelta(hours=settings.COMPLAINTS_DUE_SOON_HOURS)

    due_soon = _not_noted_today(
        Case.objects.due_soon(now, within).filter(handler__isnull=False),
        REMINDER,
        now,
    ).select_related("handler", "category__parent")
    per_handler: dict[int, list[Case]] = defaultdict(list)
    for case in due_soon:
        per_handler[case.handler_id].append(case)
    for cases in per_handler.values():
        handler = cases[0].handler
        if not handler.is_active or not handler.email:
            result.skipped_no_address.extend(c.reference for c in cases)
            continue
        count = len(cases)
        _send(
            [handler],
            cases,
            template=REMINDER,
            subject=ngettext(
                "%(count)d case due within %(hours)d hours",
                "%(count)d cases due within %(hours)d hours",
                count,
            )
            % {"count": count, "hours": settings.COMPLAINTS_DUE_SOON_HOURS},
            intro=_("These cases you handle must be answered soon:"),
            note=_("Reminder sent to %(name)s") % {"name": _name(handler)},
        )
        result.reminders += 1
        result.cases_reminded += count

    overdue = _not_noted_today(
        Case.objects.overdue(now), ESCALATION, now
    ).select_related("org_unit__manager", "category__parent", "handler")
    quality_managers = None
    per_recipients: dict[tuple[int, ...], tuple[list, list[Case]]] = {}
    for case in overdue:
        manager = case.org_unit.manager
        if manager is not None and manager.is_active and manager.email:
            recipients = [manager]
        else:
            if quality_managers is None:
                quality_managers = list(
                    get_user_model()
                    .objects.filter(groups__name=roles.QUALITY_MANAGER, is_active=True)
                    .exclude(email="")
                    .order_by("pk")
                )
            recipients = quality_managers
        if not recipients:
            result.skipped_no_address.append(case.reference)
            continue
        key = tuple(u.pk for u in recipients)
        per_recipients.setdefault(key, (recipients, []))[1].append(case)
    for recipients, cases in per_recipients.values():
        count = len(cases)
        _send(
            recipients,
            cases,
            template=ESCALATION,
            subject=ngettext("%(count)d case overdue", "%(count)d cases overdue", count)
            % {"count": count},
            intro=_(
                "The answer to these cases is overdue. Please see that they are "
                "answered, or that the customer is told why and until when."
            ),
            note=_("Escalated to %(names)s")
            % {"names": ", ".join(_name(u) for u in recipients)},
        )
        result.escalations += 1
        result.cases_escalated += count
    return result
