from django.contrib import admin
from django.urls import include, path

from dps import views

handler400 = "dps.views.bad_request"

admin.site.site_header = "DPS Programme Manager administration"
admin.site.site_title = "DPS Programme Manager"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("search/", views.search_page, name="search"),
    path("pssp/", include("pssp.urls")),
    path("themes/", include("themes.urls")),
    path("presentations/", include("presentations.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
