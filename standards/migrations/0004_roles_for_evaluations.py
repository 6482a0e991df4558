"""Role permissions for evaluations, sampling, calibration and timeliness.

Team leads are not a role of their own: a team lead is a service-staff member
who also holds ``standards.add_evaluation`` as a personal permission (given in
the admin). They evaluate and see the evaluations of their unit.
"""

from django.db import migrations

_NEW = (
    "evaluation",
    "criterionscore",
    "calibrationsession",
    "samplingplan",
    "interaction",
    "timelinessfigure",
)

PERMISSIONS = {
    "Quality manager": [
        *[f"standards.{a}_{m}" for m in _NEW for a in ("view", "add", "change")],
        "standards.delete_evaluation",
        "standards.view_all_evaluations",
        "standards.view_results",
    ],
    # Staff see their own evaluations (the views narrow the scope) and answer.
    "Service staff": [
        "standards.view_evaluation",
        "standards.view_criterionscore",
        "standards.respond_evaluation",
    ],
    # Executives read the aggregated results only.
    "Executive": ["standards.view_results", "standards.view_timelinessfigure"],
}


def forwards(apps, schema_editor):
    from qms.roles import grant

    grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0003_evaluations_sampling_calibration_timeliness"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
