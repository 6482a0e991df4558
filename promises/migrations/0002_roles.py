from django.db import migrations

MODELS = ("promise", "promiseindicator", "fulfilmentevent", "promisereview",
          "principlescore", "brokenpromisetag")

PERMISSIONS = {
    "Quality manager": [
        *[f"promises.{a}_{m}" for m in MODELS
          for a in ("view", "add", "change", "delete")],
        "promises.view_promisetransition",
        "promises.manage_promise",
        "promises.record_any_fulfilment",
    ],
    # Staff record fulfilment of any promise and tag complaints.
    "Service staff": [
        "promises.view_promise", "promises.view_promiseindicator",
        "promises.view_fulfilmentevent", "promises.add_fulfilmentevent",
        "promises.record_any_fulfilment",
        "promises.view_brokenpromisetag", "promises.add_brokenpromisetag",
        "promises.delete_brokenpromisetag",
    ],
    # Process owners edit the promises they own (checked per record) and
    # record their fulfilment.
    "Process owner": [
        "promises.view_promise", "promises.change_promise",
        "promises.view_promiseindicator", "promises.add_promiseindicator",
        "promises.change_promiseindicator",
        "promises.view_fulfilmentevent", "promises.add_fulfilmentevent",
        "promises.change_fulfilmentevent",
        "promises.view_promisereview", "promises.add_promisereview",
        "promises.view_principlescore", "promises.change_principlescore",
        "promises.view_brokenpromisetag",
    ],
    "Executive": [
        *[f"promises.view_{m}" for m in MODELS],
        "promises.view_promisetransition",
    ],
}  # fmt: skip


def forwards(apps, schema_editor):
    from qms.roles import grant

    grant(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0001_initial"),
        ("qms", "0002_roles_and_channels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
