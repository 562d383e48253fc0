from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

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
    path("people/<int:pk>/move/", people_views.person_transition, name="person-transition"),
    path("people/<int:pk>/crossing/", people_views.person_crossing, name="person-crossing"),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("health/", include("health.urls")),
    path("documents/", include("documents.urls")),
    path("supplies/", include("supplies.urls")),
    path("reports/", include("reports.urls")),
    path("identity/", include("identity.urls")),
    path("labour/", include("labour.urls")),
    path("api/", api.urls),
    path("intake/", include("intake.urls")),
    path("sw.js", intake_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", intake_views.manifest, name="web-manifest"),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
