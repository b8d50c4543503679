"""Budget figures from Excel: a template for a report, read back into a list of changes, applied
all at once (see ``reporting.spreadsheet`` for the flow).

The template has a sheet per table of figures: **Driftbudget** (one row per operating area of
the board's year: Bokslut föregående år, Budget, and Bokslut in a VB or Prognos in T1/T2),
**Resultaträkning** (the report's income and cost types: Budget, Utfall and the same for the
previous year) and **Investeringar** (the report's categories: Budget, Bokslut, Prognos,
Föregående prognos). Labels are locked; only figures are read. Driftbudget must be there; the
other sheets may be left out (nothing changes there). An empty cell empties the figure. Amounts
are kept as exact as they are given, within the column's precision.
"""

from dataclasses import dataclass
from decimal import Decimal

from budget.models import IncomeStatementRow, InvestmentRow, OperatingArea, OperatingBudgetRow

from .models import Report
from .spreadsheet import (
    Change,
    Problems,
    Stale,
    TemplateColumn,
    instructions_sheet,
    number,
    read_sheet,
    same,
    shown,
    stored,
    template_bytes,
    template_sheet,
    text,
)


@dataclass(frozen=True)
class Figure:
    header: str
    field: str


@dataclass(frozen=True)
class Table:
    sheet: str
    label: str  # the label column's header
    model: type
    figures: tuple[Figure, ...]
    required: bool = False


def _tables(report: Report) -> tuple[Table, ...]:
    spent = Figure("Prognos", "forecast") if report.is_tertial else Figure("Bokslut", "outcome")
    return (
        Table(
            "Driftbudget",
            "Verksamhetsområde",
            OperatingBudgetRow,
            (
                Figure("Bokslut föregående år", "previous_year_outcome"),
                Figure("Budget", "budget"),
                spent,
            ),
            required=True,
        ),
        Table(
            "Resultaträkning",
            "Intäkts- eller kostnadsslag",
            IncomeStatementRow,
            (
                Figure("Budget", "budget"),
                Figure("Utfall", "outcome"),
                Figure("Budget föregående år", "previous_budget"),
                Figure("Utfall föregående år", "previous_outcome"),
            ),
        ),
        Table(
            "Investeringar",
            "Kategori",
            InvestmentRow,
            (
                Figure("Budget", "budget"),
                Figure("Bokslut", "outcome"),
                Figure("Prognos", "forecast"),
                Figure("Föregående prognos", "previous_forecast"),
            ),
        ),
    )


def _rows(report: Report, table: Table) -> dict[str, tuple[str, object]]:
    """The table's rows in the report, keyed by their label in lower case: (label, row), the
    row None for an operating area of the plan that the report has no row for yet."""
    if table.model is OperatingBudgetRow:
        rows = {r.area_id: r for r in report.operating_budget_rows.all()}
        areas = OperatingArea.objects.filter(board=report.board, year=report.year)
        return {
            area.name.strip().lower(): (area.name, rows.get(area.pk) or area)
            for area in areas.order_by("position", "pk")
        }
    if table.model is IncomeStatementRow:
        rows = report.income_statement_rows.order_by("position", "pk")
        return {r.label.strip().lower(): (r.label, r) for r in rows}
    rows = report.investment_rows.order_by("position", "pk")
    return {r.category.strip().lower(): (r.category, r) for r in rows}


def _value(row, field: str):
    return None if isinstance(row, OperatingArea) else getattr(row, field)


