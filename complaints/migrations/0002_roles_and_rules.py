from django.db import migrations

PERMISSIONS = {
    "Quality manager": [
        *[f"complaints.{a}_{m}" for m in ("case", "category", "deadlinerule",
                                          "message", "attachment", "pause")
          for a in ("view", "add", "change")],
        "complaints.view_transition",
        "complaints.handle_case",
        "complaints.view_all_cases",
        "complaints.view_confidential_case",
    ],
    "Service staff": [
        "complaints.view_case",
        "complaints.add_case",
        "complaints.change_case",
        "complaints.handle_case",
        "complaints.view_category",
        "complaints.view_message",
        "complaints.add_message",
        "complaints.view_attachment",
        "complaints.add_attachment",
        "complaints.view_transition",
    ],
    "Executive": [
        "complaints.view_case",
        "complaints.view_all_cases",
        "complaints.view_category",
        "complaints.view_transition",
    ],
}

# Defaults from ISO 10002 practice and the Consumer Protection Act §19.
RULES = [
    # kind, priority, ack, ack unit, respond, respond unit, basis
    ("complaint", "", 1, "working_days", 15, "calendar_days",
     "Acknowledge in 1 working day; answer in 15 days"),
    ("complaint", "urgent", 2, "working_hours", 3, "working_days",
     "Safety-related and urgent cases are fast-tracked"),
    ("claim", "", 1, "working_days", 15, "calendar_days",
     "Consumer Protection Act §19: written claims answered within 15 days"),
    ("dispute", "", 1, "working_days", 14, "calendar_days",
     "Default when the body sets no deadline (Consumer Disputes Committee: 14 days)"),
    ("compliment", "", 2, "working_days", 10, "working_days", "Thank the customer"),
    ("suggestion", "", 2, "working_days", 20, "working_days",
     "Tell the proposer what was decided"),
]  # fmt: skip


def forwards(apps, schema_editor):
    from qms.roles import grant

    grant(apps, PERMISSIONS)
    DeadlineRule = apps.get_model("complaints", "DeadlineRule")
    for kind, priority, ack, ack_unit, respond, respond_unit, note in RULES:
        DeadlineRule.objects.get_or_create(
            kind=kind,
            priority=priority,
            defaults={
                "acknowledge_within": ack,
                "acknowledge_unit": ack_unit,
                "respond_within": respond,
                "respond_unit": respond_unit,
                "note": note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("qms", "0002_roles_and_channels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
