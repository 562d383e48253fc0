from django.urls import path

from documents import views, views_office, views_photo

app_name = "documents"

urlpatterns = [
    path("", views_office.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("daily/", views_office.daily, name="daily"),
    path("offices/", views_office.offices, name="offices"),
    path("verify/", views_office.verify, name="verify"),
    path("keys.json", views_office.keys_json, name="keys-json"),
    path("revocations.json", views_office.revocations_json, name="revocations-json"),
    path("applications/", views_office.applications, name="applications"),
    path(
        "applications/<int:pk>/decide/",
        views_office.application_decide,
        name="application-decide",
    ),
    path("people/<int:pk>/request/", views.person_request, name="person-request"),
    path("people/<int:pk>/applications/", views_office.application_file, name="application-file"),
    path("people/<int:pk>/photo/", views_photo.photo, name="photo"),
    path("people/<int:pk>/photo/upload/", views_photo.photo_upload, name="photo-upload"),
    path("requests/<int:pk>/issue/", views.request_issue, name="request-issue"),
    path("requests/<int:pk>/refuse/", views.request_refuse, name="request-refuse"),
    path("batch.pdf", views.batch_pdf, name="batch-pdf"),
    path("batches/<int:pk>/", views.batch_page, name="batch"),
    path("batches/<int:pk>/pdf/", views.batch_download, name="batch-download"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/revoke/", views.document_revoke, name="revoke"),
    path("<int:pk>/reissue/", views.document_reissue, name="reissue"),
]