class BudgetImport:
    kind = "budget"
    title = "Budgetsiffror från Excel"
    template_url_name = "reporting:budget_template"
    description = (
        "Mallen har ett blad per tabell: Driftbudget (nämndens verksamhetsområden), "
        "Resultaträkning och Investeringar (rapportens rader). Fyll i eller klistra in beloppen "
        "i mnkr; namnen i första kolumnen är låsta. En tom cell tömmer beloppet. Bladen "
        "Resultaträkning och Investeringar kan tas bort om de inte ska ändras."
    )

    # -- the template --

    def template(self, report: Report) -> bytes:
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.remove(workbook.active)
        instructions_sheet(
            workbook,
            f"Budgetsiffror för {report.owner_name}, {report.title}",
            [
                self.description,
                "Skriv belopp som tal (1165,1 eller −4,5). Så många decimaler som ekonomisystemet "
                f"ger sparas (högst {_places()}); rapporten skriver ut en decimal.",
                "Ladda upp filen på sidan ”Importera budgetsiffror från Excel”. Du ser varje "
                "ändring innan något sparas.",
            ],
        )
        for table in _tables(report):
            columns = [TemplateColumn(table.label, 45)]
            columns += [TemplateColumn(f.header, 18, kind="number") for f in table.figures]
            rows = [
                [label, *(_value(row, f.field) for f in table.figures)]
                for label, row in _rows(report, table).values()
            ]
            template_sheet(workbook, table.sheet, columns, rows)
        return template_bytes(workbook)

    # -- reading --

    def read(self, report: Report, workbook, problems: Problems) -> list[Change]:
        changes = []
        for table in _tables(report):
            headers = [table.label, *(f.header for f in table.figures)]
            rows = read_sheet(workbook, table.sheet, headers, problems, required=table.required)
            if rows is None:
                continue
            known = _rows(report, table)
            seen: dict[str, int] = {}
            for sheet_row in rows:
                label = text(sheet_row.cells[table.label])
                key = label.lower()
                if key not in known:
                    problems.add(
                        table.sheet,
                        sheet_row.number,
                        table.label,
                        f"”{label}” finns inte i {_where(table, report)}.",
                    )
                    continue
                if key in seen:
                    problems.add(
                        table.sheet,
                        sheet_row.number,
                        table.label,
                        f"”{label}” står redan på rad {seen[key]}.",
                    )
                    continue
                seen[key] = sheet_row.number
                name, row = known[key]
                for figure in table.figures:
                    field = table.model._meta.get_field(figure.field)
                    try:
                        new = number(
                            sheet_row.cells[figure.header],
                            max_digits=field.max_digits,
                            decimal_places=field.decimal_places,
                        )
                    except ValueError as error:
                        problems.add(table.sheet, sheet_row.number, figure.header, f"{error}.")
                        continue
                    old = _value(row, figure.field)
                    if (old is None) == (new is None) and (old is None or old == new):
                        continue
                    changes.append(
                        Change(
                            sheet=table.sheet,
                            item=name,
                            column=figure.header,
                            old=shown(_plain(old)),
                            new=shown(new),
                            target={
                                "model": table.model._meta.label_lower,
                                "pk": None if isinstance(row, OperatingArea) else row.pk,
                                "area": row.pk if isinstance(row, OperatingArea) else None,
                                "field": figure.field,
                                "old": stored(old),
                                "new": stored(new),
                            },
                        )
                    )
        return changes

    # -- applying --

    def apply(self, report: Report, changes: list[Change]) -> None:
        """Write every change, or raise ``Stale`` (nothing written: the caller's transaction
        rolls back) when a figure is no longer what the preview showed."""
        models = {t.model._meta.label_lower: t.model for t in _tables(report)}
        rows: dict[tuple[str, object], object] = {}
        for change in changes:
            target = change.target
            model = models[target["model"]]
            key = (target["model"], target["pk"] or f"area-{target['area']}")
            if key not in rows:
                rows[key] = _locked_row(report, model, target, change.item)
            row = rows[key]
            if not same(getattr(row, target["field"]), target["old"]):
                raise Stale(f"”{change.item}”, {change.column.lower()},")
            new = target["new"]
            setattr(row, target["field"], None if new is None else Decimal(new))
        for row in rows.values():
            if hasattr(row, "version"):
                row.version = (row.version or 0) + 1 if row.pk else 1
            row.save()


def _places() -> int:
    return OperatingBudgetRow._meta.get_field("budget").decimal_places


def _plain(value):
    return value if not isinstance(value, Decimal) else value.normalize()


def _where(table: Table, report: Report) -> str:
    if table.model is OperatingBudgetRow:
        return f"nämndens verksamhetsområden {report.year}"
    return "rapportens " + (
        "resultaträkning" if table.model is IncomeStatementRow else "investeringar"
    )


def _locked_row(report: Report, model, target: dict, item: str):
    """The row to change, locked; a new operating-budget row for an area the report has none
    for (created only if no one has made it since the preview)."""
    rows = model.objects.select_for_update()
    if target["pk"] is not None:
        row = rows.filter(pk=target["pk"], report=report).first()
        if row is None:
            raise Stale(f"”{item}”")
        return row
    row = rows.filter(report=report, area_id=target["area"]).first()
    if row is not None:
        raise Stale(f"”{item}”")
    return OperatingBudgetRow(report=report, area_id=target["area"])
