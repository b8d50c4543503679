from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("rapporter/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapporter/<int:pk>/utskrift/", views.report_print, name="report_print"),
    path("rapporter/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("rapporter/<int:pk>/tjansteutlatande/pdf/", views.memo_pdf, name="memo_pdf"),
]
