from django.db import migrations

MODELS = (
    "series", "questionnaire", "section", "question", "option", "wave",
    "targetgroup", "participant", "response", "answer", "followup",
)

PERMISSIONS = {
    "Quality manager": [
        *[f"surveys.{a}_{m}" for m in MODELS for a in ("view", "add", "change", "delete")],
        "surveys.view_wavetransition",
        "surveys.approve_wave",
        "surveys.enter_response",
    ],
    # Staff type in phone and paper answers and work the follow-up tasks.
    "Service staff": [
        "surveys.view_wave",
        "surveys.enter_response",
        "surveys.view_followup",
        "surveys.change_followup",
    ],
    "Process owner": ["surveys.view_series", "surveys.view_wave"],
    # Executives read results, never who answered what.
    "Executive": ["surveys.view_series", "surveys.view_wave", "surveys.view_question"],
}  # fmt: skip


def forwards(apps, schema_editor):
    from qms.roles import grant

    grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("qms", "0002_roles_and_channels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
