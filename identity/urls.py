from django.urls import path

from identity import views

urlpatterns = [
    path("check/", views.check, name="identity-check"),
    path("review/", views.review_queue, name="identity-review"),
    path("review/<int:pk>/decide/", views.review_decide, name="identity-review-decide"),
    path("duplicates/", views.duplicates, name="identity-duplicates"),
    path("duplicates/progress/", views.run_progress, name="identity-progress"),
    path("duplicates/run/", views.start_dedup, name="identity-run"),
    path("weights/reestimate/", views.start_reestimate, name="identity-reestimate"),
    path("repeat-crossers/", views.repeat_crossers, name="identity-repeat"),
    path("links/<int:pk>/undo/", views.unlink, name="identity-unlink"),
    path("people/<int:pk>/", views.person_check, name="identity-person-check"),
]
