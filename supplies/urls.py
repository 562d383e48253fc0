from django.urls import path

from supplies import planning_views, views

urlpatterns = [
    path("", views.home, name="supplies-home"),
    path("planning/", planning_views.planning, name="supplies-planning"),
    path("planning/needs.csv", planning_views.planning_csv, name="supplies-planning-csv"),
    path("stations/<slug:code>/", views.station_page, name="supplies-station"),
    path("stations/<slug:code>/places/", views.add_place, name="supplies-add-place"),
    path(
        "stations/<slug:code>/<slug:kind>/",
        views.movement,
        name="supplies-movement",
    ),
    path(
        "people/<int:pk>/entitlements/<int:entitlement_pk>/",
        views.issue_entitlement,
        name="supplies-issue-entitlement",
    ),
    path("people/<int:pk>/issue/", views.issue_item, name="supplies-issue-item"),
    path("people/<int:pk>/bed/", views.assign_bed, name="supplies-assign-bed"),
    path("people/<int:pk>/bed/release/", views.release_bed, name="supplies-release-bed"),
    path("people/<int:pk>/transfer/", views.transfer_person, name="supplies-transfer"),
    path("people/<int:pk>/pass/", views.check_out, name="supplies-check-out"),
    path("people/<int:pk>/pass/return/", views.check_in, name="supplies-check-in"),
]
