from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path(
        "rapporter/<int:report_pk>/ekonomi/driftbudget/<int:pk>/",
        views.operating_budget_row_edit,
        name="operating_budget_row_edit",
    ),
    path(
        "rapporter/<int:report_pk>/ekonomi/text/",
        views.economy_text_edit,
        name="economy_text_edit",
    ),
    path(
        "rapporter/<int:report_pk>/ekonomi/delavsnitt/nytt/",
        views.economy_subsection_create,
        name="economy_subsection_create",
    ),
    path(
        "rapporter/<int:report_pk>/ekonomi/delavsnitt/<int:pk>/ta-bort/",
        views.economy_subsection_delete,
        name="economy_subsection_delete",
    ),
    path(
        "rapporter/<int:report_pk>/ekonomi/delavsnitt/<int:pk>/flytta/",
        views.economy_subsection_move,
        name="economy_subsection_move",
    ),
    path(
        "rapporter/<int:report_pk>/ekonomi/delavsnitt/<int:pk>/",
        views.economy_subsection_edit,
        name="economy_subsection_edit",
    ),
    path(
        "rapporter/<int:report_pk>/ekonomi/resultatrakning/",
        views.income_statement_edit,
        name="income_statement_edit",
    ),
    path(
        "rapporter/<int:report_pk>/ekonomi/beloppsenhet/",
        views.amount_unit_edit,
        name="amount_unit_edit",
    ),
    path(
        "rapporter/<int:report_pk>/ekonomi/investeringar/",
        views.investments_edit,
        name="investments_edit",
    ),
]
