from django.db import migrations

_MODELS = ("proposal", "plan", "planorigin", "plantransition", "action",
           "effectivenesscheck")

# Object-level limits (own actions, own plans) are enforced in the views; the
# groups only say which kinds of record a role may touch at all.
PERMISSIONS = {
    "Quality manager": [
        *[f"improvements.{a}_{m}" for m in _MODELS
          for a in ("view", "add", "change")],
        "improvements.decide_proposal",
        "improvements.approve_plan",
        "improvements.verify_effectiveness",
        "improvements.manage_plan",
    ],
    "Service staff": [
        "improvements.add_proposal",
        "improvements.view_proposal",
        "improvements.view_plan",
        "improvements.view_action",
        "improvements.change_action",
    ],
    "Process owner": [
        "improvements.add_proposal",
        "improvements.view_proposal",
        "improvements.view_plan",
        "improvements.change_plan",
        "improvements.view_action",
        "improvements.add_action",
        "improvements.change_action",
        "improvements.view_effectivenesscheck",
    ],
    "Executive": [f"improvements.view_{m}" for m in _MODELS],
}  # fmt: skip


def forwards(apps, schema_editor):
    from qms.roles import grant

    grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("improvements", "0001_initial"),
        ("qms", "0002_roles_and_channels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
