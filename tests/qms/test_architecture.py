"""Apps in one direction (DESIGN.md, "Allowed imports").

Every way one app can name another is collected from the source: imports
(function-level ones too), URL names in ``reverse()``/``redirect()`` calls
and ``{% url %}`` tags, ``apps.get_model`` calls and models written as
``"app.Model"`` strings, and the templates' ``{% load %}``, ``{% include %}``
and ``{% extends %}``. Each must follow the table of allowed imports: no
cycle between two apps, the core naming no area, no area naming reports.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.single_db

ROOT = Path(__file__).resolve().parents[2]
CORE = "qms"
AREAS = ("complaints", "promises", "needs", "standards", "surveys", "improvements")
APPS = (CORE, *AREAS, "reports")

# DESIGN.md: from -> may import (besides the core), before the closure.
ALLOWED_DIRECT: dict[str, set[str]] = {
    CORE: set(),
    "improvements": set(),
    "complaints": {"improvements"},
    "standards": {"improvements"},
    "promises": {"improvements", "complaints"},
    "needs": {"improvements", "complaints", "standards"},
    "surveys": {"improvements", "complaints", "promises", "needs"},
    "reports": set(AREAS),
}

# The project's wiring may include every app.
WIRING = {
    "qms/settings.py",
    "qms/settings_test.py",
    "qms/urls.py",
    "qms/wsgi.py",
    "qms/asgi.py",
    "qms/celery.py",
}


def allowed() -> dict[str, set[str]]:
    """The table with "an app may also use what its allowed targets may use"."""
    closure = {
        app: set(targets) | {app, CORE} for app, targets in ALLOWED_DIRECT.items()
    }
    changed = True
    while changed:
        changed = False
        for targets in closure.values():
            for target in list(targets):
                extra = closure[target] - targets
                if extra:
                    targets |= extra
                    changed = True
    return closure


def app_of_path(path: Path) -> str | None:
    parts = path.relative_to(ROOT).parts
    return parts[0] if parts and parts[0] in APPS else None


def source_files(suffix: str) -> list[Path]:
    files = []
    for app in APPS:
        for path in (ROOT / app).rglob(f"*{suffix}"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in WIRING:
                continue
            files.append(path)
    return files


@cache
def url_owners() -> dict[str, str]:
    """Each "namespace:name" → the app whose view serves it."""
    owners: dict[str, str] = {}

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                module = getattr(pattern.callback, "__module__", "") or ""
                app = module.split(".")[0]
                if namespace and app in APPS:
                    owners[f"{namespace}:{pattern.name}"] = app

    walk(get_resolver().url_patterns, None)
    return owners


@cache
def tag_library_owners() -> dict[str, str]:
    owners = {}
    for app in APPS:
        for path in (ROOT / app / "templatetags").glob("*.py"):
            if path.stem != "__init__":
                owners[path.stem] = app
    return owners


MODEL_STRING = re.compile(rf"^({'|'.join(APPS)})\.[A-Z]\w*$")
URL_NAME = re.compile(r"^[a-z_]+:[\w-]+$")


def python_references(path: Path) -> list[tuple[str, str]]:
    """(app named, how) for every name of another app in a Python file."""
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                (alias.name.split(".")[0], f"import {alias.name}")
                for alias in node.names
            ]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], f"from {node.module} import"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if MODEL_STRING.match(text):
                found.append((text.split(".")[0], f"model {text!r}"))
            elif URL_NAME.match(text) and text in url_owners():
                found.append((url_owners()[text], f"URL {text!r}"))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", None) == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append((str(node.args[0].value).split(".")[0], "apps.get_model"))
    return found


TEMPLATE_TAG = re.compile(r"{%\s*(load|include|extends|url)\s+([^%]*?)\s*%}")


def template_references(path: Path) -> list[tuple[str, str]]:
    found = []
    for kind, argument in TEMPLATE_TAG.findall(path.read_text()):
        if kind == "load":
            for library in argument.split():
                if library in tag_library_owners():
                    found.append((tag_library_owners()[library], f"load {library}"))
            continue
        first = argument.split()[0].strip("'\"") if argument.split() else ""
        if kind == "url":
            if first in url_owners():
                found.append((url_owners()[first], f"url {first}"))
        elif "/" in first:
            found.append((first.split("/")[0], f"{kind} {first}"))
    return found


@cache
def references() -> dict[tuple[str, str], list[str]]:
    """(from app, to app) → where, for every cross-app reference."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    files = [(p, python_references) for p in source_files(".py")] + [
        (p, template_references) for p in source_files(".html")
    ]
    for path, read in files:
        source = app_of_path(path)
        for target, how in read(path):
            if target in APPS and target != source:
                where = f"{path.relative_to(ROOT).as_posix()}: {how}"
                edges[(source, target)].append(where)
    return edges


def test_every_cross_app_reference_follows_the_table():
    table = allowed()
    wrong = [
        f"{source} → {target}: {where}"
        for (source, target), wheres in sorted(references().items())
        if target not in table[source]
        for where in wheres
    ]
    assert not wrong, "References against DESIGN.md's table:\n" + "\n".join(wrong)


def test_no_two_apps_name_each_other():
    edges = references()
    cycles = sorted(
        f"{a} ↔ {b}: {edges[(a, b)][0]} / {edges[(b, a)][0]}"
        for (a, b) in edges
        if a < b and (b, a) in edges
    )
    assert not cycles, "\n".join(cycles)


def test_the_scanner_sees_every_kind_of_reference(tmp_path):
    """The rules above only hold if the scanner finds what it looks for."""
    module = tmp_path / "sample.py"
    module.write_text(
        "def f():\n"
        "    from surveys.services import x\n"
        "    import promises.models\n"
        "    reverse('needs:need-list')\n"
        "    apps.get_model('standards', 'Criterion')\n"
        "    ForeignKey('complaints.Case')\n"
    )
    named = {target for target, _how in python_references(module)}
    assert named == {"surveys", "promises", "needs", "standards", "complaints"}
    template = tmp_path / "t.html"
    template.write_text(
        "{% extends 'layout.html' %}{% load complaints_tags %}"
        "{% include 'needs/partials/x.html' %}{% url 'improvements:plan-list' %}"
    )
    named = {target for target, _how in template_references(template)}
    assert named == {"complaints", "needs", "improvements"}
