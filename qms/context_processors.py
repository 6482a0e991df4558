"""Template context shared by every page."""

from django.http import HttpRequest

from qms.areas import REGISTER_NAV, area_nav


def navigation(request: HttpRequest) -> dict:
    """The navigation items this user may open (areas, registers)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_areas": [], "nav_registers": []}

    def allowed(items):
        return [i for i in items if i.permission is None or user.has_perm(i.permission)]

    return {"nav_areas": allowed(area_nav()), "nav_registers": allowed(REGISTER_NAV)}
