from django.urls import path

from . import views

app_name = "planning"

BOARD = "planering/<int:board_pk>/"
YEAR = BOARD + "<int:year>/"
COUNCIL = "planering/kommun/<int:municipality_pk>/<int:year>/"

urlpatterns = [
    path("planering/", views.index, name="index"),
    path(BOARD + "ar/", views.year_open, name="year_open"),
    path(YEAR, views.plan, name="plan"),
    path(YEAR + "starta/", views.year_start, name="year_start"),
    path(YEAR + "rapporter/ny/", views.report_create, name="report_create"),
    path(YEAR + "rapporter/<int:pk>/", views.report_deadline, name="report_deadline"),
    path(YEAR + "<slug:kind>/ny/", views.item_create, name="item_create"),
    path(YEAR + "<slug:kind>/<int:pk>/", views.item_edit, name="item_edit"),
    path(YEAR + "<slug:kind>/<int:pk>/ta-bort/", views.item_delete, name="item_delete"),
    path(BOARD + "personer/", views.people, name="people"),
    path(BOARD + "personer/ny/", views.membership_create, name="membership_create"),
    path(BOARD + "personer/<int:pk>/", views.membership_edit, name="membership_edit"),
    path(BOARD + "personer/<int:pk>/ta-bort/", views.membership_delete, name="membership_delete"),
    path(
        BOARD + "ansvar/<int:pk>/ta-bort/",
        views.responsibility_delete,
        name="responsibility_delete",
    ),
    path(COUNCIL, views.council_goals, name="council_goals"),
    path(COUNCIL + "<slug:kind>/ny/", views.council_goal_edit, name="council_goal_create"),
    path(COUNCIL + "<slug:kind>/<int:pk>/", views.council_goal_edit, name="council_goal_edit"),
]
