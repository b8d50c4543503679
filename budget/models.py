"""Uppföljning av ekonomi: operating areas of the plan and each report's economy.

Amounts are in mnkr, kept as exactly as they were given (kronor with öre fit); in the ledger
view revenues are negative and costs positive. Deviations, adjusted deviations, sums and totals
are derived (``budget.arithmetic``), never stored; only a published report's printed figures,
where its exact amounts are unknown, are kept as given (``given`` on a row, ``GivenTotals``).
"""

from django.db import models
from django.db.models import Q

from reporting.history import AuditedManager, audit_history
from reporting.models import ReportItem

from .arithmetic import AMOUNT_DECIMALS, AMOUNT_MAX_DIGITS

AMOUNT = {"max_digits": AMOUNT_MAX_DIGITS, "decimal_places": AMOUNT_DECIMALS}
GIVEN_HELP = (
    "Tryckta (avrundade) värden för rader och summor, när bara en publicerad rapport finns: "
    "kolumnens namn → belopp i mnkr som text."
)


def given_field() -> models.JSONField:
    return models.JSONField("tryckta värden", default=dict, blank=True, help_text=GIVEN_HELP)


def amount(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, null=True, blank=True, **AMOUNT, **kwargs)


class OperatingArea(models.Model):
    """Verksamhetsområde: a line of the board's operating budget in one year."""

    board = models.ForeignKey(
        "reporting.Board", models.PROTECT, related_name="operating_areas", verbose_name="nämnd"
    )
    year = models.PositiveSmallIntegerField("år")
    name = models.CharField("namn", max_length=200)
    position = models.PositiveIntegerField("ordning", default=0)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["year", "position"]
        verbose_name = "verksamhetsområde"
        verbose_name_plural = "verksamhetsområden"
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "name"],
                name="budget_operatingarea_unique_name",
                violation_error_message="Nämnden har redan ett verksamhetsområde med det namnet i år.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class IncomeStatementCategory(models.Model):
    """Intäkts- eller kostnadsslag of the plan: a line of the income statement in every report
    of the year."""

    class Kind(models.TextChoices):
        INCOME = "income", "Intäkt"
        COST = "cost", "Kostnad"

    board = models.ForeignKey(
        "reporting.Board",
        models.PROTECT,
        related_name="income_statement_categories",
        verbose_name="nämnd",
    )
    year = models.PositiveSmallIntegerField("år")
    name = models.CharField("intäkts- eller kostnadsslag", max_length=200)
    kind = models.CharField("slag", max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField("ordning", default=0)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["year", "position", "name"]
        verbose_name = "intäkts- eller kostnadsslag"
        verbose_name_plural = "intäkts- och kostnadsslag"
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "name"],
                name="budget_incomestatementcategory_unique_name",
                violation_error_message="Nämnden har redan ett slag med det namnet i år.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["income", "cost"]),
                name="budget_incomestatementcategory_kind_valid",
                violation_error_message="Ange intäkt eller kostnad.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InvestmentCategory(models.Model):
    """Investeringskategori of the plan (Inventarier och maskiner, Klimatinvesteringar, ...):
    a line of the investments table in every report of the year."""

    board = models.ForeignKey(
        "reporting.Board",
        models.PROTECT,
        related_name="investment_categories",
        verbose_name="nämnd",
    )
    year = models.PositiveSmallIntegerField("år")
    name = models.CharField("kategori", max_length=200)
    position = models.PositiveIntegerField("ordning", default=0)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["year", "position", "name"]
        verbose_name = "investeringskategori"
        verbose_name_plural = "investeringskategorier"
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "name"],
                name="budget_investmentcategory_unique_name",
                violation_error_message="Nämnden har redan en kategori med det namnet i år.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AdjustmentKind(models.Model):
    """Justeringsslag: an adjustment column of the board's VB operating budget (Resultatöverföring,
    Justering nyanlända, ...), printed in this order in every VB of the year, even when no area
    has an amount in it. T1 and T2 print their fixed columns (``arithmetic.TERTIAL_ADJUSTMENTS``).
    """

    board = models.ForeignKey(
        "reporting.Board", models.PROTECT, related_name="adjustment_kinds", verbose_name="nämnd"
    )
    year = models.PositiveSmallIntegerField("år")
    label = models.CharField("justering", max_length=200)
    position = models.PositiveIntegerField("ordning", default=0)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["year", "position", "pk"]
        verbose_name = "justeringsslag"
        verbose_name_plural = "justeringsslag"
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "label"],
                name="budget_adjustmentkind_unique_label",
                violation_error_message="Nämnden har redan en justering med det namnet i år.",
            )
        ]

    def __str__(self) -> str:
        return self.label


