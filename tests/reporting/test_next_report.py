"""T2 starts from T1's texts and values, VB from T2's: create_next_report and its button."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import (
    BudgetAdjustment,
    EconomyTable,
    EconomyTableRow,
    EconomyText,
    IncomeStatementRow,
    InvestmentRow,
    OperatingBudgetRow,
)
from goals.models import Activity, ActivityFollowUp, BoardGoal, GoalAssessment
from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from reporting.models import (
    CoverMemo,
    MemoAttachment,
    Period,
    ProposedDecision,
    Report,
    Section,
    Signatory,
)
from reporting.services import NextReportError, create_next_report, create_report
from tests.factories import make_plan


@pytest.fixture
def t1(board):
    """A filled-in T1 2024: every kind of row has content and is marked ready."""
    make_plan(board, 2024, board_goals=2, indicators=1, activities=1, areas=2)
    report = create_report(board, 2024, Period.T1)
    for row in GoalAssessment.objects.filter(report=report):
        row.assessment, row.analysis, row.ready = "partial", f"Analys av {row.goal}", True
        row.save()
    for value in IndicatorValue.objects.filter(report=report):
        value.outcome, value.outcome_men, value.outcome_women = (
            Decimal("81.5"),
            Decimal("80"),
            Decimal("83"),
        )
        value.set_figure("forecast", "Mäts i VB")
        value.previous_outcome = Decimal("79")
        value.period_label = "Tertial 1 2024"
        value.analysis, value.ready = "Indikatoranalys", True
        value.save()
    for follow_up in ActivityFollowUp.objects.filter(report=report):
        follow_up.status, follow_up.deviation, follow_up.analysis = "ongoing", "Sen", "Pågår"
        follow_up.ready = True
        follow_up.save()
    for row in OperatingBudgetRow.objects.filter(report=report):
        row.budget, row.forecast, row.previous_year_outcome = (
            Decimal("100"),
            Decimal("95.5"),
            Decimal("90"),
        )
        row.comment, row.ready = "Överskott", True
        row.save()
        BudgetAdjustment.objects.create(
            row=row, label="Resultatöverföring", amount=Decimal("-2"), position=1
        )
    IncomeStatementRow.objects.create(
        report=report, label="Bidrag", kind="income", budget=Decimal("-10"), position=1
    )
    InvestmentRow.objects.create(
        report=report, category="Inventarier", budget=Decimal("3"), forecast=Decimal("2")
    )
    table = EconomyTable.objects.create(report=report, title="Resultatenheter", columns=["A"])
    EconomyTableRow.objects.create(table=table, label="Rad", values=["1"])
    EconomyText.objects.create(report=report, analysis="Ekonomin", ready=True)
    Section.objects.create(report=report, kind="summary", text="Sammanfattning", ready=True)
    Section.objects.create(
        report=report, kind="internal_control", assessment="partly", text="IK", position=5
    )
    Section.objects.create(report=report, kind="other", title="Kvalitet", text="Lex", position=6)
    memo = CoverMemo.objects.create(
        report=report,
        title="Tertialrapport 1 2024 för Socialnämnden",
        case_officer="Anna Ek",
        dnr="1.2-3/2024",
        date="2024-05-14",
        ready=True,
    )
    ProposedDecision.objects.create(
        cover_memo=memo, position=1, text="Socialnämnden godkänner tertialrapport 1 2024."
    )
    ProposedDecision.objects.create(cover_memo=memo, position=2, text="Omedelbar justering.")
    Signatory.objects.create(cover_memo=memo, position=1, name="Eva Lind", title="Chef")
    MemoAttachment.objects.create(cover_memo=memo, position=1, title="Bilaga 1")
    report.status = Report.Status.APPROVED
    report.save()
    return report


def test_t2_starts_from_every_text_and_value_of_t1(t1):
    t2 = create_next_report(t1)
    assert (t2.period, t2.year, t2.board_id, t2.status) == ("T2", 2024, t1.board_id, "draft")

    def goals(report):
        return {
            (r.direction_goal_id, r.area_goal_id, r.board_goal_id): (r.assessment, r.analysis)
            for r in GoalAssessment.objects.filter(report=report)
        }

    assert goals(t2) == goals(t1)
    assert len(goals(t2)) == 4
    value = IndicatorValue.objects.filter(report=t2).first()
    assert (value.outcome, value.outcome_men, value.outcome_women) == (
        Decimal("81.5"),
        Decimal("80"),
        Decimal("83"),
    )
    assert value.get_figure("forecast") == "Mäts i VB"
    assert value.previous_outcome == Decimal("79")
    assert value.analysis == "Indikatoranalys"
    assert value.period_label == ""  # "Tertial 1 2024" would be wrong in T2
    follow_up = ActivityFollowUp.objects.filter(report=t2).first()
    assert (follow_up.status, follow_up.deviation, follow_up.analysis) == (
        "ongoing",
        "Sen",
        "Pågår",
    )
    row = OperatingBudgetRow.objects.filter(report=t2).first()
    assert (row.budget, row.forecast, row.comment) == (Decimal("100"), Decimal("95.5"), "Överskott")
    assert list(row.adjustments.values_list("label", "amount")) == [
        ("Resultatöverföring", Decimal("-2"))
    ]
    assert IncomeStatementRow.objects.get(report=t2).budget == Decimal("-10")
    assert InvestmentRow.objects.get(report=t2).forecast == Decimal("2")
    assert EconomyTable.objects.get(report=t2).rows.get().values == ["1"]
    assert EconomyText.objects.get(report=t2).analysis == "Ekonomin"
    assert list(
        Section.objects.filter(report=t2)
        .order_by("position")
        .values_list("kind", "title", "text", "assessment")
    ) == [
        ("summary", "", "Sammanfattning", ""),
        ("internal_control", "", "IK", "partly"),
        ("other", "Kvalitet", "Lex", ""),
    ]


def test_nothing_is_marked_ready_in_the_new_report_and_the_old_is_untouched(t1):
    t2 = create_next_report(t1)
    for model in (GoalAssessment, IndicatorValue, ActivityFollowUp, OperatingBudgetRow):
        assert not model.objects.filter(report=t2, ready=True).exists()
        assert (
            model.objects.filter(report=t1, ready=True).count()
            == model.objects.filter(report=t1).count()
        )
    assert not EconomyText.objects.get(report=t2).ready
    assert not Section.objects.filter(report=t2, ready=True).exists()
    assert IncomeStatementRow.objects.filter(report=t1).count() == 1


def test_the_cover_memo_moves_to_the_new_period(t1):
    t2 = create_next_report(t1)
    memo = CoverMemo.objects.get(report=t2)
    assert memo.title == "Tertialrapport 2 2024 för Socialnämnden"
    assert (memo.case_officer, memo.dnr, memo.date, memo.ready) == (
        "Anna Ek",
        "1.2-3/2024",
        None,
        False,
    )
    assert list(memo.proposed_decisions.values_list("position", "text")) == [
        (1, "Socialnämnden godkänner tertialrapport 2 2024."),
        (2, "Omedelbar justering."),
    ]
    assert list(memo.signatories.values_list("name", "title")) == [("Eva Lind", "Chef")]
    assert list(memo.attachments.values_list("title", flat=True)) == ["Bilaga 1"]


def test_vb_starts_from_t2(t1):
    t2 = create_next_report(t1)
    row = GoalAssessment.objects.filter(report=t2, board_goal__isnull=False).first()
    row.analysis = "Uppdaterad i T2"
    row.save()
    vb = create_next_report(t2)
    assert vb.period == "VB"
    assert GoalAssessment.objects.get(report=vb, board_goal=row.board_goal).analysis == (
        "Uppdaterad i T2"
    )


def test_what_is_new_in_the_plan_starts_empty(t1, board):
    goal = BoardGoal.objects.filter(board=board, year=2024).first()
    new_indicator = Indicator.objects.create(
        board=board, year=2024, board_goal=goal, name="Ny indikator från KF", unit="st"
    )
    IndicatorTarget.objects.create(indicator=new_indicator, period="T2", annual_target=10)
    new_activity = Activity.objects.create(board=board, year=2024, board_goal=goal, title="Ny")
    t2 = create_next_report(t1)
    new_value = IndicatorValue.objects.get(report=t2, indicator=new_indicator)
    assert (new_value.outcome, new_value.analysis) == (None, "")
    assert ActivityFollowUp.objects.get(report=t2, activity=new_activity).status == ""
    assert ActivityFollowUp.objects.filter(report=t2, status="ongoing").count() == 2


def test_the_copy_goes_through_save_so_the_history_sees_it(t1):
    t2 = create_next_report(t1)
    row = GoalAssessment.objects.filter(report=t2).first()
    assert row.history.filter(analysis=row.analysis).exists()


def test_there_is_no_next_report_after_a_vb_nor_twice(t1):
    t2 = create_next_report(t1)
    with pytest.raises(NextReportError, match="finns redan"):
        create_next_report(t1)
    vb = create_next_report(t2)
    with pytest.raises(NextReportError, match="Nästa års rapporter"):
        create_next_report(vb)


# -- the button -------------------------------------------------------------------------------


def test_an_editor_creates_the_next_report_from_an_approved_report(client, editor, t1):
    client.force_login(editor)
    url = reverse("reporting:next_report", args=[t1.pk])
    assert "Skapa nästa rapport (Tertialrapport 2 2024)" in client.get(url).content.decode()
    response = client.post(url)
    t2 = Report.objects.get(board=t1.board, year=2024, period="T2")
    assert response.status_code == 302
    assert response.url == reverse("reporting:workspace", args=[t2.pk])
    html = client.get(response.url).content.decode()
    assert "Tertialrapport 2 2024 är skapad med texterna och värdena från" in html


def test_the_next_report_twice_says_it_exists(client, editor, t1):
    client.force_login(editor)
    url = reverse("reporting:next_report", args=[t1.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "Tertialrapport 2 2024 finns redan." in response.content.decode()
    assert Report.objects.filter(period="T2").count() == 1


@pytest.mark.parametrize(
    ("persona", "status"), [("reader", 403), ("approver", 403), ("outsider", 404)]
)
def test_only_writers_create_the_next_report(client, request, t1, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("reporting:next_report", args=[t1.pk])).status_code == status
    assert not Report.objects.filter(period="T2").exists()


def test_t2_copies_the_economy_subsections_and_the_vb_takes_its_templates_with_their_texts(t1):
    from budget.models import EconomySubsection

    subsections = {s.heading: s for s in EconomySubsection.objects.filter(report=t1)}
    assert list(subsections)[:2] == ["Tertialbokslut", "Prognos"]
    for heading, text in (
        ("Prognos", "Prognosen är ett överskott."),
        ("Resultatenheter", "Ingen."),
    ):
        subsections[heading].text, subsections[heading].ready = text, True
        subsections[heading].save()
    table = EconomyTable.objects.get(report=t1)
    table.subsection = subsections["Resultatenheter"]
    table.save()

    t2 = create_next_report(t1)
    copied = list(EconomySubsection.objects.filter(report=t2).order_by("position"))
    assert [s.heading for s in copied] == list(subsections)
    prognos = next(s for s in copied if s.heading == "Prognos")
    assert prognos.text == "Prognosen är ett överskott." and not prognos.ready
    assert EconomyTable.objects.get(report=t2).subsection.heading == "Resultatenheter"

    vb = create_next_report(t2)
    in_vb = {s.heading: s for s in EconomySubsection.objects.filter(report=vb)}
    assert "Prognos" not in in_vb and "Analys av balansräkning" in in_vb
    assert in_vb["Resultatenheter"].text == "Ingen."
    assert EconomyTable.objects.get(report=vb).subsection == in_vb["Resultatenheter"]


def test_a_templates_economy_lines_name_the_heading_and_the_tables():
    from reporting.models import ReportTemplate, parse_subsection_line

    assert parse_subsection_line("Investeringar: investments") == (
        "Investeringar",
        ("investments",),
    )
    assert parse_subsection_line("Prognos: operating_budget, table") == (
        "Prognos",
        ("operating_budget", "table"),
    )
    assert parse_subsection_line("Ekonomi: en översikt") == ("Ekonomi: en översikt", ())
    template = ReportTemplate(name="Egen", vb_economy=["Analys: income_statement", "Övrigt"])
    assert template.economy_subsections("VB") == [
        ("Analys", ("income_statement",)),
        ("Övrigt", ()),
    ]
    assert template.economy_subsections("T1")[0] == ("Tertialbokslut", ("income_statement",))
