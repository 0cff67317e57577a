"""Haven's URLs: each app brings its own; the API lives under /api/v1."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from haven.api.main import api
from haven.core import views as core_views

admin.site.site_header = f"{settings.HAVEN_SERVICE_NAME} configuration"
admin.site.site_title = settings.HAVEN_SERVICE_NAME
admin.site.index_title = "Configuration"

urlpatterns = [
    path("", include("haven.core.urls")),
    path("account/", include("haven.accounts.urls")),
    path("audit/", include("haven.audit.urls")),
    path("people/", include("haven.people.urls")),
    path("protection/", include("haven.protection.urls")),
    path("exploitation/", include("haven.exploitation.urls")),
    path("front-door/", include("haven.frontdoor.urls")),
    path("missing/", include("haven.missing.urls")),
    path("assessment/", include("haven.assessment.urls")),
    path("configuration/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
