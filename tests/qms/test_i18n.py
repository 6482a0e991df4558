"""Translations: Estonian ships complete; the language switcher works."""

from pathlib import Path

import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(po_file: Path):
    """(msgid, [msgstr...], fuzzy) for each entry of a .po file."""
    for block in po_file.read_text(encoding="utf-8").split("\n\n"):
        fuzzy, current, fields = False, None, {}
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#"):
                continue
            elif line.startswith("msg"):
                current, _, value = line.partition(" ")
                fields[current] = value.strip()[1:-1]
            elif line.startswith('"') and current:
                fields[current] += line.strip()[1:-1]
        if fields.get("msgid"):
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            yield fields["msgid"], strs, fuzzy


def _untranslated(po_file: Path) -> list[str]:
    return [
        msgid
        for msgid, strs, fuzzy in _entries(po_file)
        if fuzzy or not strs or not all(strs)
    ]


def test_estonian_catalogue_is_complete_and_compiled():
    po = LOCALE / "et" / "LC_MESSAGES" / "django.po"
    mo = LOCALE / "et" / "LC_MESSAGES" / "django.mo"
    assert po.exists() and mo.exists()
    assert _untranslated(po) == []
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [("et", "Kliendid"), ("en", "Customers")],
)
def test_pages_render_in_the_chosen_language(client_for, executive, language, expected):
    client = client_for(executive)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get(reverse("qms:customer-list")).content.decode()
    assert f'lang="{language}"' in html
    assert expected in html


def test_role_names_are_translated_on_the_start_page(client_for, quality_manager):
    client = client_for(quality_manager)
    client.post(reverse("set_language"), {"language": "et", "next": "/"})
    html = client.get(reverse("qms:home")).content.decode()
    assert "Kvaliteedijuht" in html
