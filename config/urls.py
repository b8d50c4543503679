from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reporting.login import AdminLoginForm, LoginForm

admin.site.site_header = "Nämndrapport – administration"
admin.site.site_title = "Nämndrapport"
admin.site.index_title = "Uppsättning av året"
admin.site.login_form = AdminLoginForm
admin.site.enable_nav_sidebar = False  # the lists need the width; the index lists every model

urlpatterns = [
    path("", include("reporting.urls")),
    path("", include("goals.urls")),
    path("", include("indicators.urls")),
    path("", include("budget.urls")),
    path("", include("planning.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
