"""Every free-text field of the main edit forms takes a script and markup
payload, and every page that shows it shows text, never markup."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.qms.test_lost_updates import EDIT_FORMS, editors  # noqa: F401

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SHORT = "<b onmouseover=x>"
TEXT_TYPES = {"text", "search", None}
# The list pages that show the edited record's text.
LISTS = {
    "case": "complaints:case-list",
    "customer": "qms:customer-list",
    "need": "needs:need-list",
    "plan": "improvements:plan-list",
    "document draft": "qms:document-list",
}


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.text_fields: dict[str, int | None] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        limit = int(a["maxlength"]) if a.get("maxlength") else None
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.values[name] = [a.get("value") or ""]
                if kind in TEXT_TYPES and "readonly" not in a:
                    self.text_fields[name] = limit
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]
            self.text_fields[name] = limit
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.setdefault(self._select, []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data


def assert_escaped(html: str, where: str) -> None:
    assert "<script>alert" not in html, where
    assert "<img src=x" not in html, where
    assert "<b onmouseover" not in html, where


@pytest.mark.parametrize("kind", EDIT_FORMS)
def test_payloads_in_every_free_text_field_come_back_escaped(
    client,
    editors,  # noqa: F811
    kind,
):
    edit = EDIT_FORMS[kind](editors)
    client.force_login(editors[0])
    parser = _Fields()
    parser.feed(client.get(edit.url).content.decode())
    assert parser.text_fields, kind
    data = dict(parser.values)
    for name, limit in parser.text_fields.items():
        if name in ("loaded_state", "q", "next"):
            continue
        data[name] = [PAYLOAD if limit is None or limit >= len(PAYLOAD) else SHORT]
    response = client.post(edit.url, data)
    assert response.status_code == 302, (kind, response.content.decode()[-3000:])
    edit.obj.refresh_from_db()
    assert getattr(edit.obj, edit.field) == PAYLOAD
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    html = detail.content.decode()
    assert_escaped(html, f"{kind} detail")
    assert "&lt;script&gt;" in html
    listing = client.get(reverse(LISTS[kind]))
    assert listing.status_code == 200
    assert_escaped(listing.content.decode(), f"{kind} list")
    # The form shows the stored text escaped too (field values and textareas).
    assert_escaped(client.get(edit.url).content.decode(), f"{kind} form")
