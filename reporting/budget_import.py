"""Budget figures from Excel: a template for a report, read back into a list of changes, applied
all at once (see ``reporting.spreadsheet`` for the flow).

The template has a sheet per table of figures: **Driftbudget** (one row per operating area of
the board's year: Bokslut föregående år, Budget, and Bokslut in a VB or Prognos in T1/T2),
**Resultaträkning** (the report's income and cost types: Budget, Utfall and the same for the
previous year) and **Investeringar** (the report's categories: Budget, Bokslut, Prognos,
Föregående prognos). Labels are locked; only figures are read. Driftbudget must be there; the
other sheets may be left out (nothing changes there). An empty cell empties the figure.

**Units.** The template writes the amounts in the report's unit (``Report.amount_unit``: kr, tkr
or mnkr) and names it in every amount column's header, ``Budget (tkr)``. The import reads a
sheet's amounts in the unit its headers name, whatever the report's unit is now, so a template
filled in while the unit changed is still read as it was written; a header without a unit or
with another unit than the sheet's other amount columns is refused at its cell. A sheet whose
headers name no unit at all comes from a template made before units: read as mnkr, as it always
was, and the preview says so. Amounts are converted to mnkr and checked as the forms do it
(``budget.arithmetic.to_mnkr``, ``budget.forms.check_amount``): kept exactly as given, refused
when finer than 1 öre or too large. The preview shows them in the report's unit.
"""

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, localcontext

from django.core.exceptions import ValidationError

from budget.arithmetic import UNITS, from_mnkr, to_mnkr
from budget.forms import amount_help, check_amount, smallest_step
from budget.models import IncomeStatementRow, InvestmentRow, OperatingArea, OperatingBudgetRow

from .models import Report
from .numbers import format_figure, format_number, normalise
from .spreadsheet import (
    EMPTY,
    Change,
    Problems,
    Stale,
    TemplateColumn,
    cell_number,
    instructions_sheet,
    quoted,
    read_sheet,
    same,
    stored,
    template_bytes,
    template_sheet,
    text,
)

