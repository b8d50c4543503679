"""Report templates: which sections a report has and in which order, and how its assessment
lines are worded. Without a template every period prints "Uppfylls helt"."""

import pytest

from reporting.assemble import build_report_data
from reporting.interchange import to_json
from reporting.models import ReportTemplate, Section
from reporting.render import Document, render_html, render_print_html
from tests.factories import make_report


def assess(report, value: str = "full") -> None:
    for row in report.goal_assessments.filter(board_goal__isnull=False):
        row.assessment = value
        row.analysis = "Nämnden bedömer att målet uppfylls."
        row.save()


@pytest.fixture
def t1(board):
    report = make_report(board, 2019, "T1")
    assess(report)
    return report


def test_without_a_template_a_t1_prints_uppfylls_helt(t1):
    html = render_print_html(build_report_data(t1))
    assert "Uppfylls helt" in html
    assert "Bedöms" not in html


def test_a_template_switches_a_t1_to_bedoms_uppfyllas_helt(t1, board):
    t1.template = ReportTemplate.objects.create(
        board=board, name="Prognos i tertialen", tertial_wording="forecast"
    )
    t1.save()
    html = render_print_html(build_report_data(t1))
    assert "Bedöms uppfyllas helt" in html
    assert "Uppfylls helt" not in html


def test_a_vb_states_its_assessments_whatever_the_template_says(board):
    report = make_report(board, 2019, "VB")
    assess(report, "partial")
    report.template = ReportTemplate.objects.create(
        board=board, name="Prognos", tertial_wording="forecast"
    )
    report.save()
    html = render_html(build_report_data(report))
    assert "Uppfylls delvis" in html and "Bedöms" not in html


@pytest.mark.parametrize("label", ["Ingen", "Ej bedömd"])
def test_an_unassessed_goal_prints_what_the_template_says(board, label):
    report = make_report(board, 2019, "T1")
    assert "assessment-none" not in render_html(build_report_data(report))
    report.template = ReportTemplate.objects.create(
        board=board, name="Mall", unassessed_label=label
    )
    report.save()
    html = render_html(build_report_data(report))
    assert '<p class="assessment assessment-none">' in html
    assert f'<span class="assessment-text">{label}</span>' in html


def vb_2013(report) -> ReportTemplate:
    """The real VB 2013 opens with Bakgrund and Ärendets beredning."""
    Section.objects.create(report=report, kind="summary", text="Året i korthet.", position=0)
    for position, title in enumerate(["Kvalitetsarbete", "Ärendets beredning", "Bakgrund"], 2):
        Section.objects.create(
            report=report, kind="other", title=title, text=f"Text om {title}.", position=position
        )
    return ReportTemplate.objects.create(
        municipality=report.board.municipality,
        name="VB 2013",
        sections=["Bakgrund", "Ärendets beredning", "summary", "goals", "economy", "other"],
    )


def test_the_template_fixes_the_order_of_the_sections_and_the_table_of_contents(board):
    report = make_report(board, 2019, "VB")
    default = Document(build_report_data(vb_2013(report) and report))
    assert [b.title for b in default.blocks] == [
        "Sammanfattande analys",
        "Uppföljning av Kommunfullmäktiges inriktningsmål",
        "Uppföljning av ekonomi",
        "Kvalitetsarbete",
        "Ärendets beredning",
        "Bakgrund",
    ]
    report.template = ReportTemplate.objects.get(name="VB 2013")
    report.save()
    data = build_report_data(report)
    doc = Document(data)
    assert [b.title for b in doc.blocks] == [
        "Bakgrund",
        "Ärendets beredning",
        "Sammanfattande analys",
        "Uppföljning av Kommunfullmäktiges inriktningsmål",
        "Uppföljning av ekonomi",
        "Kvalitetsarbete",
    ]
    assert [e.text for e in doc.toc if e.level == 1] == [b.title for b in doc.blocks]
    html = render_print_html(data)
    body = html[html.index('class="report-document') :]
    positions = [body.index(f">{title}</h2>") for title in ("Bakgrund", "Ärendets beredning")]
    assert positions[0] < positions[1] < body.index(">Sammanfattande analys</h2>")
    assert body.index(">Uppföljning av ekonomi</h2>") < body.index(">Kvalitetsarbete</h2>")


def test_a_built_in_section_the_template_leaves_out_is_not_printed(board):
    report = make_report(board, 2019, "T1")
    Section.objects.create(report=report, kind="summary", text="Året i korthet.")
    report.template = ReportTemplate.objects.create(
        board=board, name="Utan sammanfattning", sections=["goals", "economy", "other"]
    )
    report.save()
    html = render_html(build_report_data(report))
    assert "Sammanfattande analys" not in html and "Året i korthet." not in html


def test_the_template_is_part_of_the_document_and_of_its_export(board):
    report = make_report(board, 2019, "T1")
    report.template = ReportTemplate.objects.create(
        board=board, name="Prognos", tertial_wording="forecast", unassessed_label="Ingen"
    )
    report.save()
    assert to_json(build_report_data(report))["template"] == {
        "name": "Prognos",
        "sections": ["summary", "goals", "economy", "internal_control", "other"],
        "tertial_wording": "forecast",
        "unassessed_label": "Ingen",
    }


def test_a_template_refuses_an_empty_or_repeated_list_of_sections(board):
    from django.core.exceptions import ValidationError

    for sections in ([], ["goals", "Goals "], "goals"):
        template = ReportTemplate(board=board, name="Fel", sections=sections)
        with pytest.raises(ValidationError):
            template.full_clean()
    template = ReportTemplate(board=board, name="Rätt", sections=[" Bakgrund ", "goals", ""])
    template.full_clean()
    assert template.sections == ["Bakgrund", "goals"]
