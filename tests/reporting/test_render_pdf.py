"""The PDF read back: text, page marks, table of contents, metadata, tags, PDF/A, the
attached data. Each report is imported, assembled and rendered once per module (the demo VB
takes a few seconds)."""

import io
import json
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from budget.arithmetic import TERTIAL_ADJUSTMENTS
from reporting.assemble import ReportData, build_report_data
from reporting.interchange import import_report, to_json
from reporting.numbers import format_amount, format_figure
from reporting.render import ATTACHMENT_NAME, Document, render_pdf
from reporting.xlsx import render_xlsx

# The mark makes pytest-django set up the test database, which the module-scoped fixtures
# below use (and roll back) before any test's own transaction starts.
pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "fixtures" / "example-vb-2019-socialnamnden.json"
T1_EXAMPLE = Path(settings.BASE_DIR) / "tests" / "data" / "t1-2024-aldrenamnden.json"


def norm(text: str) -> str:
    """Text as extracted, made comparable: compatibility forms (ligatures, narrow spaces),
    whitespace collapsed, no space after a hyphen or slash where a line may break
    ('MIA-\\nprojektet', 'minderåriga/\\nhemmavarande'; 'Vård- och' alike on both sides)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"([-/]) ", r"\1", text).strip()


@dataclass
class Rendered:
    data: ReportData
    pdf: bytes
    reader: PdfReader
    pages: list[str]  # extracted text per page

    @property
    def text(self) -> str:
        return norm(" ".join(self.pages))


def rendered(path: Path, django_db_blocker, **options) -> Rendered:
    document = json.loads(path.read_text(encoding="utf-8"))
    with django_db_blocker.unblock(), transaction.atomic():
        assert (
            "test" in connection.settings_dict["NAME"]
            or "memory" in connection.settings_dict["NAME"]
        )
        data = build_report_data(import_report(document))
        transaction.set_rollback(True)
    pdf = render_pdf(data, **options)
    reader = PdfReader(io.BytesIO(pdf))
    return Rendered(data, pdf, reader, [page.extract_text() for page in reader.pages])


@pytest.fixture(scope="module")
def vb(django_db_setup, django_db_blocker) -> Rendered:
    return rendered(EXAMPLE, django_db_blocker)


@pytest.fixture(scope="module")
def t1(django_db_setup, django_db_blocker) -> Rendered:
    return rendered(T1_EXAMPLE, django_db_blocker)


@pytest.fixture(scope="module")
def memo(django_db_setup, django_db_blocker) -> Rendered:
    return rendered(EXAMPLE, django_db_blocker, memo_only=True)


@pytest.fixture(params=["vb", "t1"])
def report(request) -> Rendered:
    return request.getfixturevalue(request.param)


def goals(data: ReportData):
    """(printed number, title) of every goal of the report, at every level."""
    for direction_goal in data.direction_goals:
        yield f"{direction_goal.number}.", direction_goal.title
        for area_goal in direction_goal.area_goals:
            yield area_goal.number, area_goal.title
            for board_goal in area_goal.board_goals:
                yield board_goal.number, board_goal.title


def items(data: ReportData):
    """Every indicator's name and every activity's title."""
    for direction_goal in data.direction_goals:
        for area_goal in direction_goal.area_goals:
            for owner in (area_goal, *area_goal.board_goals):
                yield from (i.name for i in owner.indicators)
                yield from (a.title for a in owner.activities)


def has_heading(page: str, heading: str) -> bool:
    """Whether the heading stands on the page as whole lines (it may wrap)."""
    lines = [norm(line) for line in page.splitlines() if line.strip()]
    target = norm(heading)
    for start in range(len(lines)):
        joined = lines[start]
        end = start
        while len(joined) < len(target) and end + 1 < len(lines):
            end += 1
            joined = norm(f"{joined} {lines[end]}")
        if joined == target:
            return True
    return False


def heading_of(entry, data: ReportData) -> str:
    """The heading as printed for a table-of-contents entry."""
    if entry.anchor.startswith("ekonomi-"):  # a subsection of the economy
        return entry.text
    if entry.level == 2:
        return f"KF:s inriktningsmål: {entry.text}"
    if entry.level == 3:
        return f"KF:s mål för verksamhetsområdet: {entry.text}"
    return entry.text


# -- content ----------------------------------------------------------------------------------


def test_the_pdf_holds_every_goal_indicator_activity_and_budget_area(report):
    text = report.text
    for number, title in goals(report.data):
        assert norm(f"{number} {title}") in text, (number, title)
    pages = [norm(page) for page in report.pages]
    names = list(items(report.data))
    assert names
    for name in names:  # each on one page: a table row never splits
        assert any(norm(name) in page for page in pages), name
    areas = [row.area for row in report.data.economy.operating_budget]
    assert areas
    for area in areas:
        assert norm(area) in text, area
    assert "Nämnden totalt" in text


def test_every_page_carries_the_report_and_its_page_mark(report):
    count = len(report.pages)
    title = Document(report.data).title
    for number, page in enumerate(report.pages, start=1):
        assert re.search(rf"(?<!\d){number}\({count}\)", page), (number, page[-200:])
        assert norm(title) in norm(page)


def test_the_vb_demo_has_the_size_of_the_real_report(vb):
    assert 55 <= len(vb.pages) <= 100


def test_toc_page_numbers_are_the_pages_where_the_headings_stand(report):
    toc_index = next(i for i, page in enumerate(report.pages) if "Innehållsförteckning" in page)
    toc = norm(report.pages[toc_index] + " " + report.pages[toc_index + 1])
    entries = Document(report.data).toc
    assert len(entries) >= 8
    for entry in entries:
        match = re.search(re.escape(norm(entry.text)) + r" ?[.\s]*(\d+)", toc)
        assert match, entry.text
        page_number = int(match.group(1))
        assert page_number > toc_index + 1, entry.text
        heading = heading_of(entry, report.data)
        assert has_heading(report.pages[page_number - 1], heading), (entry.text, page_number)


def test_tertial_pdf_has_forecast_columns_and_by_default_the_stated_wording(t1):
    text = t1.text
    assert "Prognos helår" in text
    assert "Uppfylls helt" in text and "Uppfylls delvis" in text
    assert "Uppfylls ej" in text and "Bedöms" not in text
    assert "Periodens utfall VB 2023" in text
    assert "Prognos 2024" in text and "Förbrukning 2024" in text
    assert "Riktvärde för förbrukningen i T1: 33,3 %" in text


def test_vb_pdf_words_assessments_for_the_year(vb):
    text = vb.text
    assert "Uppfylls helt" in text and "Uppfylls delvis" in text and "Bedöms" not in text
    assert "Periodens utfall VB 2018" in text
    assert "0,03 %" in text


def test_the_memo_comes_first_with_its_numbered_proposals(vb):
    first = norm(vb.pages[0])
    assert first.startswith("Tjänsteutlåtande")
    assert "Handläggare Lena Murray Telefon: 08 508 25 615" in first
    assert "Till Socialnämnden 2020-02-18" in first
    assert "1. Socialnämnden godkänner verksamhetsberättelsen för 2019." in first
    assert "3. Socialnämnden återredovisar 55,1 mnkr" in first
    assert "Lena Lundström Stoltz Förvaltningschef" in first
    assert "Bilagor" in first


def test_the_memo_alone(memo):
    assert len(memo.pages) == 1
    assert "1(1)" in memo.pages[0]
    assert "Förslag till beslut" in memo.text and "Innehållsförteckning" not in memo.text
    assert memo.reader.metadata.title == "Verksamhetsberättelse VB 2019 för Socialnämnden"
    assert not memo.reader.attachments


# -- the file ---------------------------------------------------------------------------------


def test_metadata_names_the_report_and_the_board(report):
    doc = Document(report.data)
    assert report.reader.metadata.title == doc.title
    assert report.reader.metadata.author == report.data.organisation.board


def test_the_pdf_is_swedish_tagged_and_identifies_as_pdf_a_3a(report):
    catalog = report.reader.trailer["/Root"]
    assert catalog["/Lang"] == "sv"
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert "/OutputIntents" in catalog


def test_the_report_data_is_attached_as_interchange_json(report):
    (content,) = report.reader.attachments[ATTACHMENT_NAME]
    assert json.loads(content.decode("utf-8")) == to_json(report.data)
    catalog = report.reader.trailer["/Root"]
    assert len(catalog["/AF"]) == 1  # one associated file, listed once


def test_only_our_own_font_is_embedded(report):
    fonts = set()
    for page in report.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Source-Sans-3" in name for name in fonts), fonts


def test_bookmarks_follow_the_goal_hierarchy(vb):
    def walk(outline, depth=0):
        for item in outline:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, norm(item.title)

    bookmarks = list(walk(vb.reader.outline))
    titles = [title for _, title in bookmarks]
    direction_goal = vb.data.direction_goals[0]
    area_goal = direction_goal.area_goals[0]
    board_goal = area_goal.board_goals[0]
    expected = [
        f"{direction_goal.number}. {direction_goal.title}",
        f"{area_goal.number} {area_goal.title}",
        f"{board_goal.number} {board_goal.title}",
    ]
    depths = [next(d for d, t in bookmarks if t == norm(title)) for title in expected]
    assert depths == sorted(depths) and len(set(depths)) == 3
    assert "Uppföljning av ekonomi" in titles and "Analys" not in titles


def test_the_workbooks_totals_are_the_pdfs(report):
    """Every total row of the workbook's economy sheets, formatted as printed, stands in the
    PDF's text: the export and the PDF compute from the same arithmetic."""
    book = load_workbook(io.BytesIO(render_xlsx(report.data)))
    found = 0
    for name in ("Driftbudget", "Resultaträkning", "Investeringar"):
        if name not in book.sheetnames:
            continue
        for row in book[name].iter_rows(min_row=3):
            if not row[0].font.b:
                continue
            printed = [row[0].value]
            for cell in row[1:]:
                if cell.value is None:
                    continue
                number = Decimal(str(cell.value))
                if cell.number_format.endswith("%"):
                    printed.append(format_figure(number * 100, "%", decimals=1))
                else:
                    printed.append(format_amount(number))
            assert norm(" ".join(printed)) in report.text, printed
            found += 1
    assert found >= 2


