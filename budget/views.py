"""Data entry for Uppföljning av ekonomi: one operating area's row (with its adjustments), the
income statement, the investments and the economy text. Deviations and totals are computed
by ``budget.arithmetic`` (as in the report), never typed; ``static/js/budget.js`` applies the
same rules, with the same exact decimal arithmetic, in the browser while typing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from reporting.access import get_report_for_user, lock_draft, require_item_edit
from reporting.editing import SAVE_NEXT, STATE_LABELS, edit_item, workspace_url
from reporting.forms import READY, UNREADY, focus_first_error_in
from reporting.models import Report
from reporting.steps import PREVIOUS, step_url

from . import arithmetic
from .forms import (
    AdjustmentFormSet,
    EconomyTextForm,
    IncomeStatementFormSet,
    InvestmentFormSet,
    OperatingBudgetRowForm,
)
from .models import BudgetAdjustment, EconomyText, OperatingBudgetRow, TableMark

ADJUSTMENT_PREFIX = "justeringar"
COLUMNS = ("budget", "spent", "deviation", "adjustments", "adjusted_deviation")


def figures(row: OperatingBudgetRow, adjustments, *, tertial: bool) -> dict:
    """One area's columns as ``budget.arithmetic`` computes them."""
    spent = row.forecast if tertial else row.outcome
    amounts = [a.amount for a in adjustments]
    row_deviation = arithmetic.deviation(row.budget, spent)
    return {
        "budget": row.budget,
        "spent": spent,
        "deviation": row_deviation,
        "adjustments": arithmetic.total(amounts),
        "adjusted_deviation": arithmetic.adjusted_deviation(row_deviation, amounts),
    }


def summed(rows: list[dict]) -> dict:
    """Every column of ``figures`` summed over the rows (exact; rounded only when shown)."""
    return {name: arithmetic.total(r[name] for r in rows) for name in COLUMNS}


def _others(report: Report, row: OperatingBudgetRow) -> dict:
    """The other areas of the report summed: what 'Nämnden totalt' adds to this row."""
    rows = list(OperatingBudgetRow.objects.filter(report=report).exclude(pk=row.pk))
    adjustments: dict[int, list] = {}
    for adjustment in BudgetAdjustment.objects.filter(row__in=rows).order_by("position", "pk"):
        adjustments.setdefault(adjustment.row_id, []).append(adjustment)
    data = [figures(r, adjustments.get(r.pk, []), tertial=report.is_tertial) for r in rows]
    return {"count": len(data), **summed(data)}


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

    adjustments = BudgetAdjustment.objects.filter(row=row).order_by("position", "pk")
    saved = figures(row, adjustments, tertial=report.is_tertial)
    others = _others(report, row)
    total = summed([others, saved])
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


MARKED = {READY: " och klarmarkerad", UNREADY: ": klarmarkeringen är ångrad"}
TABLE_CONFLICT = (
    "Någon annan har ändrat tabellen medan du skrev, så dina ändringar sparades inte. Det du "
    "skrev finns kvar i formuläret och tabellen som den nu är sparad visas nedanför. Jämför och "
    "spara igen."
)


TABLE_ANCHORS = {
    TableMark.Table.INCOME_STATEMENT: "resultatrakning",
    TableMark.Table.INVESTMENTS: "investeringar",
}


def _mark(report: Report, table: str, action: str) -> None:
    """Klarmarkera (``READY``) or undo it (``UNREADY``): the table's ready mark, written with
    ``save()`` and ``version + 1`` (inside the save's transaction)."""
    if action not in (READY, UNREADY):
        return
    mark = TableMark.objects.select_for_update().filter(report=report, table=table).first()
    mark = mark or TableMark(report=report, table=table, version=0)
    if mark.ready != (action == READY):
        mark.ready = action == READY
        mark.version += 1
        mark.save()


def _table_edit(
    request: HttpRequest, report_pk: int, formset_class, template: str, title: str, table: str
):
    """A table edited as a whole. Every row carries its version: the save locks the table's
    rows and refuses when a row shown was changed or removed in between (409, both shown).
    Klarmarkera marks the table ready (``TableMark``), as every other item of the report."""
    report = get_report_for_user(request, report_pk, write=True)
    model = formset_class.model
    require_item_edit(request, report, model(report=report))
    saved_rows = None
    action = request.POST.get("action", "save")
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
                current = {row.pk: row for row in rows}
                if formset.stale_rows(current):
                    saved_rows = rows
                else:
                    formset.save_rows(current)
                    _mark(report, table, action)
            if saved_rows is None:
                messages.success(request, f"{title} är sparad{MARKED.get(action, '')}.")
                if action == SAVE_NEXT:
                    return redirect(step_url(report, request.path))
                if action == READY:
                    return redirect(workspace_url(report, TABLE_ANCHORS[table]))
                return redirect(request.get_full_path())
            formset = formset_class(formset.with_versions(request.POST, current), report=report)
            formset.is_valid()
        else:
            messages.error(
                request, "Det du skrev är inte sparat: rätta det som är markerat och spara igen."
            )
            focus_first_error_in(formset.forms)
    else:
        formset = formset_class(report=report)
    mark = TableMark.objects.filter(report=report, table=table).first()
    state = "ready" if mark and mark.ready else "started" if formset.initial_forms else "empty"
    return render(
        request,
        template,
        {
            "report": report,
            "formset": formset,
            "title": title,
            "conflict_message": TABLE_CONFLICT if saved_rows is not None else "",
            "saved_rows": saved_rows,
            "mark": mark,
            "state": state,
            "state_label": STATE_LABELS[state],
            "previous_url": step_url(report, request.path, PREVIOUS),
            "next_url": step_url(report, request.path),
            "workspace_url": workspace_url(report, TABLE_ANCHORS[table]),
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
        TableMark.Table.INCOME_STATEMENT,
    )


@login_required
@require_http_methods(["GET", "POST"])
def investments_edit(request: HttpRequest, report_pk: int) -> HttpResponse:
    return _table_edit(
        request,
        report_pk,
        InvestmentFormSet,
        "budget/investments_form.html",
        "Investeringarna",
        TableMark.Table.INVESTMENTS,
    )
