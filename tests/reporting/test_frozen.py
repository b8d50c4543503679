"""An approved report is frozen: every attempt to change it is refused and its stored PDF
stays byte for byte what the board got."""

import copy
import hashlib

import pytest

from reporting.interchange import InvalidDocument, import_report
from reporting.models import Report, Role
from reporting.workflow import transition
from tests.factories import make_user
from tests.reporting.test_interchange import TERTIAL, counts, load


@pytest.fixture
def approved(db, monkeypatch):
    """The T1 example, filled in enough to pass review, submitted and approved."""
    document = load(TERTIAL)
    report = import_report(document)
    editor = make_user("handlaggare", board=report.board, role=Role.EDITOR)
    approver = make_user("chef", board=report.board, role=Role.APPROVER)
    report.status = Report.Status.SUBMITTED  # the example's own findings are not the point here
    report.save()
    monkeypatch.setattr("reporting.workflow.blocking_findings", lambda report: [])
    report = transition(report, "approve", approver)
    return report, document, editor


def stored_pdf_hash(report) -> str:
    version = report.versions.get()
    return hashlib.sha256(bytes(version.pdf)).hexdigest()


def test_the_import_is_refused_for_an_approved_report(approved):
    report, document, _ = approved
    before_hash, before_counts = stored_pdf_hash(report), counts()
    changed = copy.deepcopy(document)
    changed["summary"] = "En ny sammanfattning som inte får skriva över den godkända."
    with pytest.raises(InvalidDocument) as refused:
        import_report(changed)
    assert "Godkänd" in str(refused.value) and "kan inte skrivas över" in str(refused.value)
    assert counts() == before_counts
    assert stored_pdf_hash(report) == before_hash
    assert stored_pdf_hash(report) == report.versions.get().pdf_sha256


def admin_client(client):
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(superuser)
    return client


