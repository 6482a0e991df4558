from django.db import migrations


def forwards(apps, schema_editor):
    from qms.roles import grant

    # Process owners read the cases their improvement plans and actions act on;
    # complaints.selectors.cases_visible_to narrows the permission to those.
    grant(apps, {"Process owner": ["complaints.view_case", "complaints.view_category"]})


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_rca_roles_and_taxonomies"),
        ("improvements", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