LEGACY_UNIT = "mnkr"  # what a template without units in its headers was written in
NO_UNIT_NOTICE = "Filen saknar enhet i rubrikerna: beloppen läses som mnkr."
_UNIT_IN_HEADER = re.compile(r"^(?P<name>.*?)\s*\((?P<unit>[^()]*)\)$")


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
    uses_amount_unit = True  # the page names the report's unit
    description = (
        "Mallen har ett blad per tabell: Driftbudget (nämndens verksamhetsområden), "
        "Resultaträkning och Investeringar (rapportens rader). Fyll i eller klistra in beloppen "
        "i den enhet som står i kolumnernas rubriker, t.ex. ”Budget (tkr)”: rapportens "
        "beloppsenhet när mallen hämtades. Namnen i första kolumnen är låsta. En tom cell "
        "tömmer beloppet. Bladen Resultaträkning och Investeringar kan tas bort om de inte "
        "ska ändras."
    )

    # -- the template --

    def template(self, report: Report) -> bytes:
        from openpyxl import Workbook

        unit = report.amount_unit
        step = smallest_step(unit)
        workbook = Workbook()
        workbook.remove(workbook.active)
        instructions_sheet(
            workbook,
            f"Budgetsiffror för {report.owner_name}, {report.title}",
            [
                self.description,
                f"Beloppen i den här mallen står i {unit}, rapportens beloppsenhet: skriv dem i "
                f"{unit}. Enheten står i varje beloppskolumns rubrik, t.ex. ”Budget ({unit})”, "
                "och importen läser beloppen i den enheten även om rapportens enhet har bytts "
                "sedan mallen hämtades. Ändra inte rubrikerna.",
                f"{amount_help(unit)} Så många decimaler som ekonomisystemet ger sparas, ned "
                f"till 1 öre ({format_number(step)} {unit}).",
                "Ladda upp filen på sidan ”Importera budgetsiffror från Excel”. Du ser varje "
                "ändring innan något sparas.",
            ],
        )
        shown_format = "#,##0.0" + "#" * max(_decimals(step) - 1, 0)
        for table in _tables(report):
            columns = [TemplateColumn(table.label, 45)]
            columns += [
                TemplateColumn(
                    _header(f.header, unit), 22, kind="number", number_format=shown_format
                )
                for f in table.figures
            ]
            rows = [
                [label, *(_in_unit(_value(row, f.field), unit) for f in table.figures)]
                for label, row in _rows(report, table).values()
            ]
            template_sheet(workbook, table.sheet, columns, rows)
        return template_bytes(workbook)

    # -- reading --

    def read(self, report: Report, workbook, problems: Problems) -> list[Change]:
        changes = []
        without_units: list[str] = []  # sheets read as mnkr: their headers name no unit
        units: dict[str, str] = {}  # sheet -> the unit its headers name
        for table in _tables(report):
            written = _amount_headers(workbook, table)
            headers = [table.label, *(written.get(f.header, f.header) for f in table.figures)]
            rows = read_sheet(workbook, table.sheet, headers, problems, required=table.required)
            if rows is None:
                continue
            unit = _sheet_unit(table, written, problems, report.amount_unit)
            if unit is None:
                continue
            if any(_UNIT_IN_HEADER.match(h) for h in written.values()):
                units[table.sheet] = unit
            else:
                without_units.append(table.sheet)
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
                    header = written[figure.header]
                    try:
                        new = _amount(sheet_row.cells[header], unit)
                    except ValueError as error:
                        message = str(error)
                        message += "" if message.endswith(".") else "."
                        problems.add(table.sheet, sheet_row.number, header, message)
                        continue
                    old = _value(row, figure.field)
                    if (old is None) == (new is None) and (old is None or old == new):
                        continue
                    changes.append(
                        Change(
                            sheet=table.sheet,
                            item=name,
                            column=figure.header,
                            old=_shown(old, report.amount_unit),
                            new=_shown(new, report.amount_unit),
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
        _unit_notices(report, without_units, units, problems)
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


# -- units ------------------------------------------------------------------------------------


def _header(name: str, unit: str) -> str:
    """An amount column's header in the template: ``Budget (tkr)``."""
    return f"{name} ({unit})"


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def _in_unit(value: Decimal | None, unit: str) -> Decimal | None:
    """A stored amount (mnkr) in ``unit``, exactly: 1.234567 mnkr is 1234.567 tkr."""
    return None if value is None else normalise(from_mnkr(value, unit))


def _shown(value: Decimal | None, unit: str) -> str:
    """A stored amount in the preview, in the report's unit: ``1 234,567 tkr``."""
    if value is None:
        return EMPTY
    return format_figure(_in_unit(value, unit), unit)


def _amount_headers(workbook, table: Table) -> dict[str, str]:
    """Each amount column's header as the sheet's row 1 writes it (``Budget (tkr)``, or
    ``Budget`` in a template made before units), keyed by the figure's header; a column the
    sheet lacks is left out (``read_sheet`` names it)."""
    names = {name.strip().lower(): name for name in workbook.sheetnames}
    if table.sheet.lower() not in names:
        return {}
    sheet = workbook[names[table.sheet.lower()]]
    first = next(sheet.iter_rows(values_only=True, max_row=1), None) or ()
    written: dict[str, str] = {}
    for value in first:
        header = text(value)
        match = _UNIT_IN_HEADER.match(header)
        name = match["name"] if match else header
        for figure in table.figures:
            if name.lower() == figure.header.lower():
                written.setdefault(figure.header, header)
    return written


def _sheet_unit(
    table: Table, written: dict[str, str], problems: Problems, suggested: str
) -> str | None:
    """The unit a sheet's amounts are written in: the one its amount headers name (all the
    same), mnkr when none names a unit (a template made before units). None, with a problem
    at each header that names no unit, an unknown one or another one than the others (the
    problem suggests the sheet's unit, or ``suggested`` when it has none)."""
    named = {h: m["unit"].strip() for h in written.values() if (m := _UNIT_IN_HEADER.match(h))}
    if not named:
        return LEGACY_UNIT
    known = [u.lower() for u in named.values() if u.lower() in UNITS]
    unit = Counter(known).most_common(1)[0][0] if known else None  # ties: the leftmost
    refused = {}
    for name, header in written.items():
        example = f"t.ex. ”{_header(name, unit or suggested)}”"
        given = named.get(header)
        if given is None:
            refused[header] = (
                "rubriken anger ingen enhet, men bladets andra beloppskolumner står i "
                f"{unit}: alla belopp på ett blad ska stå i samma enhet. Skriv enheten inom "
                f"parentes, {example}."
                if unit
                else f"rubriken anger ingen enhet. Skriv enheten inom parentes, {example}."
            )
        elif given.lower() not in UNITS:
            refused[header] = (
                f"”{given}” är ingen enhet som importen känner till. Skriv kr, tkr eller mnkr "
                f"inom parentes, {example}."
            )
        elif given.lower() != unit:
            refused[header] = (
                f"rubriken anger {given.lower()}, men bladets andra beloppskolumner står i "
                f"{unit}: alla belopp på ett blad ska stå i samma enhet. Räkna om kolumnen "
                "och ändra rubriken, eller hämta en ny mall."
            )
    for header, message in refused.items():
        problems.add(table.sheet, 1, header, message)
    return None if refused else unit


def _amount(value, unit: str) -> Decimal | None:
    """A cell's amount, written in ``unit``, in mnkr as stored: converted and checked as the
    forms do it; ``ValueError`` with a Swedish message when it cannot be kept exactly."""
    typed = cell_number(value)
    if typed is None:
        return None
    with localcontext() as context:  # exact: the factor is a power of ten
        context.prec = max(context.prec, len(typed.as_tuple().digits) + 1)
        amount = to_mnkr(typed, unit)
        assert amount is not None
        try:
            check_amount(amount, unit)
        except ValidationError as error:
            raise ValueError(f"”{quoted(typed)}” går inte att spara. {error.messages[0]}") from None
    return normalise(amount)  # exact: the amount fits its column


def _unit_notices(
    report: Report, without_units: list[str], units: dict[str, str], problems: Problems
) -> None:
    """Say above the preview how the file's amounts were read when that is not plainly in the
    report's unit: from a template made before units (as mnkr), or in another unit."""
    if without_units and not units:
        problems.notice(NO_UNIT_NOTICE)
    elif without_units:
        for sheet in without_units:
            problems.notice(
                f"Bladet {sheet} saknar enhet i rubrikerna: beloppen där läses som {LEGACY_UNIT}."
            )
    other = {sheet: unit for sheet, unit in units.items() if unit != report.amount_unit}
    if other and not without_units and len(set(units.values())) == 1:
        unit = next(iter(other.values()))
        problems.notice(f"Filens rubriker anger {unit}: beloppen läses som {unit}.")
    else:
        for sheet, unit in other.items():
            problems.notice(
                f"Bladet {sheet} har {unit} i rubrikerna: beloppen där läses som {unit}."
            )
    read_in = set(units.values()) | ({LEGACY_UNIT} if without_units else set())
    if read_in - {report.amount_unit}:
        problems.notice(
            f"Förhandsgranskningen visar beloppen i {report.amount_unit}, rapportens beloppsenhet."
        )


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
