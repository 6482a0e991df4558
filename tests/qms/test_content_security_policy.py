"""The Content-Security-Policy allows no inline script or style, and nothing in
the templates needs one: no <script> without src, no on* handler attributes, no
style attributes and no <style> blocks."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import register_case

# Response headers and markup: the same whatever the engine.
pytestmark = pytest.mark.single_db

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "var", "node_modules", "vendor", ".git"}

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")"
)
HANDLER_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def _templates() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.html")
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts)
    )


def inline_code(html: str) -> list[str]:
    """What in ``html`` a policy without 'unsafe-inline' would block."""
    found = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("on* handler attribute", HANDLER_ATTRIBUTE),
        ("style attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
    ):
        found += [f"{name}: {m.group(0)[:80]}" for m in pattern.finditer(html)]
    return found


def test_the_template_scan_finds_the_templates():
    names = {path.name for path in _templates()}
    assert {"base.html", "layout.html", "case_detail.html"} <= names


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_hold_no_inline_script_or_style(path):
    problems = inline_code(path.read_text())
    assert not problems, (
        f"{path.relative_to(ROOT)}: move these to static/css or static/<app>/*.js "
        f"(the Content-Security-Policy forbids inline code): {problems}"
    )


def test_the_scan_recognises_inline_code():
    assert len(inline_code('<p style="x" onclick="y()"><style></style>')) == 3
    assert inline_code("<script>alert(1)</script>")
    assert not inline_code('<script src="/static/js/qms.js" defer></script>')


def test_pages_send_a_policy_without_unsafe_inline(client_for, quality_manager):
    response = client_for(quality_manager).get(reverse("qms:home"))
    policy = response["Content-Security-Policy"]
    directives = {
        part.split()[0]: part.split()[1:] for part in policy.split("; ") if part
    }
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_public_form_sends_the_policy(client, db):
    response = client.get(reverse("complaints_public:case-create"))
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_pages_with_charts_render_them_without_inline_style(
    client_for, quality_manager
):
    register_case()
    today = date.today()
    period = {
        "start": (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m"),
        "end": today.strftime("%Y-%m"),
    }
    response = client_for(quality_manager).get(reverse("complaints:monitoring"), period)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'class="qms-chart' in html
    assert not inline_code(html)
    assert "Content-Security-Policy" in response
