from django.urls import path

from pssp import views

app_name = "pssp"

urlpatterns = [
    path("boroughs/", views.BoroughListView.as_view(), name="borough-list"),
    path("boroughs/<int:pk>/", views.borough_detail, name="borough-detail"),
    path("products/", views.ProductListView.as_view(), name="product-list"),
    # Source reviews and the comparison the tasking meeting works from
    path("reviews/", views.SourceReviewListView.as_view(), name="review-list"),
    path("reviews/new/", views.SourceReviewCreateView.as_view(), name="review-create"),
    path("reviews/comparison/", views.borough_comparison_view, name="comparison"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/edit/", views.SourceReviewUpdateView.as_view(), name="review-edit"),
    path("reviews/<int:pk>/delete/", views.SourceReviewDeleteView.as_view(), name="review-delete"),
    # Tasking
    path("tasking/", views.TaskingMeetingListView.as_view(), name="tasking-list"),
    path("tasking/new/", views.TaskingMeetingCreateView.as_view(), name="tasking-create"),
    path("tasking/<int:pk>/", views.tasking_detail, name="tasking-detail"),
    path("tasking/<int:pk>/edit/", views.TaskingMeetingUpdateView.as_view(), name="tasking-edit"),
    path(
        "tasking/<int:meeting_pk>/decisions/new/",
        views.TaskingDecisionCreateView.as_view(),
        name="decision-create",
    ),
    path("decisions/", views.TaskingDecisionListView.as_view(), name="decision-list"),
    path(
        "decisions/<int:pk>/edit/",
        views.TaskingDecisionUpdateView.as_view(),
        name="decision-edit",
    ),
    path(
        "decisions/<int:pk>/delete/",
        views.TaskingDecisionDeleteView.as_view(),
        name="decision-delete",
    ),
    # Commissioned borough reports
    path("reports/", views.BoroughReportListView.as_view(), name="report-list"),
    path("reports/new/", views.BoroughReportCreateView.as_view(), name="report-create"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", views.BoroughReportUpdateView.as_view(), name="report-edit"),
    path("reports/<int:pk>/document/", views.report_upload, name="report-upload"),
    path("reports/<int:pk>/download/", views.report_download, name="report-download"),
    path("reports/<int:pk>/step/<slug:step>/", views.report_step, name="report-step"),
    path("reports/<int:pk>/plan/", views.plan_edit, name="plan-edit"),
    path("reports/<int:pk>/plan/actions/new/", views.action_create, name="action-create"),
    path(
        "reports/<int:pk>/plan/actions/<int:action_pk>/",
        views.action_edit,
        name="action-edit",
    ),
    # Engagement
    path("engagement/", views.EngagementMeetingListView.as_view(), name="meeting-list"),
    path("engagement/new/", views.EngagementMeetingCreateView.as_view(), name="meeting-create"),
    path("engagement/coverage/", views.coverage_view, name="coverage"),
    path("engagement/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path(
        "engagement/<int:pk>/edit/",
        views.EngagementMeetingUpdateView.as_view(),
        name="meeting-edit",
    ),
    path(
        "engagement/<int:pk>/delete/",
        views.EngagementMeetingDeleteView.as_view(),
        name="meeting-delete",
    ),
    # Outcomes
    path("outcomes/", views.OutcomeListView.as_view(), name="outcome-list"),
    path("outcomes/new/", views.OutcomeCreateView.as_view(), name="outcome-create"),
    path("outcomes/<int:pk>/", views.outcome_detail, name="outcome-detail"),
    path("outcomes/<int:pk>/edit/", views.OutcomeUpdateView.as_view(), name="outcome-edit"),
    path("outcomes/<int:pk>/delete/", views.OutcomeDeleteView.as_view(), name="outcome-delete"),
    # Events
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/new/", views.EventCreateView.as_view(), name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", views.EventUpdateView.as_view(), name="event-edit"),
    path("events/<int:pk>/delete/", views.EventDeleteView.as_view(), name="event-delete"),
]
