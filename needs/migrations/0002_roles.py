from django.db import migrations

PERMISSIONS = {
    "Quality manager": [
        *[f"needs.{a}_{m}" for m in ("need", "needreview", "needlink")
          for a in ("view", "add", "change", "delete")],
        "needs.view_needtransition",
        "needs.manage_need",
    ],
    # Staff capture needs from complaints and see the registry.
    "Service staff": ["needs.view_need", "needs.add_need"],
    # Process owners work on the needs they own (checked per record).
    "Process owner": ["needs.view_need", "needs.change_need"],
    "Executive": ["needs.view_need", "needs.view_needreview", "needs.view_needlink"],
}  # fmt: skip


def forwards(apps, schema_editor):
    from qms.roles import grant

    grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0001_initial"),
        ("qms", "0002_roles_and_channels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
