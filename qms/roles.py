"""The roles of DESIGN.md as Django groups, and the permissions each carries.

Data migrations call :func:`grant` so a fresh install has every role ready; an
area app that adds models adds a migration of its own that grants their
permissions the same way.
"""

from django.utils.translation import gettext_lazy as _

QUALITY_MANAGER = "Quality manager"
SERVICE_STAFF = "Service staff"
PROCESS_OWNER = "Process owner"
EXECUTIVE = "Executive"

ROLE_LABELS = {
    QUALITY_MANAGER: _("Quality manager"),
    SERVICE_STAFF: _("Service staff"),
    PROCESS_OWNER: _("Process owner"),
    EXECUTIVE: _("Executive"),
}

_CORE_MODELS = [
    "orgunit",
    "membership",
    "segment",
    "channel",
    "service",
    "customer",
    "closureday",
    "document",
    "documentversion",
]


def _all(app: str, models: list[str]) -> list[str]:
    return [f"{app}.{a}_{m}" for m in models for a in ("view", "add", "change")]


def _view(app: str, models: list[str]) -> list[str]:
    return [f"{app}.view_{m}" for m in models]


CORE_PERMISSIONS: dict[str, list[str]] = {
    QUALITY_MANAGER: [*_all("qms", _CORE_MODELS), "qms.approve_documentversion"],
    SERVICE_STAFF: [
        *_view("qms", ["orgunit", "segment", "channel", "service", "closureday"]),
        *_view("qms", ["document", "documentversion"]),
        "qms.view_customer",
        "qms.add_customer",
        "qms.change_customer",
    ],
    PROCESS_OWNER: [
        *_view("qms", ["orgunit", "segment", "channel", "service", "closureday"]),
        *_view("qms", ["document", "documentversion"]),
        # Process owners draft the descriptions of the processes they own;
        # the quality manager approves them.
        "qms.add_documentversion",
        "qms.change_documentversion",
    ],
    EXECUTIVE: _view("qms", _CORE_MODELS),
}


def ensure_permissions(apps) -> None:
    """Create the model permissions now (Django would only after migrating)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def grant(apps, role_permissions: dict[str, list[str]]) -> None:
    """Add permissions (``app_label.codename``) to groups, creating both if needed."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions(apps)
    for role, names in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
