"""The Excel imports' pages: download a template, upload it, see the changes, confirm.

Only the board's administrators import, and only into a draft (``get_report_for_administrator``);
the flow itself is ``reporting.spreadsheet.import_view``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from .access import get_report_for_administrator
from .budget_import import BudgetImport
from .plan_import import PlanImport
from .render import file_stem
from .spreadsheet import import_view
from .xlsx import XLSX_CONTENT_TYPE


def _template_response(report, importer, name: str) -> HttpResponse:
    response = HttpResponse(importer.template(report), content_type=XLSX_CONTENT_TYPE)
    stem = file_stem(report.owner_name, report.period, report.year)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name}.xlsx"'
    return response


@login_required
def budget_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The template for the report's budget figures, filled in with what it holds now."""
    report = get_report_for_administrator(request, pk, draft=False)
    return _template_response(report, BudgetImport(), "budgetmall")


@login_required
def budget_import(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_administrator(request, pk)
    return import_view(request, report, BudgetImport())


@login_required
def plan_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The template for the year's plan, filled in with the plan as it stands."""
    report = get_report_for_administrator(request, pk, draft=False)
    return _template_response(report, PlanImport(), "planmall")


@login_required
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_administrator(request, pk)
    return import_view(request, report, PlanImport())