# -- the economy as the ledger prints it --------------------------------------------------------

# The total rows of the published VB 2019 (../shared/reference/vb-2019-socialnamnden.txt), as
# printed: the exact sums rounded once, which the demo carries as given totals.
REAL_TOTALS = {
    "Nämnden totalt": "1 165,1 1 297,1 1 221,6 75,6 −0,1 −55,1 20,3",
    "Summa intäkter": "−508,6 −421,5 −87,0",
    "Summa kostnader": "1 673,6 1 643,1 −30,6",
    "Netto": "1 165,1 1 221,5 56,5",
    "Summa": "8,0 12,5 −4,5 −5,5",
}
_FIGURES = r"(?:[−-]?\d{1,3}(?: \d{3})*,\d(?: |$))+"


def pdftotext(pdf: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it, table rows kept on their lines."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def total_lines(text: str) -> dict[str, list[str]]:
    """Every printed line that starts with a total's label followed by figures only: the
    figures, whitespace made single."""
    found: dict[str, list[str]] = {label: [] for label in REAL_TOTALS}
    for line in text.splitlines():
        line = " ".join(norm(line).split())
        for label in REAL_TOTALS:
            rest = line.removeprefix(label + " ")
            if rest != line and re.fullmatch(_FIGURES, rest + " "):
                found[label].append(rest)
    return found


def test_the_demo_vb_prints_the_totals_of_the_real_report(vb):
    """pdftotext of the demo: 'Nämnden totalt' is the real report's (1 297,1 … 20,3, not the
    1 297,0 … 20,0 of summing the rounded rows), the income statement's change of the income
    is −87,0, and no total row of the economy differs from the real report."""
    text = pdftotext(vb.pdf)
    found = total_lines(text)
    for label, figures in REAL_TOTALS.items():
        assert found[label] == [figures], (label, found[label])
    assert "1 297,0" not in norm(text) and "+87,0" not in norm(text)
    # and the text printed next to the table agrees with it
    assert "överskott mot budget med 20,3 mnkr" in norm(text)
    assert "minskat med 87,0 mnkr" in norm(text)


def test_the_demo_vbs_adjustment_columns_follow_the_boards_order(vb):
    """The two adjustment columns in the order of the board's adjustment kinds (the real
    report's: Resultatöverföring, then Justering Nyanlända), not the order in which an area
    first uses them (Jour- och rådgivande verksamhet's Justering Nyanlända comes first)."""
    # the header row repeats on each page the table runs over
    headers = {
        " ".join(line.split())
        for line in pdftotext(vb.pdf).splitlines()
        if "Verksamhetsområde, mnkr" in line and "Resultatöverföring" in line
    }
    [header] = headers
    assert header.index("Avvikelse") < header.index("Resultatöverföring")
    assert header.index("Resultatöverföring") < header.index("Nyanlända")
    assert header.index("Nyanlända") < header.index("avvikelse", header.index("Nyanlända"))


def test_a_t1_without_any_adjustment_prints_every_fixed_column(tmp_path, django_db_blocker):
    """T1 and T2 always print Prognos prestationsförändringar, Prognos budgetjustering and
    Prognos resultatöverföring (DOMAIN.md §6), as the real reports do, even when empty."""
    document = json.loads(T1_EXAMPLE.read_text(encoding="utf-8"))
    for row in document["economy"]["operating_budget"]:
        row["adjustments"] = []
    path = tmp_path / "t1-utan-justeringar.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    t1 = rendered(path, django_db_blocker)
    start = t1.text.index("Verksamhetsområde, mnkr")
    header = t1.text[start : t1.text.index("Justerad avvikelse", start)]
    assert [column in header for column in TERTIAL_ADJUSTMENTS] == [True, True, True]
    table = Document(t1.data).operating_budget
    assert table.columns[4:7] == TERTIAL_ADJUSTMENTS
    assert all(cell.text == "" for row in table.rows for cell in row.cells[4:7])
