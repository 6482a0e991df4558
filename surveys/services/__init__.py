"""Writes of the surveys area, one module per part of the work:

- :mod:`~surveys.services.questionnaires`: questionnaire versions, their
  sections, questions and options;
- :mod:`~surveys.services.waves`: series, the survey plan and its approval
  (the wave workflow, :data:`WORKFLOW`);
- :mod:`~surveys.services.participants`: the sample, imported participants,
  bounces and opt-outs;
- :mod:`~surveys.services.invitations`: invitations and reminders;
- :mod:`~surveys.services.responses`: submitted answers and drafts;
- :mod:`~surveys.services.post_complaint`: the invitation after a complaint.

Every status change of a wave goes through :func:`wave_transition`; every
answer (personal link, public link, staff entry) goes through
:func:`response_submit`.

Callers use the names re-exported here (``surveys.services.X``), and
:func:`qms.workflow.workflow_for` imports this package to find the wave
workflow.
"""

from .invitations import (
    ERR_NOT_IN_FIELDWORK,
    WAITING,
    invitations_pending,
    invitations_send,
    opt_out_url,
    personal_url,
    reminders_due,
    send_invitation,
)
from .participants import (
    ERR_BOUNCE_UNKNOWN,
    ERR_IMPORT_CUSTOMER,
    ERR_IMPORT_DUPLICATE,
    ERR_IMPORT_EMAIL,
    ERR_IMPORT_GROUP,
    ERR_IMPORT_LANGUAGE,
    ERR_IMPORT_NO_CONSENT,
    ERR_NOT_APPROVED,
    IMPORT_COLUMNS,
    IMPORT_REQUIRED,
    BounceResult,
    bounces_import,
    draw_order,
    eligible_customers,
    participant_bounced,
    participant_opt_out,
    participants_import,
    sample_draw,
)
from .post_complaint import post_complaint_invite
from .questionnaires import (
    ERR_CODE_TAKEN,
    ERR_LOCKED,
    ERR_SHOW_IF_LATER,
    ERR_SHOW_IF_TYPE,
    option_delete,
    option_save,
    question_delete,
    question_save,
    questionnaire_create,
    questionnaire_new_version,
    questionnaire_save,
    section_delete,
    section_save,
)
from .responses import (
    ERR_ALREADY_ANSWERED,
    draft_save,
    participant_opened,
    public_fingerprint,
    response_submit,
    visible,
)
from .waves import (
    EDITABLE,
    ERR_CLOSES_BEFORE_OPENS,
    ERR_MAY_NOT_APPROVE,
    ERR_NO_GROUPS,
    ERR_NO_QUESTIONS,
    ERR_PLAN_READ_ONLY,
    ERR_POPULATION,
    ERR_REMINDER_DAYS,
    ERR_SERIES_QUESTIONNAIRE,
    ERR_TRANSITION,
    WORKFLOW,
    GroupPlan,
    group_delete,
    group_save,
    plan_compute,
    plan_figures,
    segment_population,
    series_save,
    wave_save,
    wave_transition,
)

__all__ = [
    "EDITABLE",
    "ERR_ALREADY_ANSWERED",
    "ERR_BOUNCE_UNKNOWN",
    "ERR_CLOSES_BEFORE_OPENS",
    "ERR_CODE_TAKEN",
    "ERR_IMPORT_CUSTOMER",
    "ERR_IMPORT_DUPLICATE",
    "ERR_IMPORT_EMAIL",
    "ERR_IMPORT_GROUP",
    "ERR_IMPORT_LANGUAGE",
    "ERR_IMPORT_NO_CONSENT",
    "ERR_LOCKED",
    "ERR_MAY_NOT_APPROVE",
    "ERR_NOT_APPROVED",
    "ERR_NOT_IN_FIELDWORK",
    "ERR_NO_GROUPS",
    "ERR_NO_QUESTIONS",
    "ERR_PLAN_READ_ONLY",
    "ERR_POPULATION",
    "ERR_REMINDER_DAYS",
    "ERR_SERIES_QUESTIONNAIRE",
    "ERR_SHOW_IF_LATER",
    "ERR_SHOW_IF_TYPE",
    "ERR_TRANSITION",
    "IMPORT_COLUMNS",
    "IMPORT_REQUIRED",
    "WAITING",
    "WORKFLOW",
    "BounceResult",
    "GroupPlan",
    "bounces_import",
    "draft_save",
    "draw_order",
    "eligible_customers",
    "group_delete",
    "group_save",
    "invitations_pending",
    "invitations_send",
    "opt_out_url",
    "option_delete",
    "option_save",
    "participant_bounced",
    "participant_opened",
    "participant_opt_out",
    "participants_import",
    "personal_url",
    "plan_compute",
    "plan_figures",
    "post_complaint_invite",
    "public_fingerprint",
    "question_delete",
    "question_save",
    "questionnaire_create",
    "questionnaire_new_version",
    "questionnaire_save",
    "reminders_due",
    "response_submit",
    "sample_draw",
    "section_delete",
    "section_save",
    "segment_population",
    "send_invitation",
    "series_save",
    "visible",
    "wave_save",
    "wave_transition",
]
