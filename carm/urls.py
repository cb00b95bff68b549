from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import views as portal_views
from rights.policy import public

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("tariff.api_urls")),
    path("", include("assessment.api_urls")),
    path("", include("ledger.api_urls")),
    path("", include("businesses.api_urls")),
    path("", include("access.api_urls")),
    path("", include("delegation.api_urls")),
    path("", include("declarations.api_urls")),
    path("", include("releases.api_urls")),
    path("", include("payments.api_urls")),
    path("", include("rulings.api_urls")),
    path("", include("recourse.api_urls")),
    path("", include("security.api_urls")),
    path("", include("edi.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("workbench.api_urls")),
    path("schema/", public(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "docs/", public(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"
    ),  # no inline script: CSP
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", public(portal_views.root_redirect)),
]

urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    path("", include("workbench.urls")),
    path("cbsa/redeterminations/", include("recourse.officer_urls")),
    path("cbsa/releases/", include("releases.officer_urls")),
    path("account/", include("allauth.urls")),
    path("profile/", include("accounts.urls")),
    path("tariff/", include("tariff.urls")),
    path("assessment/", include("assessment.urls")),
    path("ledger/", include("ledger.urls")),
    path("businesses/", include("businesses.urls")),
    path("access/", include("access.urls")),
    path("relationships/", include("delegation.urls")),
    path("declarations/", include("declarations.urls")),
    path("payments/", include("payments.urls")),
    path("rulings/", include("rulings.urls")),
    path("appeals/", include("recourse.urls")),
    path("security/", include("security.urls")),
    path("edi/", include("edi.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
handler403 = "portal.views.permission_denied"
handler400 = "portal.views.bad_request"
