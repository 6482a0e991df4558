"""A small world of records for the role-by-view matrix: one of each thing a
URL can point at, and a user for each role. Views of a new area need their
objects here (``World``) and their URL arguments in ``ARGS``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import rca
from complaints.attachments import attachment_add
from complaints.models import IshikawaCategory
from improvements import services as improvement_services
from needs import services as need_services
from needs.models import NeedLink
from qms import roles
from qms import services as core_services
from qms.areas import Area
from qms.models import Document, Membership
from tests.factories import CustomerFactory, OrgUnitFactory, UserFactory, register_case
from tests.needs.helpers import make_need
from tests.standards.helpers import add_criterion, make_standard

# Column order of the expectation table.
ROLES = ("quality_manager", "service_staff", "process_owner", "executive", "outsider")


@dataclass
class World:
    users: dict[str, Any]
    case: Any
    attachment: Any
    analysis: Any
    why_step: Any
    cause: Any
    customer: Any
    need: Any
    need_link: Any
    plan: Any
    action: Any
    proposal: Any
    document: Any
    version: Any
    standard: Any
    standard_version: Any
    criterion: Any


def build_world() -> World:
    users = {
        "quality_manager": UserFactory(username="m-qm", roles=[roles.QUALITY_MANAGER]),
        "service_staff": UserFactory(username="m-staff", roles=[roles.SERVICE_STAFF]),
        "process_owner": UserFactory(username="m-owner", roles=[roles.PROCESS_OWNER]),
        "executive": UserFactory(username="m-exec", roles=[roles.EXECUTIVE]),
        "outsider": UserFactory(username="m-outsider"),
    }
    qm, staff, owner = (
        users["quality_manager"],
        users["service_staff"],
        users["process_owner"],
    )
    unit = OrgUnitFactory(code="matrix")
    Membership.objects.create(user=staff, unit=unit)
    customer = CustomerFactory(name="Mari Maasikas", email="mari@example.org")
    case = register_case(org_unit=unit, customer=customer, subject="Wrong bill")
    attachment = attachment_add(
        case=case, upload=SimpleUploadedFile("note.txt", b"A plain note."), by=staff
    )
    analysis = rca.analysis_create(
        title="Brown water", problem_what="Brown water.", lead=qm, by=qm
    )
    why_step = rca.why_step_add(analysis=analysis, question="Why?", answer="Rust")
    category, _ = IshikawaCategory.objects.get_or_create(
        code="machine", defaults={"name": "Machine"}
    )
    cause = rca.cause_add(analysis=analysis, category=category, text="Old pipes")
    need = make_need(by=qm, owner=qm)
    need_link = need_services.link_add(
        need=need, target=case, kind=NeedLink.Kind.ANSWERS
    )
    plan = improvement_services.plan_create(
        title="Fewer wrong bills", problem="Bills are wrong.", owner=owner, by=qm
    )
    action = improvement_services.action_create(
        plan=plan,
        description="Check the tariff table.",
        owner=owner,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    proposal = improvement_services.proposal_submit(
        title="Clearer bills", description="Show the tariff.", proposer=staff
    )
    document = core_services.document_create(
        identifier="PD-M",
        title="Handling complaints",
        kind=Document.Kind.PROCESS,
        area=Area.COMPLAINTS,
        owner=qm,
        body="Acknowledge within one working day.",
    )
    standard = make_standard(qm)
    standard_version = standard.document.versions.get()
    criterion = add_criterion(standard_version)
    return World(
        users=users,
        case=case,
        attachment=attachment,
        analysis=analysis,
        why_step=why_step,
        cause=cause,
        customer=customer,
        need=need,
        need_link=need_link,
        plan=plan,
        action=action,
        proposal=proposal,
        document=document,
        version=document.versions.get(),
        standard=standard,
        standard_version=standard_version,
        criterion=criterion,
    )


def _case(w: World) -> dict:
    return {"reference": w.case.reference}


def _analysis(w: World) -> dict:
    return {"pk": w.analysis.pk}


# URL name -> keyword arguments for reverse(). Names not here take none.
ARGS: dict[str, Callable[[World], dict]] = {
    "api:case-detail": _case,
    "complaints:analysis-conclude": _analysis,
    "complaints:analysis-detail": _analysis,
    "complaints:analysis-reopen": _analysis,
    "complaints:analysis-update": _analysis,
    "complaints:attachment": lambda w: {**_case(w), "pk": w.attachment.pk},
    "complaints:case-action": lambda w: {**_case(w), "action": "accept"},
    "complaints:case-decide": _case,
    "complaints:case-delay": _case,
    "complaints:case-detail": _case,
    "complaints:case-dispute": _case,
    "complaints:case-dispute-outcome": _case,
    "complaints:case-link": lambda w: {**_case(w), "how": "related"},
    "complaints:case-message": _case,
    "complaints:case-pause": _case,
    "complaints:case-resume": _case,
    "complaints:case-root-cause": _case,
    "complaints:case-update": _case,
    "complaints:cause-add": _analysis,
    "complaints:cause-delete": lambda w: {**_analysis(w), "cause_pk": w.cause.pk},
    "complaints:cause-update": lambda w: {**_analysis(w), "cause_pk": w.cause.pk},
    "complaints:whystep-add": _analysis,
    "complaints:whystep-delete": lambda w: {**_analysis(w), "step_pk": w.why_step.pk},
    "complaints:whystep-move": lambda w: {
        **_analysis(w),
        "step_pk": w.why_step.pk,
        "direction": "up",
    },
    "complaints:whystep-update": lambda w: {**_analysis(w), "step_pk": w.why_step.pk},
    "complaints_public:case-status": lambda w: {
        **_case(w),
        "token": w.case.public_token,
    },
    "complaints_public:case-thanks": lambda w: {
        **_case(w),
        "token": w.case.public_token,
    },
    "improvements:action-create": lambda w: {"pk": w.plan.pk},
    "improvements:action-edit": lambda w: {"pk": w.action.pk},
    "improvements:action-evidence": lambda w: {"pk": w.action.pk},
    **{
        f"improvements:plan-{name}": (lambda w: {"pk": w.plan.pk})
        for name in (
            "approve",
            "check",
            "criterion",
            "detail",
            "edit",
            "not-effective",
            "transition",
            "verdict",
        )
    },
    **{
        f"improvements:proposal-{name}": (lambda w: {"pk": w.proposal.pk})
        for name in ("decide", "detail", "plan", "review")
    },
    **{
        f"needs:{name}": (lambda w: {"pk": w.need.pk})
        for name in (
            "conflict-resolve",
            "link-add",
            "links-reviewed",
            "need-detail",
            "need-review",
            "need-transition",
            "need-update",
        )
    },
    "needs:link-remove": lambda w: {"pk": w.need.pk, "link_pk": w.need_link.pk},
    **{
        f"qms:customer-{name}": (lambda w: {"pk": w.customer.pk})
        for name in ("detail", "update", "personal-data", "erase")
    },
    "qms:customer-personal-data-export": lambda w: {"pk": w.customer.pk, "fmt": "csv"},
    **{
        f"qms:document-{name}": (lambda w: {"pk": w.document.pk})
        for name in ("compare", "detail", "version-create")
    },
    **{
        f"qms:document-{name}": (
            lambda w: {"pk": w.document.pk, "number": w.version.number}
        )
        for name in (
            "version",
            "version-approve",
            "version-return",
            "version-submit",
            "version-update",
        )
    },
    **{
        f"standards:{name}": (lambda w: {"pk": w.standard.pk})
        for name in ("standard-detail", "standard-update", "version-create")
    },
    **{
        f"standards:{name}": (
            lambda w: {"pk": w.standard.pk, "number": w.standard_version.number}
        )
        for name in ("acknowledge", "criterion-create")
    },
    **{
        f"standards:{name}": (
            lambda w: {
                "pk": w.standard.pk,
                "number": w.standard_version.number,
                "criterion_pk": w.criterion.pk,
            }
        )
        for name in ("criterion-detail", "criterion-update")
    },
}
