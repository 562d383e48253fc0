from django.urls import path

from labour import views, views_outcomes, views_person, views_sites

urlpatterns = [
    path("", views.labour_home, name="labour-home"),
    path("runs/<int:pk>/", views.run_detail, name="labour-run"),
    path("requests/<int:pk>/", views.placement_request, name="labour-request"),
    path("runs/<int:pk>/approve/", views.run_approve, name="labour-run-approve"),
    path("approvals/<int:pk>/", views.approval_page, name="labour-approval"),
    path("runs/<int:pk>/what-if/", views.run_what_if, name="labour-what-if"),
    path("compare/", views.run_compare, name="labour-compare"),
    path("outcomes/", views_outcomes.outcomes, name="labour-outcomes"),
    path("assignments/<int:pk>/", views.assignment_edit, name="labour-assignment"),
    path("sites/", views_sites.site_list, name="labour-sites"),
    path("sites/<slug:kind>/new/", views_sites.edit_record, name="labour-record-new"),
    path("sites/<slug:kind>/<int:pk>/", views_sites.edit_record, name="labour-record"),
    path(
        "people/<int:pk>/credentials/",
        views_person.credential_claim,
        name="labour-credential-claim",
    ),
    path(
        "people/<int:pk>/credentials/at-station/",
        views_person.credential_claim_at_station,
        name="labour-credential-claim-at-station",
    ),
    path(
        "credentials/<int:pk>/<slug:decision>/",
        views_person.credential_decide,
        name="labour-credential-decide",
    ),
    path("people/<int:pk>/left-job/", views_person.placement_end, name="labour-placement-end"),
    path("people/<int:pk>/preferences/", views_person.preferences, name="labour-preferences"),
    path("people/<int:pk>/hand-over/", views_person.hand_over_view, name="labour-hand-over"),
]
