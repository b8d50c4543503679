"""Uppföljning av ekonomi as subsections (issue 10, item 3): each heading with its text and its
tables where the text puts them, in the table of contents with its page, in the bookmarks."""

import io
import re
import subprocess
from decimal import Decimal

import pytest
from pypdf import PdfReader

from budget.models import (
    EconomySubsection,
    EconomyTable,
    EconomyTableRow,
    IncomeStatementRow,
    OperatingBudgetRow,
)
from reporting.assemble import build_report_data
from reporting.render import Document, render_html, render_pdf
from tests.factories import make_report

LOREM = (
    "Nämnden redovisar ett överskott mot budget som främst beror på tillfälligt vakanta "
    "tjänster och lägre kostnader för försörjningsstöd än budgeterat under året. "
)


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(pdf: bytes) -> list[str]:
    """The PDF's text per page, as pdftotext reads it."""
    result = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    return [words(page) for page in result.stdout.decode("utf-8").split("\f")]


def three_subsections(report, *, paragraphs: int = 14) -> list[EconomySubsection]:
    """Prognos (the operating budget), Tertialbokslut (the income statement) and
    Återredovisning nyanlända (a free table with a total row), each a long text that ends in
    a sentence naming the table below it."""
    EconomySubsection.objects.filter(report=report).delete()
    for row in OperatingBudgetRow.objects.filter(report=report):
        row.budget, row.outcome, row.previous_year_outcome = (
            Decimal("88.0"),
            Decimal("82.1"),
            Decimal("92.2"),
        )
        row.comment = "Överskottet beror på vakanta tjänster."
        row.save()
    IncomeStatementRow.objects.create(
        report=report,
        position=1,
        label="Taxor och avgifter",
        kind="income",
        outcome=Decimal("-47.2"),
        previous_outcome=Decimal("-48.1"),
    )
    IncomeStatementRow.objects.create(
        report=report,
        position=2,
        label="Personalkostnader",
        kind="cost",
        outcome=Decimal("620.7"),
        previous_outcome=Decimal("659.4"),
    )
    body = "\n\n".join([LOREM * 3] * paragraphs)
    specs = [
        ("Uppföljning av driftbudget", ["operating_budget"], "Driftbudgetens tabell nedan."),
        ("Intäkts- och kostnadsutveckling", ["income_statement"], "Resultaträkningen nedan."),
        ("Återredovisning av medel för nyanlända", ["table"], "Återredovisningen nedan."),
    ]
    subsections = [
        EconomySubsection.objects.create(
            report=report,
            position=position,
            heading=heading,
            text=f"{body}\n\n{closing}",
            tables=tables,
        )
        for position, (heading, tables, closing) in enumerate(specs, start=1)
    ]
    table = EconomyTable.objects.create(
        report=report,
        subsection=subsections[2],
        position=1,
        title="Återredovisning nyanlända, mnkr",
        columns=["Belopp"],
    )
    EconomyTableRow.objects.create(table=table, position=1, label="Försörjningsstöd", values=[31.4])
    EconomyTableRow.objects.create(table=table, position=2, label="Boenden", values=[23.8])
    EconomyTableRow.objects.create(
        table=table, position=3, label="Summa återredovisning", values=[55.1], is_total=True
    )
    return subsections


@pytest.fixture
def report(db):
    report = make_report(areas=2)
    three_subsections(report)
    return report


TABLE_MARKS = {  # a label that only the subsection's own table prints
    "Uppföljning av driftbudget": "Nämnden totalt",
    "Intäkts- och kostnadsutveckling": "Summa intäkter",
    "Återredovisning av medel för nyanlända": "Summa återredovisning",
}


def test_each_subsection_prints_its_text_before_its_table_and_stands_in_the_toc_with_its_page(
    report,
):
    data = build_report_data(report)
    pdf = render_pdf(data)
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    toc_page = next(i for i, page in enumerate(pages) if "Innehållsförteckning" in page)
    toc = pages[toc_page]
    starts = []
    for heading, mark in TABLE_MARKS.items():
        closing = {
            "Uppföljning av driftbudget": "Driftbudgetens tabell nedan.",
            "Intäkts- och kostnadsutveckling": "Resultaträkningen nedan.",
            "Återredovisning av medel för nyanlända": "Återredovisningen nedan.",
        }[heading]
        # heading, then its text, then its table, in reading order
        after_toc = len(" ".join(pages[: toc_page + 1]))
        at = text.index(heading, text.index("Uppföljning av ekonomi", after_toc))
        assert at < text.index(closing, at) < text.index(mark, at), heading
        starts.append(at)
        # the table of contents names the page where the heading stands
        match = re.search(re.escape(heading) + r"[ .]*(\d+)", toc)
        assert match, (heading, toc)
        page = int(match.group(1))
        assert heading in pages[page - 1], (heading, page)
        assert heading not in " ".join(pages[toc_page + 1 : page - 1]), (heading, page)
    assert starts == sorted(starts)
    # the long texts put the three subsections on different pages
    numbers = [int(re.search(re.escape(h) + r"[ .]*(\d+)", toc).group(1)) for h in TABLE_MARKS]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3

    outline = PdfReader(io.BytesIO(pdf)).outline

    def titles(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, words(item.title)

    bookmarks = list(titles(outline))
    economy_depth = next(d for d, t in bookmarks if t == "Uppföljning av ekonomi")
    for heading in TABLE_MARKS:
        assert (economy_depth + 1, heading) in bookmarks


def test_a_table_mark_in_the_text_places_the_table_there(report):
    subsection = EconomySubsection.objects.get(report=report, position=2)
    subsection.text = (
        "Intäkts- och kostnadsutveckling\n\nTabellen nedan visar intäkterna.\n\n"
        "Intäkter och kostnader\n[tabell]\nTabellen ovan visar dem."
    )
    subsection.save()
    html = render_html(build_report_data(report))
    # a short line before more text, or last before the table, is a subheading
    assert '<p class="text-heading">Intäkts- och kostnadsutveckling</p>' in html
    assert '<p class="text-heading">Intäkter och kostnader</p>' in html
    below = html.index("Tabellen nedan visar intäkterna.")
    table = html.index("Summa intäkter")
    above = html.index("Tabellen ovan visar dem.")
    assert below < table < above
    assert "[tabell]" not in html


def test_the_area_headings_come_from_the_figures(report):
    html = render_html(build_report_data(report))
    doc = Document(build_report_data(report))
    assert [c.heading for c in doc.area_comments] == ["Område 0 +5,9 mnkr", "Område 1 +5,9 mnkr"]
    budget_table = html.index('id="driftbudget"')
    assert (
        budget_table
        < html.index("Område 0 +5,9 mnkr")
        < html.index("Intäkts- och kostnadsutveckling")
    )


def test_a_subsection_with_nothing_to_print_is_left_out_of_the_document_and_the_toc(report):
    EconomySubsection.objects.create(report=report, position=9, heading="Medel för lokaländamål")
    doc = Document(build_report_data(report))
    headings = [s.heading for s in doc.economy_subsections]
    assert "Medel för lokaländamål" not in headings
    assert "Medel för lokaländamål" not in [e.text for e in doc.toc]
    assert headings == list(TABLE_MARKS)


def test_a_table_no_subsection_holds_still_prints(report):
    subsection = EconomySubsection.objects.get(report=report, position=2)
    subsection.tables = []
    subsection.save()
    doc = Document(build_report_data(report))
    last = doc.economy_subsections[-1]
    assert last.heading == "Resultaträkning per intäkts- och kostnadsslag"
    assert [p.table.id for p in last.parts if p.kind == "table"] == ["resultatrakning"]
