from django.db import migrations

CHANNELS = [
    # code, name, kind, written
    ("phone", "Phone", "phone", False),
    ("email", "E-mail", "email", True),
    ("letter", "Paper letter", "letter", True),
    ("chatbot", "Chatbot", "chatbot", True),
    ("in-person", "In person", "in_person", False),
    ("web-form", "Web form", "web_form", True),
    ("ticket-system", "Ticket system", "ticket_system", True),
    ("social-media", "Social media", "social_media", True),
]


def create_roles(apps, schema_editor):
    from qms.roles import CORE_PERMISSIONS, grant

    grant(apps, CORE_PERMISSIONS)


def create_channels(apps, schema_editor):
    Channel = apps.get_model("qms", "Channel")
    for order, (code, name, kind, written) in enumerate(CHANNELS, start=1):
        Channel.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "is_written": written,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("qms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_channels, migrations.RunPython.noop),
    ]
