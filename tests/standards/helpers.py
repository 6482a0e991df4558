import datetime

from django.utils import timezone

from qms import services as core_services
from qms.models import Channel, DocumentVersion
from standards import services
from standards.models import Criterion


def make_standard(owner, identifier="STD-T", title="Phone standard", channel="phone"):
    return services.standard_create(
        identifier=identifier,
        title=title,
        owner=owner,
        purpose="Callers are served well.",
        scope="All calls.",
        channels=[Channel.objects.get(code=channel)],
        body="Answer quickly.",
    )


def add_criterion(version, behaviour="Answers within three rings.", **fields):
    return Criterion.objects.create(version=version, behaviour=behaviour, **fields)


def approve(version, author, approver, effective_from=None):
    core_services.version_submit(version=version, by=author)
    if effective_from is not None and effective_from < timezone.localdate():
        # Approval cannot be back-dated; history is set up by hand.
        version = core_services.version_approve(version=version, by=approver)
        DocumentVersion.objects.filter(pk=version.pk).update(
            effective_from=effective_from
        )
        version.refresh_from_db()
        return version
    return core_services.version_approve(
        version=version, by=approver, effective_from=effective_from
    )


def today():
    return timezone.localdate()


def days(n):
    return datetime.timedelta(days=n)


def answers(version, *values):
    criteria = list(version.criteria.order_by("order"))
    return {c.pk: (v, "") for c, v in zip(criteria, values, strict=True)}


def evaluate(standard, employee, evaluator, *values, day=None, **fields):
    day = day or today() - days(3)
    version = services.version_in_force(standard=standard, on=day)
    return services.evaluation_create(
        standard=standard,
        interaction_type="call",
        reference=fields.pop("reference", "CALL-1"),
        interaction_date=day,
        channel=Channel.objects.get(code="phone"),
        employee=employee,
        evaluator=evaluator,
        answers=answers(version, *values),
        **fields,
    )
