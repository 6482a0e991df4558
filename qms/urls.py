"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from complaints import urls_api as complaints_api
from promises import urls_api as promises_api
from qms import views
from qms.access import public

urlpatterns = [
    path("", include("qms.core_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("promises/", include("promises.urls")),
    path("needs/", include("needs.urls")),
    path("standards/", include("standards.urls")),
    path("complaints/", include("complaints.urls")),
    # Public complaint form and status page (no login), in the complaints app.
    path("feedback/", include(("complaints.urls_public", "complaints_public"))),
    # One ``api`` namespace for the complaints and promises APIs (and one
    # OpenAPI schema); the standards API has its own namespace.
    path(
        "api/v1/",
        include((complaints_api.urlpatterns + promises_api.urlpatterns, "api")),
    ),
    path("api/v1/standards/", include(("standards.urls_api", "standards_api"))),
    path("surveys/", include("surveys.urls")),
    # Survey answer pages (no login): personal and public links.
    path("s/", include(("surveys.urls_public", "surveys_public"))),
    path("improvements/", include("improvements.urls")),
    path("reports/", include("reports.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
