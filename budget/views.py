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
from django.views.decorators.http import require_http_methods, require_POST

from reporting.access import get_report_for_user, lock_draft, require_item_edit
from reporting.editing import SAVE_NEXT, STATE_LABELS, edit_item, workspace_url
from reporting.forms import MOVES, READY, UNREADY, focus_first_error_in
from reporting.models import Report
from reporting.signals import report_content_changed
from reporting.steps import PREVIOUS, step_url

from . import arithmetic, services
from .forms import (
    AdjustmentFormSet,
    AmountUnitForm,
    EconomySubsectionCreateForm,
    EconomySubsectionForm,
    EconomyTextForm,
    IncomeStatementFormSet,
    InvestmentFormSet,
    OperatingBudgetRowForm,
    amount_help,
)
from .models import (
    AdjustmentKind,
    BudgetAdjustment,
    EconomySubsection,
    EconomyText,
    OperatingBudgetRow,
    TableMark,
)

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
        adjustments = AdjustmentFormSet(
            data,
            instance=instance,
            prefix=ADJUSTMENT_PREFIX,
            form_kwargs={"unit": report.amount_unit},
        )
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
        | set(
            AdjustmentKind.objects.filter(board_id=report.board_id, year=report.year).values_list(
                "label", flat=True
            )
        )
        | {"Resultatöverföring", *arithmetic.TERTIAL_ADJUSTMENTS}
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


@login_required
@require_http_methods(["GET", "POST"])
def amount_unit_edit(request: HttpRequest, report_pk: int) -> HttpResponse:
    """Beloppsenhet: the unit (kr, tkr, mnkr) the report's economy forms take amounts in."""
    report = get_report_for_user(request, report_pk, write=True)
    require_item_edit(request, report, EconomyText(report=report))
    form = AmountUnitForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["amount_unit"]
        with transaction.atomic():
            current = lock_draft(report)
            if current.amount_unit != unit:
                current.amount_unit = unit
                current.save(update_fields=["amount_unit", "updated_at"])
        messages.success(request, f"Beloppen i ekonomiformulären anges nu i {unit}.")
        return redirect(workspace_url(report, "del-ekonomi"))
    return render(
        request,
        "budget/amount_unit_form.html",
        {"report": report, "form": form, "workspace_url": workspace_url(report, "del-ekonomi")},
    )


# -- the tables' computed columns and sums, shown under the form ---------------------------------

# (name, header, how it prints): "amount" (as the report prints it, a minus sign and no plus)
# or "percent".
INCOME_STATEMENT_COLUMNS = {
    "vb": [
        ("previous_outcome", "Utfall föregående år", "amount"),
        ("outcome", "Utfall", "amount"),
        ("change", "Förändring", "amount"),
    ],
    "tertial": [  # years left to right, oldest first, as printed
        ("previous_budget", "Budget föregående år", "amount"),
        ("previous_outcome", "Utfall föregående år", "amount"),
        ("previous_consumption", "Förbrukning föregående år", "percent"),
        ("budget", "Budget", "amount"),
        ("outcome", "Utfall", "amount"),
        ("consumption", "Förbrukning", "percent"),
    ],
}
INVESTMENT_COLUMNS = {
    "vb": [
        ("budget", "Budget", "amount"),
        ("outcome", "Bokslut", "amount"),
        ("deviation", "Avvikelse", "amount"),
        ("forecast_deviation", "Avvikelse prognos T2", "amount"),
    ],
    "tertial": [
        ("budget", "Budget", "amount"),
        ("forecast", "Prognos", "amount"),
        ("deviation", "Avvikelse", "amount"),
    ],
}
INCOME_SUMS = (("income", "Summa intäkter"), ("cost", "Summa kostnader"), ("", "Netto"))


def income_statement_figures(row: dict) -> dict:
    """An income-statement row's (or sum's) columns as ``budget.arithmetic`` computes them;
    ``row`` has kind, budget, outcome, previous_budget, previous_outcome."""
    return {
        **row,
        "change": arithmetic.change(row["kind"], row["outcome"], row["previous_outcome"]),
        "consumption": arithmetic.consumption(row["outcome"], row["budget"]),
        "previous_consumption": arithmetic.consumption(
            row["previous_outcome"], row["previous_budget"]
        ),
    }


def investment_figures(row: dict) -> dict:
    spent = row["outcome"] if row["outcome"] is not None else row["forecast"]
    return {
        **row,
        "deviation": arithmetic.deviation(row["budget"], spent),
        "forecast_deviation": arithmetic.difference(row["previous_forecast"], row["outcome"]),
    }


AMOUNTS = {
    "income_statement": ("budget", "outcome", "previous_budget", "previous_outcome"),
    "investments": ("budget", "outcome", "forecast", "previous_forecast"),
}


