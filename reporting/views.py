from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import render as document
from .access import get_report_for_user
from .assemble import build_report_data
from .models import PERIOD_ORDER, Report

SWEDISH_LETTERS = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # after z: å, ä, ö


def swedish(name: str) -> str:
    """A sort key that puts å, ä and ö after z, as in a Swedish list."""
    return name.lower().translate(SWEDISH_LETTERS)


def _list_order(report: Report) -> tuple:
    """Newest year first, then board, the board's own report before its units', then the
    periods in the order of the year."""
    unit_name = report.unit.name if report.unit_id else ""
    return (
        -report.year,
        swedish(report.board.name),
        swedish(unit_name),
        PERIOD_ORDER[report.period],
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = sorted(
        Report.objects.for_user(request.user).select_related("board", "unit"), key=_list_order
    )
    years = [(year, list(rows)) for year, rows in groupby(reports, key=lambda r: r.year)]
    return render(request, "reporting/report_list.html", {"years": years})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    outline = report.goal_assessments.aggregate(
        direction_goals=Count("direction_goal"),
        area_goals=Count("area_goal"),
        board_goals=Count("board_goal"),
        commitments=Count("commitment"),
    )
    outline["indicators"] = report.indicator_values.count()
    outline["activities"] = report.activity_follow_ups.count()
    doc = document.Document(build_report_data(report))
    return render(
        request,
        "reporting/report_detail.html",
        {"report": report, "outline": outline, "doc": doc},
    )


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Print preview: exactly the HTML that WeasyPrint turns into the PDF."""
    data = build_report_data(get_report_for_user(request, pk))
    return HttpResponse(document.render_print_html(data))


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    data = build_report_data(get_report_for_user(request, pk))
    return _pdf_response(document.render_pdf(data), document.pdf_filename(data))


@login_required
def memo_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    data = build_report_data(get_report_for_user(request, pk))
    if data.cover is None:
        raise Http404("Rapporten har inget tjänsteutlåtande.")
    pdf = document.render_pdf(data, memo_only=True)
    return _pdf_response(pdf, document.pdf_filename(data, memo_only=True))


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
