from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from api.api import api
from intake import views as intake_views
from people import audit_views
from people import views as people_views
from stations import views as station_views
from waystation.healthz import healthz

urlpatterns = [
    path("", station_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("stations/<slug:code>/", station_views.station_dashboard, name="station-dashboard"),
    path("people/", people_views.person_list, name="person-list"),
    path("people/search/", people_views.person_search, name="person-search"),
    path("people/register/", people_views.register_household, name="register-household"),
    path("people/<int:pk>/", people_views.person_detail, name="person-detail"),
    path("people/<int:pk>/override/", people_views.person_override, name="person-override"),
    path(
        "people/<int:pk>/register/",
        people_views.person_register_arrival,
        name="person-register-arrival",
    ),
    path("people/<int:pk>/crossing/", people_views.person_crossing, name="person-crossing"),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("health/", include("health.urls")),
    path("documents/", include("documents.urls")),
    path("supplies/", include("supplies.urls")),
    path("reports/", include("reports.urls")),
    path("identity/", include("identity.urls")),
    path("labour/", include("labour.urls")),
    path("api/", api.urls),
    path("setup/tokens/", include("api.urls")),
    path("setup/", include("stations.urls_setup")),
    path("intake/", include("intake.urls")),
    path("imports/", include("imports.urls")),
    path("households/", include("households.urls")),
    path("sw.js", intake_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", intake_views.manifest, name="web-manifest"),
    path("admin/", admin.site.urls),
    # browsers ask for /favicon.ico whatever the page says
    path("favicon.ico", RedirectView.as_view(url=static("waystation/favicon.svg")), name="favicon"),
    path("healthz/", healthz, name="healthz"),
]