def table_summary(kind: str, rows: list, *, tertial: bool) -> dict:
    """The computed columns of each saved row and the sums (exact, rounded only when shown):
    what the report prints, from the same arithmetic. ``kind``: income_statement or
    investments."""
    period = "tertial" if tertial else "vb"
    names = AMOUNTS[kind]
    plain = [{name: getattr(r, name) for name in names} for r in rows]
    if kind == "income_statement":
        columns = INCOME_STATEMENT_COLUMNS[period]
        # as the report prints it: the incomes and their sum, the costs and theirs, the net
        lines = []
        for sum_kind, label in INCOME_SUMS:
            members = [
                (r, p)
                for r, p in zip(rows, plain, strict=True)
                if not sum_kind or r.kind == sum_kind
            ]
            if sum_kind:
                lines += [
                    (r.label, income_statement_figures({**p, "kind": r.kind}), False)
                    for r, p in members
                ]
                if not members:
                    continue
            sums = {name: arithmetic.total(p[name] for _, p in members) for name in names}
            lines.append((label, income_statement_figures({**sums, "kind": sum_kind}), True))
    else:
        columns = INVESTMENT_COLUMNS[period]
        lines = [
            (r.category, investment_figures(p), False) for r, p in zip(rows, plain, strict=True)
        ]
        sums = {name: arithmetic.total(p[name] for p in plain) for name in names}
        lines.append(("Summa", investment_figures(sums), True))
    return {
        "kind": kind,
        "period": period,
        "columns": columns,
        "rows": [
            {
                "label": label,
                "total": is_total,
                "cells": [(figures[name], style) for name, _, style in columns],
            }
            for label, figures, is_total in lines
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def economy_subsection_edit(request: HttpRequest, report_pk: int, pk: int) -> HttpResponse:
    """One subsection of the economy: its heading and text, with the tables it holds."""
    report = get_report_for_user(request, report_pk, write=True)
    subsection = get_object_or_404(EconomySubsection, pk=pk, report=report)
    names = [EconomySubsection.TABLES.get(t, t) for t in subsection.tables or ()]
    return edit_item(
        request,
        report=report,
        item=subsection,
        form_class=EconomySubsectionForm,
        template="budget/economy_subsection_form.html",
        context={"heading": subsection.heading, "table_names": names, "can_delete": True},
        anchor=f"ekonomi-delavsnitt-{subsection.pk}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def economy_subsection_create(request: HttpRequest, report_pk: int) -> HttpResponse:
    """A new subsection of the economy (Återredovisning nyanlända, ...), where it is chosen."""
    report = get_report_for_user(request, report_pk, write=True)
    subsection = EconomySubsection(report=report)
    require_item_edit(request, report, subsection)
    form = EconomySubsectionCreateForm(request.POST or None, instance=subsection, report=report)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                lock_draft(report)
                services.insert_after(report, subsection, form.cleaned_data["after"])
                form.apply(subsection)
                subsection.save()
                report_content_changed(report.pk)
            messages.success(request, f"Delavsnittet ”{subsection.heading}” är skapat.")
            return redirect("budget:economy_subsection_edit", report.pk, subsection.pk)
        messages.error(request, "Delavsnittet är inte skapat: rätta det som är markerat.")
    return render(
        request,
        "budget/economy_subsection_form.html",
        {
            "report": report,
            "item": subsection,
            "form": form,
            "heading": "Nytt delavsnitt i ekonomin",
            "creating": True,
            "workspace_url": workspace_url(report, "del-ekonomi"),
        },
    )


@require_POST
@login_required
def economy_subsection_move(request: HttpRequest, report_pk: int, pk: int) -> HttpResponse:
    """ "Flytta upp" / "Flytta ned" in the workspace outline: the subsection changes places
    with its neighbour (``services.move_subsection``). A move made from an outline that is no
    longer the order is refused, and the workspace shows the order as it is now."""
    report = get_report_for_user(request, report_pk, write=True)
    subsection = get_object_or_404(EconomySubsection, pk=pk, report=report)
    require_item_edit(request, report, subsection)
    direction = request.POST.get("riktning", "")
    try:
        if direction not in MOVES:
            raise services.OrderChanged
        services.move_subsection(
            report,
            subsection.pk,
            MOVES[direction],
            version=request.POST.get("version", ""),
            neighbour=request.POST.get("granne", ""),
        )
    except services.OrderChanged:
        messages.error(request, services.ORDER_CHANGED)
        return redirect(workspace_url(report, "del-ekonomi"))
    messages.success(request, f"Delavsnittet ”{subsection.heading}” är flyttat {direction}.")
    return redirect(workspace_url(report, f"ekonomi-delavsnitt-{subsection.pk}"))


@login_required
@require_http_methods(["GET", "POST"])
def economy_subsection_delete(request: HttpRequest, report_pk: int, pk: int) -> HttpResponse:
    """ "Ta bort delavsnittet", after a confirmation; refused for the only subsection and for
    one that places tables (``services.removal_refusal`` says why), so that no table leaves
    the document's order unnoticed."""
    report = get_report_for_user(request, report_pk, write=True)
    subsection = get_object_or_404(EconomySubsection, pk=pk, report=report)
    require_item_edit(request, report, subsection)
    edit_url = reverse("budget:economy_subsection_edit", args=[report.pk, subsection.pk])
    delete_url = reverse("budget:economy_subsection_delete", args=[report.pk, subsection.pk])
    if request.method == "POST":
        try:
            removed = services.remove_subsection(
                report, subsection.pk, version=request.POST.get("version", "")
            )
        except services.RemovalRefused:
            return redirect(delete_url)  # the page says why
        if removed is not None:
            messages.success(request, f"Delavsnittet ”{subsection.heading}” är borttaget.")
            return redirect(workspace_url(report, "del-ekonomi"))
        messages.error(
            request,
            "Delavsnittet har ändrats av någon annan sedan du öppnade sidan och togs inte bort. "
            "Titta på det igen innan du tar bort det.",
        )
        return redirect(edit_url)
    count = EconomySubsection.objects.filter(report=report).count()
    return render(
        request,
        "budget/economy_subsection_delete.html",
        {
            "report": report,
            "subsection": subsection,
            "edit_url": edit_url,
            "refusal": services.removal_refusal(subsection, count),
        },
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
            "amount_caption": f"Rader, belopp i {report.amount_unit}",
            "summary": table_summary(
                table,
                list(model.objects.filter(report=report).order_by("position", "pk")),
                tertial=report.is_tertial,
            ),
            "amount_help": amount_help(report.amount_unit),
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
