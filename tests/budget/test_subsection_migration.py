"""The data migration that lays an existing report's economy out in subsections: nothing is
lost, and the report prints and exports what it did."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("budget", "0005_adjustment_kinds"), ("reporting", "0012_report_amount_unit")]
AFTER = [("budget", "0006_economy_subsections")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_schema():
    """The other tests need every migration: after the test, migrate forward to the leaves
    (migrating to BEFORE also unapplied the later migrations of other apps)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_an_existing_economy_becomes_subsections_in_the_order_it_printed():
    old = migrate(BEFORE)
    Municipality = old.get_model("reporting", "Municipality")
    Board = old.get_model("reporting", "Board")
    Report = old.get_model("reporting", "Report")
    OperatingArea = old.get_model("budget", "OperatingArea")
    board = Board.objects.create(
        municipality=Municipality.objects.create(name="Stockholms stad"), name="Socialnämnden"
    )
    report = Report.objects.create(board=board, year=2019, period="VB")
    empty = Report.objects.create(board=board, year=2019, period="T1")
    area = OperatingArea.objects.create(board=board, year=2019, name="Barn och ungdom")
    old.get_model("budget", "OperatingBudgetRow").objects.create(
        report=report, area=area, budget=88, outcome=82
    )
    old.get_model("budget", "InvestmentRow").objects.create(
        report=report, category="Inventarier", budget=3
    )
    table = old.get_model("budget", "EconomyTable").objects.create(
        report=report, position=1, title="Ekonomiskt bistånd", columns=["Antal"]
    )
    old.get_model("budget", "EconomyText").objects.create(
        report=report, analysis="Nämnden redovisar ett överskott.", ready=True
    )

    new = migrate(AFTER)
    Subsection = new.get_model("budget", "EconomySubsection")
    rows = list(Subsection.objects.filter(report_id=report.pk).order_by("position"))
    assert [(r.heading, r.tables, r.text, r.ready) for r in rows] == [
        ("Driftbudget per verksamhetsområde", ["operating_budget"], "", False),
        ("Investeringar", ["investments"], "", False),
        ("Ekonomiskt bistånd", ["table"], "", False),
        ("Analys av ekonomin", [], "Nämnden redovisar ett överskott.", True),
    ]
    assert new.get_model("budget", "EconomyTable").objects.get(pk=table.pk).subsection_id == (
        rows[2].pk
    )
    assert new.get_model("budget", "EconomyText").objects.get(report_id=report.pk).analysis == ""
    assert not Subsection.objects.filter(report_id=empty.pk).exists()


@pytest.mark.django_db
def test_a_report_upgraded_from_the_old_layout_prints_and_exports_as_before(board):
    """What the migration makes is the old format to the document: the text stands last under
    'Analys av ekonomin' and the export has no subsections."""
    from budget.models import EconomySubsection, EconomyText, InvestmentRow
    from reporting.assemble import build_report_data
    from reporting.interchange import to_json
    from reporting.render import Document
    from reporting.services import create_report
    from tests.factories import make_plan

    make_plan(board, areas=1)
    report = create_report(board, 2019, "VB")
    EconomySubsection.objects.filter(report=report).delete()
    InvestmentRow.objects.create(report=report, category="Inventarier")
    EconomyText.objects.create(report=report, analysis="")
    for position, (heading, tables, text) in enumerate(
        [
            ("Driftbudget per verksamhetsområde", ["operating_budget"], ""),
            ("Investeringar", ["investments"], ""),
            ("Analys av ekonomin", [], "Nämnden redovisar ett överskott."),
        ],
        start=1,
    ):
        EconomySubsection.objects.create(
            report=report, position=position, heading=heading, tables=tables, text=text
        )
    data = build_report_data(report)
    economy = to_json(data)["economy"]
    assert (
        economy["subsections"] == [] and economy["analysis"] == "Nämnden redovisar ett överskott."
    )
    doc = Document(data)
    assert [s.heading for s in doc.economy_subsections] == [
        "Driftbudget per verksamhetsområde",
        "Investeringar",
        "Analys av ekonomin",
    ]
