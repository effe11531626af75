from django.urls import path

from themes import views

app_name = "themes"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("milestones/", views.MilestoneListView.as_view(), name="milestone-list"),
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone-detail"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path("risks/", views.RiskListView.as_view(), name="risk-list"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk-edit"),
    path("assumptions/<int:pk>/edit/", views.assumption_edit, name="assumption-edit"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue-edit"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("benefits/<int:pk>/", views.benefit_detail, name="benefit-detail"),
    path("finance/<int:pk>/edit/", views.finance_edit, name="finance-edit"),
    path("deliverables/<int:pk>/edit/", views.deliverable_edit, name="deliverable-edit"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("supporting-areas/", views.grid, name="grid"),
    path("timeline/", views.timeline, name="timeline"),
    path("compare/", views.compare, name="compare"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("<slug:code>/", views.theme_detail, name="theme-detail"),
    path("<slug:code>/edit/", views.theme_edit, name="theme-edit"),
    path("<slug:code>/highlight/", views.highlight, name="highlight"),
    path("<slug:code>/deliverables/new/", views.deliverable_create, name="deliverable-create"),
    path("<slug:code>/milestones/new/", views.milestone_create_view, name="milestone-create"),
    path("<slug:code>/status/new/", views.status_update_create, name="status-create"),
    path("<slug:code>/risks/new/", views.risk_create, name="risk-create"),
    path("<slug:code>/assumptions/new/", views.assumption_create, name="assumption-create"),
    path("<slug:code>/issues/new/", views.issue_create, name="issue-create"),
    path("<slug:code>/decisions/new/", views.decision_create, name="decision-create"),
    path("<slug:code>/benefits/new/", views.benefit_create, name="benefit-create"),
    path("<slug:code>/finance/new/", views.finance_create, name="finance-create"),
    path("<slug:code>/tolerances/", views.tolerances_edit, name="tolerances"),
]
