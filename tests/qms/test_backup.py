"""Backup and restore (issue 11, item 7): a backup restored into an empty
database gives back every record and every stored file."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from complaints.models import Attachment
from qms import backup
from qms.models import Customer
from tests.factories import CustomerFactory, UserFactory, register_case


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


def _empty_the_database():
    """What a new, empty database server looks like to the restore."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            tables = connection.introspection.table_names(cursor)
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f'DROP TABLE "{table}"')
    assert connection.introspection.table_names() == []


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_has_every_record_and_file(seed_data, media, tmp_path):
    user = UserFactory()
    CustomerFactory.create_batch(3)
    case = register_case(by=user)
    attachment = Attachment(
        case=case,
        original_name="receipt.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=user,
    )
    attachment.file.save("receipt.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    stored = attachment.file.name
    customers = Customer.objects.count()

    manifest = backup.create(tmp_path / "backup")
    assert manifest["files"] == {stored: 9}
    assert manifest["tables"]["qms_customer"] == customers

    _empty_the_database()
    (media / stored).unlink()
    backup.restore(tmp_path / "backup")

    assert backup.verify(manifest) == []
    assert Customer.objects.count() == customers
    restored = Attachment.objects.get()
    assert restored.case.reference == case.reference
    assert (media / stored).read_bytes() == b"%PDF-1.4\n"


@pytest.mark.django_db(transaction=True)
def test_verify_names_what_a_restore_lacks(seed_data, media, tmp_path):
    UserFactory()
    manifest = backup.create(tmp_path / "backup")
    manifest["tables"]["auth_user"] += 1
    manifest["files"]["missing.pdf"] = 3
    problems = [str(p) for p in backup.verify(manifest)]
    assert any(p.startswith("rows in auth_user") for p in problems)
    assert "file missing.pdf: expected 3, found None" in problems


@pytest.mark.django_db(transaction=True)
def test_the_commands_refuse_a_used_folder_and_a_folder_without_manifest(
    seed_data, media, tmp_path
):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", output=str(tmp_path / "used"))
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(tmp_path / "used"))
    call_command("backup", output=str(tmp_path / "ok"))
    manifest = json.loads((tmp_path / "ok" / backup.MANIFEST).read_text())
    assert manifest["engine"] == connection.vendor
