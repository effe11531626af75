from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.published_list, name="index"),
    path("manage/", views.ReportListView.as_view(), name="manage"),
    path("new/", views.report_create, name="report-create"),
    path("new/highlight/", views.highlight_create, name="highlight-create"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("<int:pk>/preview/", views.report_preview, name="report-preview"),
    path("<int:pk>/pdf/", views.report_pdf, name="report-pdf"),
    path("<int:pk>/blocks/", views.block_add, name="block-add"),
    path("<int:pk>/blocks/<int:block_pk>/remove/", views.block_remove, name="block-remove"),
    path("<int:pk>/approve/", views.report_approve, name="report-approve"),
    path("<int:pk>/return-to-draft/", views.report_return_to_draft, name="report-return"),
    path("<int:pk>/publish/", views.report_publish, name="report-publish"),
    path("<int:pk>/new-version/", views.report_supersede, name="report-supersede"),
    path("<int:pk>/render/", views.report_render, name="report-render"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job-status"),
    path("jobs/<int:pk>/pdf/", views.job_pdf, name="job-pdf"),
]
