from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from dps import notice_views, oidc, second_factor, views

handler400 = "dps.views.bad_request"

admin.site.site_header = "DPS Programme Manager administration"
admin.site.site_title = "DPS Programme Manager"

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("access-records/", views.AccessRecordListView.as_view(), name="access-records"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("account/notices/", notice_views.notice_preferences, name="notice-preferences"),
    path("account/notices/sent/", notice_views.notices_sent, name="notices-sent"),
    # Through the force's identity provider (dps/oidc.py); 404 unless OIDC_ISSUER is set. The
    # names are mozilla-django-oidc's own.
    path(
        "sign-in/provider/",
        login_not_required(oidc.SignInWithProvider.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "sign-in/provider/callback/",
        login_not_required(oidc.ProviderCallback.as_view()),
        name="oidc_authentication_callback",
    ),
    path("sign-in/second-factor/", second_factor.verify, name="second-factor"),
    path("sign-in/second-factor/new/", second_factor.enrol, name="second-factor-enrol"),
    path("search/", views.search_page, name="search"),
    path("pssp/", include("pssp.urls")),
    path("themes/", include("themes.urls")),
    path("presentations/", include("presentations.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
