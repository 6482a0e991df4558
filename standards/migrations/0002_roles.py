from django.db import migrations

_MODELS = ("standard", "criterion", "acknowledgement")

PERMISSIONS = {
    "Quality manager": [
        f"standards.{a}_{m}"
        for m in _MODELS
        for a in ("view", "add", "change", "delete")
    ],
    # Staff read the standards in force and confirm having read them.
    "Service staff": [
        "standards.view_standard",
        "standards.view_criterion",
        "standards.add_acknowledgement",
    ],
    # Process owners draft the criteria; the quality manager approves versions.
    "Process owner": [
        "standards.view_standard",
        "standards.view_criterion",
        "standards.add_criterion",
        "standards.change_criterion",
    ],
    "Executive": [f"standards.view_{m}" for m in _MODELS],
}


def forwards(apps, schema_editor):
    from qms.roles import grant

    grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0001_initial"),
        ("qms", "0002_roles_and_channels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
