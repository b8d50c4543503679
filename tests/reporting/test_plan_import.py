"""The year's plan from Excel: the template as the plan stands, the preview of every change,
cancel and confirm, new items reaching the draft report, located problems, refused files."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budget.models import OperatingArea
from goals.models import Activity, BoardGoal
from indicators.models import Indicator, IndicatorTarget
from reporting.services import create_report

from .excel_helpers import column, edited, find_row, snapshot, upload, with_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def template(client, report) -> bytes:
    response = client.get(reverse("reporting:plan_template", args=[report.pk]))
    assert response.status_code == 200
    return response.content


def import_url(report) -> str:
    return reverse("reporting:plan_import", args=[report.pk])


def set_cells(content: bytes, values: dict[tuple[str, str, str], object]) -> bytes:
    def edit(workbook):
        for (sheet, label, header), value in values.items():
            ws = workbook[sheet]
            ws.cell(row=find_row(ws, label), column=column(ws, header)).value = value

    return edited(content, edit)


def add_rows(content: bytes, rows: dict[str, list[list]]) -> bytes:
    def edit(workbook):
        for sheet, values in rows.items():
            ws = workbook[sheet]
            last = max(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value)
            for offset, row in enumerate(values, start=1):
                for number, value in enumerate(row, start=1):
                    ws.cell(row=last + offset, column=number).value = value

    return edited(content, edit)


def test_the_template_holds_the_plan_as_it_stands(admin_client, report):
    book = load_workbook(io.BytesIO(template(admin_client, report)))
    assert book.sheetnames == [
        "Instruktioner",
        "Nämndmål",
        "Indikatorer",
        "Aktiviteter",
        "Verksamhetsområden",
    ]
    goals = book["Nämndmål"]
    assert [c.value for c in goals[1]] == [
        "Nummer",
        "KF:s mål",
        "Titel",
        "Beskrivning",
        "Förväntat resultat",
    ]
    assert [c.value for c in goals[2]][:3] == ["1.1.1", "1.1", "Nämndmål nummer 1"]
    indicators = book["Indikatorer"]
    assert [c.value for c in indicators[1]] == [
        "Mål",
        "Indikator",
        "Slag",
        "Enhet",
        "Decimaler",
        "Riktning",
        "Årsmål",
        "KF:s årsmål",
        "Könsuppdelad",
    ]
    assert [c.value for c in indicators[2]] == [
        "1.1.1",
        "Andel nöjda 1.0",
        "Nämnd",
        "%",
        None,
        "Högre är bättre",
        80,
        75,
        "Ja",
    ]
    activities = book["Aktiviteter"]
    assert activities["B2"].value == "Aktivitet 1.0"
    assert activities["D2"].value.date() == date(2019, 1, 1)
    assert book["Verksamhetsområden"]["A2"].value == "Område 0"
    rules = indicators.data_validations.dataValidation
    assert any(r.type == "list" and "Högre är bättre" in r.formula1 for r in rules)
    assert not goals.protection.sheet  # rows are added, so nothing is locked


def test_the_preview_lists_every_change_and_confirm_applies_the_plan(
    admin_client, report, administrator
):
    content = set_cells(
        template(admin_client, report),
        {
            ("Nämndmål", "1.1.1", "Titel"): "Stockholmare arbetar och är självförsörjande",
            ("Indikatorer", "1.1.1", "Decimaler"): 1,
            ("Indikatorer", "1.1.1", "Årsmål"): 82.5,
            ("Indikatorer", "1.1.1", "KF:s årsmål"): "Tas fram av nämnden",
            ("Indikatorer", "1.1.1", "Riktning"): "Lägre är bättre",
            ("Aktiviteter", "1.1.1", "Slutdatum"): "2019-06-30",
        },
    )
    content = add_rows(
        content,
        {
            "Nämndmål": [["1.1.2", "1.1", "Fler i arbete", "Beskrivningen.", "Ett\nTvå"]],
            "Indikatorer": [
                ["1.1.2", "Antal i arbete", "Nämnd", "st", 0, "Högre är bättre", 120, None, "Nej"],
                ["1.1", "Andel med bistånd", "KF", "%", 2, "Lägre är bättre", 0.04, 1.6, "Ja"],
            ],
            "Aktiviteter": [["1.1.2", "Jobbtorg", "Nämnd", "2019-02-01", "2019-11-30"]],
            "Verksamhetsområden": [["Barn och ungdom"]],
        },
    )
    other_draft = create_report(report.board, 2019, "T1")
    before = snapshot()
    response = admin_client.post(import_url(report), upload("plan.xlsx", content))
    assert response.status_code == 200, response.context.get("problems")
    changes = {(c.sheet, c.item, c.column): (c.old, c.new) for c in response.context["changes"]}
    assert changes[("Nämndmål", "1.1.1", "Titel")] == (
        "Nämndmål nummer 1",
        "Stockholmare arbetar och är självförsörjande",
    )
    assert changes[("Indikatorer", "1.1.1 Andel nöjda 1.0", "Årsmål")] == ("80", "82,5")
    assert changes[("Indikatorer", "1.1.1 Andel nöjda 1.0", "KF:s årsmål")] == (
        "75",
        "Tas fram av nämnden",
    )
    assert changes[("Indikatorer", "1.1.1 Andel nöjda 1.0", "Riktning")] == (
        "Högre är bättre",
        "Lägre är bättre",
    )
    assert changes[("Indikatorer", "1.1.1 Andel nöjda 1.0", "Decimaler")] == ("tomt", "1")
    assert changes[("Aktiviteter", "1.1.1 Aktivitet 1.0", "Slutdatum")] == (
        "2019-12-31",
        "2019-06-30",
    )
    assert changes[("Nämndmål", "1.1.2", "Nummer")] == ("finns inte", "läggs till: 1.1.2")
    assert changes[("Indikatorer", "1.1 Andel med bistånd", "KF:s årsmål")] == ("tomt", "1,6")
    assert changes[("Verksamhetsområden", "Barn och ungdom", "Verksamhetsområde")][0] == (
        "finns inte"
    )
    assert snapshot() == before

    response = admin_client.post(
        import_url(report), {"action": "confirm", "token": response.context["token"]}
    )
    assert response.status_code == 302, response.context["refusal"]
    goal = BoardGoal.objects.get(number="1.1.1")
    assert goal.title == "Stockholmare arbetar och är självförsörjande"
    assert goal.history.first().history_user == administrator
    new_goal = BoardGoal.objects.get(number="1.1.2")
    assert new_goal.expected_results == ["Ett", "Två"]
    assert new_goal.area_goal.number == "1.1"
    indicator = Indicator.objects.get(name="Andel nöjda 1.0")
    assert indicator.decimals == 1
    assert indicator.direction == Indicator.Direction.LOWER
    target = IndicatorTarget.objects.get(indicator=indicator, period="VB")
    assert target.get_figure("annual_target") == Decimal("82.5")
    assert target.get_figure("kf_annual_target") == "Tas fram av nämnden"
    assert IndicatorTarget.objects.get(indicator=indicator, period="VP").annual_target == 80
    counted = Indicator.objects.get(name="Antal i arbete")
    assert counted.board_goal == new_goal and counted.unit == "st"
    assert counted.gender_split_required is False
    kf = Indicator.objects.get(name="Andel med bistånd")
    assert kf.area_goal.number == "1.1" and kf.kind == "kf"
    activity = Activity.objects.get(title="Jobbtorg")
    assert (activity.start_date, activity.end_date) == (date(2019, 2, 1), date(2019, 11, 30))
    assert Activity.objects.get(title="Aktivitet 1.0").end_date == date(2019, 6, 30)
    assert OperatingArea.objects.filter(name="Barn och ungdom", year=2019).exists()
    # the draft report has a row for every new item
    assert report.goal_assessments.filter(board_goal=new_goal).exists()
    assert report.indicator_values.filter(indicator=counted).exists()
    assert report.indicator_values.filter(indicator=kf).exists()
    assert report.activity_follow_ups.filter(activity=activity).exists()
    assert report.operating_budget_rows.filter(area__name="Barn och ungdom").exists()
    # and so does every other open draft of the year
    assert other_draft.indicator_values.filter(indicator=counted).exists()
    assert other_draft.activity_follow_ups.filter(activity=activity).exists()


def test_cancel_changes_nothing(admin_client, report):
    content = add_rows(template(admin_client, report), {"Verksamhetsområden": [["Nytt"]]})
    before = snapshot()
    response = admin_client.post(import_url(report), upload("plan.xlsx", content))
    token = response.context["token"]
    assert admin_client.post(import_url(report), {"action": "cancel"}).status_code == 302
    admin_client.post(import_url(report), {"action": "confirm", "token": token})
    assert snapshot() == before


def test_the_unchanged_template_changes_nothing(admin_client, report):
    response = admin_client.post(
        import_url(report), upload("p.xlsx", template(admin_client, report))
    )
    assert response.context["changes"] == []


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            {"Indikatorer": [["1.1.1", "Ny", "Nämnd", "%", "två", None, None, None, None]]},
            "Blad Indikatorer, rad 3, kolumn Decimaler: ”två” ska vara ett heltal 0–6.",
        ),
        (
            {"Indikatorer": [["9.9.9", "Ny", "Nämnd", "%", 1, None, None, None, None]]},
            "Blad Indikatorer, rad 3, kolumn Mål: ”9.9.9” är inget nämndmål eller KF:s mål för "
            "verksamhetsområdet 2019.",
        ),
        (
            {"Nämndmål": [["1.1.5", "7.7", "Titel", None, None]]},
            "Blad Nämndmål, rad 3, kolumn KF:s mål: ”7.7” finns inte bland KF:s mål för "
            "verksamhetsområdet 2019.",
        ),
        (
            {"Aktiviteter": [["1.1.1", "Ny", "Nämnd", "2019-05-01", "2019-04-01"]]},
            "Blad Aktiviteter, rad 3, kolumn Slutdatum: slutdatum ligger före startdatum.",
        ),
        (
            {"Aktiviteter": [["1.1.1", "Ny", "Nämnd", "1 maj", None]]},
            "Blad Aktiviteter, rad 3, kolumn Startdatum: ”1 maj” är inte ett datum (skriv t.ex. "
            "2019-12-31).",
        ),
        (
            {"Indikatorer": [["1.1.1", "Ny", "Kommunen", "%", 1, None, None, None, None]]},
            "Blad Indikatorer, rad 3, kolumn Slag: ”Kommunen” ska vara KF eller Nämnd.",
        ),
        (
            {"Nämndmål": [["1.1.5", "1.1", None, None, None]]},
            "Blad Nämndmål, rad 3, kolumn Titel: måste fyllas i.",
        ),
    ],
)
def test_a_wrong_cell_is_reported_where_it_is_and_nothing_is_applied(
    admin_client, report, rows, message
):
    content = add_rows(template(admin_client, report), {**rows, "Verksamhetsområden": [["Ny"]]})
    before = snapshot()
    response = admin_client.post(import_url(report), upload("plan.xlsx", content))
    assert message in response.context["problems"], response.context["problems"]
    assert snapshot() == before


def test_a_missing_sheet_and_a_missing_column_are_reported(admin_client, report):
    def edit(workbook):
        workbook.remove(workbook["Nämndmål"])
        workbook["Indikatorer"].delete_cols(4)  # Enhet

    content = edited(template(admin_client, report), edit)
    response = admin_client.post(import_url(report), upload("plan.xlsx", content))
    assert response.context["problems"] == [
        "Blad Nämndmål: bladet saknas i filen.",
        "Blad Indikatorer, rad 1, kolumn Enhet: kolumnen saknas (rad 1 ska ha kolumnens rubrik).",
    ]


def test_a_plan_file_is_refused_before_parsing_like_a_budget_file(admin_client, report, settings):
    content = template(admin_client, report)
    before = snapshot()
    bomb = with_entries(content, {"xl/media/nollor.bin": bytes(60_000_000)})
    response = admin_client.post(import_url(report), upload("plan.xlsx", bomb))
    assert "packas upp" in response.context["refusal"]
    response = admin_client.post(import_url(report), upload("plan.xlsx", b"Nummer;Titel\n"))
    assert "ingen Excelfil" in response.context["refusal"]
    settings.XLSX_UPLOAD_MAX_BYTES = 100
    response = admin_client.post(import_url(report), upload("plan.xlsx", content))
    assert "för stor" in response.context["refusal"]
    assert snapshot() == before
