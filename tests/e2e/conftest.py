"""Browser end-to-end tests: Playwright (sync API) drives Debian's Chromium
against pytest-django's live server. Each flow saves screenshots under
var/e2e-screenshots/<test name>/.

Skipped with a reason when /usr/bin/chromium (or the playwright package) is
missing; CI installs Chromium so they run there. Playwright never downloads a
browser here: it is pointed at the system's executable.

A new flow: a test in tests/e2e/test_<area>_flows.py marked ``e2e`` (the
module's ``pytestmark``), taking ``page``, ``live_server``, ``login`` and
``shot`` as below.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# in the same thread (fixtures building data) must be allowed next to it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("QMS_E2E_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"
PASSWORD = "e2e-pass-2026"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _seeded(request):
    """Roles and channels back in place for every committing browser test."""
    if "e2e" in request.keywords:
        request.getfixturevalue("seed_data")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    # A Content-Security-Policy violation shows up as a console error.
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" else None,
    )
    page.qms_console_errors = errors
    yield page
    context.close()


@pytest.fixture
def shot(page, request):
    """``shot("name")`` saves a full-page screenshot of the current page."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    count = 0

    def take(name: str, target=None) -> Path:
        nonlocal count
        count += 1
        path = folder / f"{count:02d}-{name}.png"
        (target or page).screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page, live_server):
    """Sign in through the real login form (throttling, CSP and all)."""

    def sign_in(user, target=page) -> None:
        if user.has_usable_password() is False or not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save()
        target.goto(f"{live_server.url}/accounts/login/")
        target.fill("input[name=username]", user.get_username())
        target.fill("input[name=password]", PASSWORD)
        target.click("main button[type=submit]")
        target.wait_for_url(lambda url: "/accounts/login/" not in url)

    return sign_in


def assert_no_csp_violations(page) -> None:
    violations = [e for e in page.qms_console_errors if "Content Security Policy" in e]
    assert not violations, violations