class OperatingBudgetRow(ReportItem):
    """Driftbudget for one operating area in one report: Bokslut föregående år, Budget, Bokslut
    (VB) or Prognos (T1/T2), the named adjustments and the comment under the area's heading."""

    report = models.ForeignKey(
        "reporting.Report",
        models.CASCADE,
        related_name="operating_budget_rows",
        verbose_name="rapport",
    )
    area = models.ForeignKey(
        OperatingArea, models.PROTECT, related_name="budget_rows", verbose_name="verksamhetsområde"
    )
    previous_year_outcome = amount("bokslut föregående år")
    budget = amount("budget")
    outcome = amount("bokslut")
    forecast = amount("prognos")
    comment = models.TextField("kommentar", blank=True)
    given = given_field()

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["report", "area__position"]
        verbose_name = "driftbudgetrad"
        verbose_name_plural = "driftbudgetrader"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "area"],
                name="budget_operatingbudgetrow_unique_area",
                violation_error_message="Verksamhetsområdet finns redan i rapporten.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} ({self.report})"


class BudgetAdjustment(models.Model):
    """A named column between Avvikelse and Justerad avvikelse: Resultatöverföring, Justering
    nyanlända, Prognos prestationsförändringar, ..."""

    row = models.ForeignKey(
        OperatingBudgetRow, models.CASCADE, related_name="adjustments", verbose_name="rad"
    )
    position = models.PositiveIntegerField("ordning", default=0)
    label = models.CharField("justering", max_length=200)
    amount = models.DecimalField("belopp", **AMOUNT)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["row", "position"]
        verbose_name = "justering"
        verbose_name_plural = "justeringar"

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class IncomeStatementRow(models.Model):
    """Resultaträkning: one type of income or cost (intäkts- eller kostnadsslag)."""

    class Kind(models.TextChoices):
        INCOME = "income", "Intäkt"
        COST = "cost", "Kostnad"

    report = models.ForeignKey(
        "reporting.Report",
        models.CASCADE,
        related_name="income_statement_rows",
        verbose_name="rapport",
    )
    position = models.PositiveIntegerField("ordning", default=0)
    label = models.CharField("intäkts- eller kostnadsslag", max_length=200)
    kind = models.CharField("slag", max_length=10, choices=Kind.choices)
    budget = amount("budget")
    outcome = amount("utfall")
    previous_budget = amount("budget föregående år")
    previous_outcome = amount("utfall föregående år")
    given = given_field()
    version = models.PositiveIntegerField("version", default=1, editable=False)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["report", "position"]
        verbose_name = "resultaträkningsrad"
        verbose_name_plural = "resultaträkningsrader"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["income", "cost"]),
                name="budget_incomestatementrow_kind_valid",
                violation_error_message="Ange intäkt eller kostnad.",
            )
        ]

    def __str__(self) -> str:
        return self.label


class InvestmentRow(models.Model):
    """Investeringar: one category (Inventarier och maskiner, Klimatinvesteringar, ...)."""

    report = models.ForeignKey(
        "reporting.Report", models.CASCADE, related_name="investment_rows", verbose_name="rapport"
    )
    position = models.PositiveIntegerField("ordning", default=0)
    category = models.CharField("kategori", max_length=200)
    budget = amount("budget")
    outcome = amount("bokslut")
    forecast = amount("prognos")
    previous_forecast = amount("föregående prognos")
    given = given_field()
    version = models.PositiveIntegerField("version", default=1, editable=False)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["report", "position"]
        verbose_name = "investeringsrad"
        verbose_name_plural = "investeringsrader"

    def __str__(self) -> str:
        return self.category


class GivenTotals(models.Model):
    """The totals a published report printed ('Nämnden totalt … 1 297,1 … 20,3'), kept as data
    where only its rounded rows exist; printed as given, checked by the review against the sum
    of the rows. Each table's figures are a dict of column → amount (a decimal as text)."""

    report = models.OneToOneField(
        "reporting.Report", models.CASCADE, related_name="given_totals", verbose_name="rapport"
    )
    operating_budget = models.JSONField("Nämnden totalt", default=dict, blank=True)
    income_statement = models.JSONField("resultaträkningens summor", default=dict, blank=True)
    investments = models.JSONField("investeringarnas summa", default=dict, blank=True)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        verbose_name = "tryckta summor"
        verbose_name_plural = "tryckta summor"

    def __str__(self) -> str:
        return f"Tryckta summor ({self.report})"


