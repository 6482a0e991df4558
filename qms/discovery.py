"""The one way apps contribute to the core's registries: a module of an agreed
name in each app, imported with Django's ``autodiscover_modules``.

``measures``, ``personal_data`` and ``panels`` modules are imported at
start-up (``QmsConfig.ready``) and register themselves. Modules needed only
by one command or page (``reports``: the sections of the management report;
``demo``: the demo data) are imported when first asked for, so a web worker
never loads them for nothing.
"""

from __future__ import annotations

import sys
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import autodiscover_modules


def discover(module_name: str) -> list[tuple[str, ModuleType]]:
    """``(app label, module)`` of every installed app that has a module
    ``module_name``, in the order of INSTALLED_APPS."""
    autodiscover_modules(module_name)
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.{module_name}")
        if module is not None:
            found.append((config.label, module))
    return found
