"""Permissions of the root-cause analysis models per role, and the seeded
root-cause and Ishikawa taxonomies (both editable in admin afterwards)."""

from django.db import migrations

_MODELS = ("rootcauseanalysis", "whystep", "ishikawacause")
_TAXONOMIES = ("rootcausecategory", "ishikawacategory")

PERMISSIONS = {
    "Quality manager": [
        f"complaints.{action}_{model}"
        for model in (*_MODELS, *_TAXONOMIES)
        for action in ("view", "add", "change", "delete")
    ],
    # Staff run analyses, guided by the forms.
    "Service staff": [
        *[
            f"complaints.{action}_{model}"
            for model in _MODELS
            for action in ("view", "add", "change")
        ],
        "complaints.delete_whystep",
        "complaints.delete_ishikawacause",
        *[f"complaints.view_{model}" for model in _TAXONOMIES],
    ],
    "Executive": [f"complaints.view_{m}" for m in (*_MODELS, *_TAXONOMIES)],
    "Process owner": [f"complaints.view_{m}" for m in (*_MODELS, *_TAXONOMIES)],
}

# code, name, [(code, name)]
ROOT_CAUSES = [
    ("people", "People", [
        ("people-training", "Training"),
        ("people-workload", "Workload"),
    ]),
    ("methods", "Methods", [
        ("methods-unclear-procedure", "Unclear procedure"),
        ("methods-missing-procedure", "Missing procedure"),
    ]),
    ("systems", "Systems", [
        ("systems-it-fault", "IT fault"),
        ("systems-meter-fault", "Meter fault"),
    ]),
    ("information", "Information", [
        ("information-wrong-data", "Wrong data"),
        ("information-unclear-letter", "Unclear letter"),
    ]),
    ("measurement", "Measurement", [
        ("measurement-estimated-reading", "Estimated reading"),
    ]),
    ("environment", "Environment", [
        ("environment-weather", "Weather"),
        ("environment-third-party-works", "Third-party works"),
    ]),
]  # fmt: skip

ISHIKAWA = [
    ("people", "People"),
    ("methods", "Methods"),
    ("systems", "Systems/equipment"),
    ("information", "Materials/information"),
    ("measurement", "Measurement"),
    ("environment", "Environment"),
]


def forwards(apps, schema_editor):
    from qms.roles import grant

    grant(apps, PERMISSIONS)
    RootCauseCategory = apps.get_model("complaints", "RootCauseCategory")
    IshikawaCategory = apps.get_model("complaints", "IshikawaCategory")
    for main_order, (code, name, children) in enumerate(ROOT_CAUSES, start=1):
        main, _created = RootCauseCategory.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": main_order}
        )
        for order, (child_code, child_name) in enumerate(children, start=1):
            RootCauseCategory.objects.get_or_create(
                code=child_code,
                defaults={"name": child_name, "parent": main, "sort_order": order},
            )
    for order, (code, name) in enumerate(ISHIKAWA, start=1):
        IshikawaCategory.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_root_cause_analysis"),
        ("qms", "0002_roles_and_channels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
