"""Data entry for Uppföljning av ekonomi: one operating area's row (with its adjustments), the
income statement, the investments and the economy text. Deviations and totals are computed
here (with the same dataclasses the report is built from), never typed; ``static/js/budget.js``
recomputes them in the browser while typing."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from reporting.access import get_report_for_user, lock_draft, require_item_edit
from reporting.document import AdjustmentData, OperatingBudgetRowData
from reporting.editing import edit_item, workspace_url
from reporting.models import Report

from .forms import (
    AdjustmentFormSet,
    EconomyTextForm,
    IncomeStatementFormSet,
    InvestmentFormSet,
    OperatingBudgetRowForm,
    fingerprint,
)
from .models import BudgetAdjustment, EconomyText, OperatingBudgetRow

ADJUSTMENT_PREFIX = "justeringar"


def _row_data(row: OperatingBudgetRow, adjustments) -> OperatingBudgetRowData:
    return OperatingBudgetRowData(
        area=row.area.name,
        previous_year_outcome=row.previous_year_outcome,
        budget=row.budget,
        outcome=row.outcome,
        forecast=row.forecast,
        adjustments=tuple(AdjustmentData(a.label, a.amount) for a in adjustments),
        comment=row.comment,
    )


def _sum(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _others(report: Report, row: OperatingBudgetRow) -> dict:
    """The other areas of the report summed: what 'Nämnden totalt' adds to this row."""
    rows = list(
        OperatingBudgetRow.objects.filter(report=report).exclude(pk=row.pk).select_related("area")
    )
    adjustments: dict[int, list] = {}
    for adjustment in BudgetAdjustment.objects.filter(row__in=rows).order_by("position", "pk"):
        adjustments.setdefault(adjustment.row_id, []).append(adjustment)
    data = [_row_data(r, adjustments.get(r.pk, [])) for r in rows]
    spent = [d.forecast if report.is_tertial else d.outcome for d in data]
    return {
        "count": len(data),
        "budget": _sum(d.budget for d in data),
        "spent": _sum(spent),
        "deviation": _sum(d.deviation for d in data),
        "adjustments": _sum(d.adjustments_total for d in data if d.adjustments),
        "adjusted_deviation": _sum(d.adjusted_deviation for d in data),
    }


@login_required
@require_http_methods(["GET", "POST"])
def operating_budget_row_edit(request: HttpRequest, report_pk: int, pk: int) -> HttpResponse:
    report = get_report_for_user(request, report_pk, write=True)
    row = get_object_or_404(OperatingBudgetRow.objects.select_related("area"), pk=pk, report=report)

    def build_form(data, instance, action):
        adjustments = AdjustmentFormSet(data, instance=instance, prefix=ADJUSTMENT_PREFIX)
        return OperatingBudgetRowForm(
            data, instance=instance, report=report, action=action, adjustments=adjustments
        )

    saved = _row_data(row, BudgetAdjustment.objects.filter(row=row).order_by("position", "pk"))
    others = _others(report, row)
    spent = saved.forecast if report.is_tertial else saved.outcome
    total = {
        "budget": _sum([others["budget"], saved.budget]),
        "spent": _sum([others["spent"], spent]),
        "deviation": _sum([others["deviation"], saved.deviation]),
        "adjustments": _sum([others["adjustments"], saved.adjustments_total]),
        "adjusted_deviation": _sum([others["adjusted_deviation"], saved.adjusted_deviation]),
    }
    labels = sorted(
        set(
            BudgetAdjustment.objects.filter(row__report__board_id=report.board_id).values_list(
                "label", flat=True
            )
        )
        | {"Resultatöverföring", "Prognos prestationsförändringar", "Prognos budgetjustering"}
    )
    return edit_item(
        request,
        report=report,
        item=row,
        form_class=OperatingBudgetRowForm,
        build_form=build_form,
        template="budget/operating_budget_row_form.html",
        context={
            "area": row.area,
            "saved": saved,
            "saved_spent": spent,
            "others": others,
            "total": total,
            "spent_label": "Prognos" if report.is_tertial else "Bokslut",
            "adjustment_labels": labels,
        },
        anchor=f"drift-{row.pk}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def economy_text_edit(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = get_report_for_user(request, report_pk, write=True)
    text = EconomyText.objects.filter(report=report).first() or EconomyText(report=report)
    return edit_item(
        request,
        report=report,
        item=text,
        form_class=EconomyTextForm,
        template="budget/economy_text_form.html",
        context={},
        lookup={"report": report},
        create={"report": report},
        anchor="ekonomitext",
    )


TABLE_CONFLICT = (
    "Någon annan har ändrat tabellen medan du skrev, så dina ändringar sparades inte. Det du "
    "skrev finns kvar i formuläret och tabellen som den nu är sparad visas nedanför. Jämför och "
    "spara igen."
)


def _table_edit(request: HttpRequest, report_pk: int, formset_class, template: str, title: str):
    report = get_report_for_user(request, report_pk, write=True)
    model, fields = formset_class.model, formset_class.fields_for_fingerprint
    require_item_edit(request, report, model(report=report))
    saved_rows = None
    if request.method == "POST":
        formset = formset_class(request.POST, report=report)
        if formset.is_valid():
            with transaction.atomic():
                lock_draft(report)
                rows = list(
                    model.objects.select_for_update()
                    .filter(report=report)
                    .order_by("position", "pk")
                )
                if fingerprint(rows, fields) == request.POST.get("fingerprint"):
                    formset.save_rows()
                else:
                    saved_rows = rows
            if saved_rows is None:
                messages.success(request, f"{title} är sparad.")
                return redirect(request.get_full_path())
            data = request.POST.copy()
            data["fingerprint"] = fingerprint(saved_rows, fields)
            formset = formset_class(data, report=report)
            formset.is_valid()
        else:
            messages.error(
                request, "Det du skrev är inte sparat: rätta det som är markerat och spara igen."
            )
        current = request.POST.get("fingerprint", "") if saved_rows is None else data["fingerprint"]
    else:
        formset = formset_class(report=report)
        current = formset.saved_fingerprint
    return render(
        request,
        template,
        {
            "report": report,
            "formset": formset,
            "fingerprint": current,
            "title": title,
            "conflict_message": TABLE_CONFLICT if saved_rows is not None else "",
            "saved_rows": saved_rows,
            "workspace_url": workspace_url(report, "del-ekonomi"),
            "history_url": reverse("reporting:report_history", args=[report.pk])
            + f"?modell={model._meta.label_lower}",
        },
        status=409 if saved_rows is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def income_statement_edit(request: HttpRequest, report_pk: int) -> HttpResponse:
    return _table_edit(
        request,
        report_pk,
        IncomeStatementFormSet,
        "budget/income_statement_form.html",
        "Resultaträkningen",
    )


@login_required
@require_http_methods(["GET", "POST"])
def investments_edit(request: HttpRequest, report_pk: int) -> HttpResponse:
    return _table_edit(
        request, report_pk, InvestmentFormSet, "budget/investments_form.html", "Investeringarna"
    )
