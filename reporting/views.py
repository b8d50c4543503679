from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Report


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = Report.objects.for_user(request.user).select_related("board", "unit")
    return render(request, "reporting/report_list.html", {"reports": reports})
