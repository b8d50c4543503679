from django.urls import path

from . import views

app_name = "goals"

urlpatterns = [
    path(
        "rapporter/<int:report_pk>/mal/<int:pk>/",
        views.goal_assessment_edit,
        name="goal_assessment_edit",
    ),
    path(
        "rapporter/<int:report_pk>/aktiviteter/<int:pk>/",
        views.activity_follow_up_edit,
        name="activity_follow_up_edit",
    ),
]
