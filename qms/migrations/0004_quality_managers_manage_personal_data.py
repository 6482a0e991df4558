from django.db import migrations


def forwards(apps, schema_editor):
    from qms.roles import grant

    # Finding, exporting and erasing a customer's data is the quality
    # manager's (data protection) task; nobody else gets it.
    grant(apps, {"Quality manager": ["qms.manage_personal_data", "qms.view_erasurelog"]})


class Migration(migrations.Migration):
    dependencies = [("qms", "0003_personal_data_erasure")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