class EconomyText(ReportItem):
    """The introduction of Uppföljning av ekonomi: text under the section's heading, before its
    first subsection (``EconomySubsection``)."""

    report = models.OneToOneField(
        "reporting.Report", models.CASCADE, related_name="economy_text", verbose_name="rapport"
    )
    analysis = models.TextField("analys", blank=True)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        verbose_name = "ekonomitext"
        verbose_name_plural = "ekonomitexter"

    def __str__(self) -> str:
        return f"Uppföljning av ekonomi ({self.report})"


class EconomyTable(models.Model):
    """Any other table of the economy section, kept as printed (cells may be text)."""

    report = models.ForeignKey(
        "reporting.Report", models.CASCADE, related_name="economy_tables", verbose_name="rapport"
    )
    subsection = models.ForeignKey(
        "EconomySubsection",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="free_tables",
        verbose_name="delavsnitt",
    )
    position = models.PositiveIntegerField("ordning", default=0)
    title = models.CharField("rubrik", max_length=400)
    columns = models.JSONField("kolumner", default=list)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["report", "position"]
        verbose_name = "tabell"
        verbose_name_plural = "tabeller"

    def __str__(self) -> str:
        return self.title


class EconomyTableRow(models.Model):
    table = models.ForeignKey(
        EconomyTable, models.CASCADE, related_name="rows", verbose_name="tabell"
    )
    position = models.PositiveIntegerField("ordning", default=0)
    label = models.CharField("rad", max_length=400)
    values = models.JSONField("värden", default=list)
    is_total = models.BooleanField("summarad", default=False)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["table", "position"]
        verbose_name = "tabellrad"
        verbose_name_plural = "tabellrader"

    def __str__(self) -> str:
        return self.label


class EconomySubsection(ReportItem):
    """Ett delavsnitt of Uppföljning av ekonomi (Tertialbokslut, Prognos, Resultatenheter,
    Investeringar, Analys av balansräkning, ...): a heading, its text and the tables the text
    talks about, in the order ``tables`` gives. A table is one of ``TABLES`` or ``"table"``, the
    subsection's next own free table (``EconomyTable.subsection``, in their order). A line
    ``[tabell]`` in the text places the next table there; the others follow the text."""

    OPERATING_BUDGET = "operating_budget"
    INCOME_STATEMENT = "income_statement"
    INVESTMENTS = "investments"
    FREE_TABLE = "table"
    TABLES = {
        OPERATING_BUDGET: "Driftbudget per verksamhetsområde",
        INCOME_STATEMENT: "Resultaträkning",
        INVESTMENTS: "Investeringar",
        FREE_TABLE: "Egen tabell",
    }

    report = models.ForeignKey(
        "reporting.Report",
        models.CASCADE,
        related_name="economy_subsections",
        verbose_name="rapport",
    )
    position = models.PositiveIntegerField("ordning", default=0)
    heading = models.CharField("rubrik", max_length=200)
    text = models.TextField("text", blank=True)
    tables = models.JSONField(
        "tabeller i ordning",
        default=list,
        blank=True,
        help_text=(
            "operating_budget (driftbudgeten), income_statement (resultaträkningen), "
            "investments (investeringarna) eller table (delavsnittets nästa egna tabell)."
        ),
    )

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["report", "position", "pk"]
        verbose_name = "delavsnitt i ekonomin"
        verbose_name_plural = "delavsnitt i ekonomin"

    def __str__(self) -> str:
        return self.heading


class TableMark(ReportItem):
    """Klarmarkering of a table of the economy edited as a whole, the income statement
    (resultaträkning) or the investments (investeringar): the table's ready mark and version,
    as every other item of the report has."""

    class Table(models.TextChoices):
        INCOME_STATEMENT = "income_statement", "Resultaträkning"
        INVESTMENTS = "investments", "Investeringar"

    report = models.ForeignKey(
        "reporting.Report", models.CASCADE, related_name="table_marks", verbose_name="rapport"
    )
    table = models.CharField("tabell", max_length=20, choices=Table.choices)

    objects = AuditedManager()
    history = audit_history()

    class Meta:
        ordering = ["report", "table"]
        verbose_name = "klarmarkering av tabell"
        verbose_name_plural = "klarmarkeringar av tabeller"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "table"],
                name="budget_tablemark_unique_table",
                violation_error_message="Tabellen har redan en klarmarkering i rapporten.",
            ),
            models.CheckConstraint(
                condition=Q(table__in=["income_statement", "investments"]),
                name="budget_tablemark_table_valid",
                violation_error_message="Ange resultaträkning eller investeringar.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_table_display()} ({self.report})"
