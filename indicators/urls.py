from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path(
        "rapporter/<int:report_pk>/indikatorer/<int:pk>/",
        views.indicator_value_edit,
        name="indicator_value_edit",
    ),
]