def test_the_admin_refuses_to_change_an_approved_reports_content(approved, client):
    from django.urls import reverse

    report, _, _ = approved
    before_hash, before_counts = stored_pdf_hash(report), counts()
    client = admin_client(client)
    row = report.goal_assessments.filter(board_goal__isnull=False).first()
    url = reverse("admin:goals_goalassessment_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    refused = client.post(url, {"assessment": "not_met", "analysis": "Ändrad i admin."})
    assert refused.status_code == 403
    delete = client.post(
        reverse("admin:goals_goalassessment_delete", args=[row.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    memo_url = reverse("admin:reporting_covermemo_change", args=[report.cover_memo.pk])
    assert client.post(memo_url, {"title": "Ny titel"}).status_code == 403
    row.refresh_from_db()
    assert row.analysis != "Ändrad i admin."
    assert counts() == before_counts and stored_pdf_hash(report) == before_hash


def test_the_admin_shows_status_but_leaves_changing_it_to_the_workflow(db, client):
    from django.urls import reverse

    from tests.factories import make_report

    report = make_report()
    client = admin_client(client)
    page = client.get(reverse("admin:reporting_report_change", args=[report.pk])).content.decode()
    assert 'name="status"' not in page and "Utkast" in page


def test_the_history_cannot_revert_a_change(db, client):
    from django.urls import reverse

    from tests.factories import make_report

    report = make_report()
    row = report.goal_assessments.filter(board_goal__isnull=False).get()
    row.analysis = "Första."
    row.save()
    first = row.history.first()
    row.analysis = "Andra."
    row.save()
    client = admin_client(client)
    url = reverse("admin:goals_goalassessment_simple_history", args=[row.pk, first.history_id])
    form = {
        "report": report.pk,
        "board_goal": row.board_goal_id,
        "assessment": "",
        "analysis": "Första.",
        "_save": "Återställ",
    }
    page = client.get(url).content.decode()
    assert "Återställ" not in page
    client.post(url, form)
    row.refresh_from_db()
    assert row.analysis == "Andra."


def test_every_editing_view_refuses_an_approved_report(approved):
    from django.urls import reverse

    from reporting.assemble import build_report_data
    from reporting.interchange import to_json
    from reporting.models import Section
    from tests.reporting.test_matrix import MATRIX, client_for, url_kwargs

    report, _, editor = approved
    administrator = make_user("sekreterare", board=report.board, role=Role.ADMINISTRATOR)
    section = Section.objects.filter(report=report, kind="other").first()
    before = (stored_pdf_hash(report), counts(), to_json(build_report_data(report)))
    editing = [name for name, row in MATRIX.items() if row.writes]
    assert len(editing) >= 12
    for name in editing:
        url = reverse(name, kwargs=url_kwargs(MATRIX[name].kwargs, report, section))
        for user in (editor, administrator):
            client = client_for(user)
            assert client.get(url).status_code == 403, (name, "GET")
            posted = client.post(url, {"analysis": "Ändrad", "text": "Ändrad", "version": "1"})
            assert posted.status_code == 403, (name, "POST")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert (stored_pdf_hash(report), counts(), to_json(build_report_data(report))) == before


def admin_post_data(response) -> dict:
    """What the admin's change page sends back unchanged: the form and every inline."""
    from tests.entry_helpers import form_data

    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(form_data(inline.formset))
    return data


@pytest.fixture
def draft(approved):
    """A draft T2 of the same board and year, with a cover memo and a budget adjustment."""
    from decimal import Decimal

    from budget.models import BudgetAdjustment
    from reporting.models import CoverMemo, ProposedDecision
    from reporting.services import create_report

    report, _, _ = approved
    t2 = create_report(report.board, report.year, "T2")
    memo = CoverMemo.objects.create(report=t2, title="Tertialrapport 2")
    ProposedDecision.objects.create(cover_memo=memo, position=1, text="Nämnden godkänner.")
    row = t2.operating_budget_rows.first()
    BudgetAdjustment.objects.create(row=row, label="Resultatöverföring", amount=Decimal("1"))
    return t2


def test_the_admin_refuses_to_move_a_row_into_an_approved_report(approved, draft, client):
    from django.urls import reverse

    from budget.models import BudgetAdjustment
    from goals.models import GoalAssessment
    from reporting.models import ProposedDecision

    report, _, _ = approved
    client = admin_client(client)
    before = counts()
    row = GoalAssessment.objects.filter(report=draft, board_goal__isnull=False).first()
    other_row = report.operating_budget_rows.first()
    moves = [
        ("goals_goalassessment", row, "report", report.pk),
        (
            "reporting_proposeddecision",
            ProposedDecision.objects.get(cover_memo__report=draft),
            "cover_memo",
            report.cover_memo.pk,
        ),
        (
            "budget_budgetadjustment",
            BudgetAdjustment.objects.get(row__report=draft),
            "row",
            other_row.pk,
        ),
    ]
    for name, obj, field, target in moves:
        url = reverse(f"admin:{name}_change", args=[obj.pk])
        data = admin_post_data(client.get(url))
        data[field] = str(target)
        refused = client.post(url, data)
        assert refused.status_code == 200, name
        assert "inget kan flyttas in i en rapport som inte är ett utkast" in (
            refused.content.decode()
        ), name
        obj.refresh_from_db()
        assert report_of_obj(obj) == draft, name
    assert counts() == before


def report_of_obj(obj):
    from reporting.admin import report_of

    return report_of(obj)


def test_the_admin_refuses_to_add_rows_to_an_approved_report(approved, client):
    from django.urls import reverse

    report, _, _ = approved
    client = admin_client(client)
    before = counts()
    refused = client.post(
        reverse("admin:reporting_section_add"),
        {"report": report.pk, "kind": "other", "position": 9, "title": "Nytt", "text": "Nytt."},
    )
    assert refused.status_code == 200
    assert "kan ändras" in refused.content.decode()
    refused = client.post(
        reverse("admin:reporting_proposeddecision_add"),
        {"cover_memo": report.cover_memo.pk, "position": 9, "text": "Ett nytt förslag."},
    )
    assert refused.status_code == 200
    assert counts() == before


def test_every_inline_of_an_approved_report_refuses_writes(approved, client):
    from django.urls import reverse

    report, _, _ = approved
    client = admin_client(client)
    before = counts()
    memo_url = reverse("admin:reporting_covermemo_change", args=[report.cover_memo.pk])
    report_url = reverse("admin:reporting_report_change", args=[report.pk])
    row = report.operating_budget_rows.first()
    row_url = reverse("admin:budget_operatingbudgetrow_change", args=[row.pk])
    for url in (memo_url, report_url, row_url):
        page = client.get(url)
        assert page.status_code == 200
        data = admin_post_data(page)
        for inline in page.context["inline_admin_formsets"]:
            prefix = inline.formset.prefix
            assert not inline.has_add_permission and not inline.has_change_permission, url
            data[f"{prefix}-TOTAL_FORMS"] = str(int(data[f"{prefix}-TOTAL_FORMS"]) + 1)
        assert client.post(url, data).status_code == 403, url
    assert counts() == before


def frozen_outputs(client, report) -> dict:
    """Everything a person or a program gets of the report: its page (without the per-request
    CSRF tokens), the print HTML, both PDFs as served, the export and the stored version."""
    import io
    import re

    from django.core.management import call_command
    from django.urls import reverse

    def get(name: str, *args) -> bytes:
        response = client.get(reverse(f"reporting:{name}", args=[report.pk, *args]))
        assert response.status_code == 200, name
        return response.content

    page = get("report_detail").decode()
    export = io.StringIO()
    call_command(
        "export_report",
        board=report.board.name,
        year=report.year,
        period=report.period,
        stdout=export,
    )
    return {
        "page": re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page),
        "print": get("report_print"),
        "report_pdf": get("report_pdf"),
        "memo_pdf": get("memo_pdf"),
        "review": re.sub(
            r'name="csrfmiddlewaretoken" value="[^"]*"', "", get("report_review").decode()
        ),
        "export": export.getvalue(),
        "version_json": get("version_json", 1),
    }


def test_what_the_board_approved_never_changes(approved, client):
    """Approve, then rename a board goal and the council's goals, change a target, import
    another board's report over the shared council goals and try the admin's inlines: the
    approved report's page, print, export and both PDFs are byte for byte what they were."""
    import json
    from decimal import Decimal

    from django.urls import reverse

    from goals.models import AreaGoal, BoardGoal
    from indicators.models import IndicatorTarget
    from reporting.assemble import build_report_data
    from reporting.interchange import to_json

    report, document, editor = approved
    version = report.versions.get()
    assert version.memo_pdf and version.memo_pdf_sha256
    client.force_login(editor)
    before = frozen_outputs(client, report)
    assert before["memo_pdf"] == bytes(version.memo_pdf)
    assert before["report_pdf"] == bytes(version.pdf)
    assert before["export"] == version.data + "\n"  # the command ends with a line break
    assert before["version_json"].decode() == version.data
    assert json.loads(before["export"]) == to_json(build_report_data(report))

    board_goal = BoardGoal.objects.get(board=report.board, year=report.year, number="1.1.1")
    board_goal.title = "Ett nämndmål med en ny titel"
    board_goal.save()
    area_goal = AreaGoal.objects.get(direction_goal__year=report.year, number="1.1")
    area_goal.title = "Ett mål för verksamhetsområdet med en ny titel"
    area_goal.save()
    direction_goal = area_goal.direction_goal
    direction_goal.title = "Ett inriktningsmål med en ny titel"
    direction_goal.save()
    target = IndicatorTarget.objects.filter(indicator__values__report=report).first()
    target.set_figure("annual_target", Decimal("99"))
    target.save()

    other = copy.deepcopy(document)
    other["organisation"]["board"] = "Stadsdelsnämnden"
    other["organisation"]["administration"] = "Stadsdelsförvaltningen"
    other["direction_goals"][0]["title"] = "Ett inriktningsmål som en annan nämnd skrev"
    other["direction_goals"][0]["area_goals"][0]["title"] = "Ett mål som en annan nämnd skrev"
    import_report(other)

    admin = admin_client(client)
    memo_url = reverse("admin:reporting_covermemo_change", args=[report.cover_memo.pk])
    page = admin.get(memo_url)
    data = admin_post_data(page)
    data["title"] = "En ny titel från admin"
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(int(data[f"{prefix}-TOTAL_FORMS"]) + 1)
    assert admin.post(memo_url, data).status_code == 403

    # The live tables did change: a report read from them would print the new titles.
    live = to_json(build_report_data(report))
    assert live != json.loads(before["export"])
    assert "Ett nämndmål med en ny titel" in json.dumps(live, ensure_ascii=False)

    client.force_login(editor)
    after = frozen_outputs(client, report)
    for key in before:
        assert after[key] == before[key], key
    assert "Ett nämndmål med en ny titel" not in after["page"]
    assert "Ett nämndmål med en ny titel" not in after["print"].decode()
