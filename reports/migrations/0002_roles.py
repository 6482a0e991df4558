from django.db import migrations

_MODELS = ("report", "reportdecision", "distributionlist")

# Quality managers run the review; executives read reports and the dashboard
# and download PDFs but cannot issue; process owners also read and close the
# decisions they own (checked in the view); service staff read the issued
# reports and the dashboard (ISO 9001 §7.4: staff hear how the service
# performs; every figure is aggregated and small cells are suppressed).
PERMISSIONS = {
    "Quality manager": [
        *[f"reports.{a}_{m}" for m in _MODELS
          for a in ("view", "add", "change", "delete")],
        "reports.issue_report",
        "reports.approve_report",
    ],
    "Executive": ["reports.view_report", "reports.view_reportdecision"],
    "Process owner": ["reports.view_report", "reports.view_reportdecision"],
    "Service staff": ["reports.view_report"],
}  # fmt: skip


def forwards(apps, schema_editor):
    from qms.roles import grant

    grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("qms", "0002_roles_and_channels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
