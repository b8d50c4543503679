"""An economy subsection in the workspace: its form (heading, text, ready mark, history),
reached from the outline; a review finding about its text links to that form."""

from django.urls import reverse

from budget.models import EconomySubsection
from reporting.access import EVERYTHING
from reporting.assemble import build_report_data
from reporting.links import finding_links
from reporting.review import review_report
from reporting.tree import Kind, item_key, load_tree
from reporting.workspace import build_outline
from tests.entry_helpers import shown_form
from tests.factories import make_report


def subsection_url(report, subsection) -> str:
    return reverse("budget:economy_subsection_edit", args=[report.pk, subsection.pk])


def investments(report) -> EconomySubsection:
    return EconomySubsection.objects.get(report=report, heading="Investeringar")


def test_a_new_report_has_its_templates_subsections_in_order(report):
    subsections = list(EconomySubsection.objects.filter(report=report).order_by("position"))
    assert [s.heading for s in subsections][:5] == [
        "Analys av resultaträkning",
        "Uppföljning av driftbudget per verksamhetsområde",
        "Jämförelse utfall med lämnad prognos i tertialrapport 2",
        "Resultatenheter",
        "Investeringar",
    ]
    assert subsections[-1].heading == "Analys av balansräkning"
    assert subsections[4].tables == ["investments"]
    assert not any(s.text or s.ready for s in subsections)


def test_a_tertial_report_gets_the_tertial_subsections(board):
    report = make_report(board, 2024, "T1")
    headings = list(
        EconomySubsection.objects.filter(report=report).values_list("heading", flat=True)
    )
    assert headings[:2] == ["Tertialbokslut", "Prognos"]
    assert "Analys av balansräkning" not in headings


def test_the_outline_leads_to_each_subsections_form(report):
    outline = build_outline(report)
    economy = next(p for p in outline.parts if p.title == "Uppföljning av ekonomi")
    subsection = investments(report)
    item = next(i for i in economy.items if i.title == "Investeringar" and i.kind == "Delavsnitt")
    assert item.kind == "Delavsnitt"
    assert item.url == subsection_url(report, subsection)
    assert item.anchor == f"ekonomi-delavsnitt-{subsection.pk}"
    node = load_tree(report).get(item_key(subsection))
    assert node.kind == Kind.ECONOMY_SUBSECTION and node.url == item.url


def test_an_editor_writes_the_text_and_marks_it_ready_and_the_history_keeps_it(
    client, editor, report
):
    subsection = investments(report)
    url = subsection_url(report, subsection)
    client.force_login(editor)
    _, data = shown_form(client, url)
    text = "Nämnden har under året haft investeringsutgifter på 12,5 mnkr."
    response = client.post(url, {**data, "text": text})
    assert response.status_code == 302
    subsection.refresh_from_db()
    assert subsection.text == text and not subsection.ready and subsection.version == 2
    _, data = shown_form(client, url)
    client.post(url, {**data, "action": "ready"})
    subsection.refresh_from_db()
    assert subsection.ready
    assert [h.text for h in subsection.history.order_by("history_date")] == ["", text, text]
    assert build_outline(report).ready == 1


def test_a_missing_heading_or_text_is_refused_at_the_field_in_swedish(client, editor, report):
    subsection = investments(report)
    url = subsection_url(report, subsection)
    client.force_login(editor)
    _, data = shown_form(client, url)
    html = client.post(url, {**data, "heading": "  ", "text": "Behåll mig"}).content.decode()
    assert "Ange en rubrik för delavsnittet." in html
    assert "Behåll mig" in html
    html = client.post(url, {**data, "text": "", "action": "ready"}).content.decode()
    assert "Skriv texten (eller ”Inte aktuellt”) innan du klarmarkerar." in html
    subsection.refresh_from_db()
    assert subsection.heading == "Investeringar" and not subsection.ready


def test_a_subsection_of_another_report_is_not_found(client, editor, report, board):
    other = make_report(board, 2020)
    client.force_login(editor)
    response = client.get(subsection_url(report, investments(other)))
    assert response.status_code == 404


def test_a_finding_about_a_subsections_text_links_to_its_form_and_heading(report):
    subsection = investments(report)
    subsection.text = "TODO: skriv om investeringarna."
    subsection.save()
    data = build_report_data(report)
    findings = [f for f in review_report(data) if f.key == item_key(subsection)]
    assert findings, [f.location for f in review_report(data)]
    links = finding_links(report, data, findings, EVERYTHING, editable=True)
    number = (
        list(EconomySubsection.objects.filter(report=report).order_by("position", "pk")).index(
            subsection
        )
        + 1
    )
    for link in links:
        assert link.form_url == subsection_url(report, subsection)
        assert link.page_url.endswith(f"#ekonomi-{number}")
        assert "Investeringar" in link.finding.location


def test_the_tables_a_subsection_holds_are_chosen_and_one_table_stands_in_one_subsection(
    client, editor, report
):
    subsection = investments(report)
    url = subsection_url(report, subsection)
    client.force_login(editor)
    form, data = shown_form(client, url)
    assert form.initial["tables"] == ["investments"]
    data["tables"] = ["investments", "operating_budget"]
    html = client.post(url, data).content.decode()
    assert (
        "Driftbudget per verksamhetsområde står redan i delavsnittet "
        "”Uppföljning av driftbudget per verksamhetsområde”."
    ) in html
    data["tables"] = []
    assert client.post(url, data).status_code == 302
    subsection.refresh_from_db()
    assert subsection.tables == []


def test_a_new_subsection_is_placed_where_chosen_and_can_be_removed(client, editor, report):
    client.force_login(editor)
    url = reverse("budget:economy_subsection_create", args=[report.pk])
    prognosis = EconomySubsection.objects.get(
        report=report, heading="Uppföljning av driftbudget per verksamhetsområde"
    )
    response = client.post(
        url,
        {
            "heading": "Återredovisning av medel för nyanlända",
            "text": "Nämnden återredovisar 55,1 mnkr.",
            "after": str(prognosis.pk),
        },
    )
    assert response.status_code == 302
    headings = list(
        EconomySubsection.objects.filter(report=report)
        .order_by("position")
        .values_list("heading", flat=True)
    )
    assert headings[1:4] == [
        "Uppföljning av driftbudget per verksamhetsområde",
        "Återredovisning av medel för nyanlända",
        "Jämförelse utfall med lämnad prognos i tertialrapport 2",
    ]
    new = EconomySubsection.objects.get(report=report, heading__startswith="Återredovisning")
    assert response["Location"] == subsection_url(report, new)
    html = client.post(url, {"heading": "", "text": "Kvar", "after": "0"}).content.decode()
    assert "Ange en rubrik för delavsnittet." in html and "Kvar" in html

    delete = reverse("budget:economy_subsection_delete", args=[report.pk, new.pk])
    assert client.post(delete, {"version": "0"}).status_code == 302
    assert EconomySubsection.objects.filter(pk=new.pk).exists()  # a stale version is refused
    client.post(delete, {"version": str(new.version)})
    assert not EconomySubsection.objects.filter(pk=new.pk).exists()
