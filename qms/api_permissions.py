"""Permission classes shared by the areas' REST APIs."""

from rest_framework.permissions import DjangoModelPermissions


class ViewModelPermissions(DjangoModelPermissions):
    """DjangoModelPermissions that also asks for the view permission to read
    (the stock class lets any signed-in user GET)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }
