"""Nothing reaches a report that is no longer a draft, whatever the timing (issue 14, defect 3).

Each test forces the interleaving that broke the old code: the view (or the importer, or the
admin) has read the report as a draft, then another request approves it, then the write comes.
The write must see the new status, because it reads it again under the report's row lock in its
own transaction (``reporting.access.lock_draft``)."""

import copy
import json
from contextlib import ExitStack
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.admin.options import ModelAdmin
from django.urls import reverse

from goals.models import GoalAssessment
from reporting.access import ReportNotEditable, get_report_for_user, lock_draft
from reporting.interchange import InvalidDocument, import_report
from reporting.models import Report
from tests.entry_helpers import entry_urls, form_data, shown_form, snapshot

VIEW_MODULES = ["reporting.entry", "goals.views", "indicators.views", "budget.views"]


def approve_behind_the_back(report_pk: int) -> None:
    """What a concurrent approval leaves in the database."""
    Report.objects.filter(pk=report_pk).update(status=Report.Status.APPROVED)


def approving_after_the_check(original):
    def get_report(request, pk, **kwargs):
        report = original(request, pk, **kwargs)  # the check: still a draft
        approve_behind_the_back(report.pk)
        return report

    return get_report


def changed(name: str, data: dict) -> dict:
    """The form's data with something changed in it."""
    edits = {
        "summary": {"text": "Skrivet efter godkännandet."},
        "internal_control": {"text": "Skrivet efter godkännandet.", "assessment": "sufficient"},
        "section": {"text": "Skrivet efter godkännandet."},
        "cover_memo": {"title": "Skrivet efter godkännandet."},
        "goal": {"analysis": "Skrivet efter godkännandet.", "assessment": "full"},
        "activity": {"deviation": "Skrivet efter godkännandet."},
        "indicator": {"analysis": "Skrivet efter godkännandet."},
        "budget_row": {"comment": "Skrivet efter godkännandet."},
        "economy_text": {"analysis": "Skrivet efter godkännandet."},
    }
    return {**data, **edits.get(name, {})}


FORMS = [
    "summary",
    "internal_control",
    "section",
    "cover_memo",
    "goal",
    "activity",
    "indicator",
    "budget_row",
    "economy_text",
]


@pytest.mark.parametrize("name", FORMS)
def test_a_form_save_after_an_approval_between_check_and_write_writes_nothing(
    client, editor, report, name
):
    url = entry_urls(report)[name]
    client.force_login(editor)
    _, data = shown_form(client, url)
    before = snapshot(report)
    with ExitStack() as stack:
        for module in VIEW_MODULES:
            stack.enter_context(
                mock.patch(
                    f"{module}.get_report_for_user", approving_after_the_check(get_report_for_user)
                )
            )
        response = client.post(url, changed(name, data))
    assert response.status_code == 403
    assert "kan inte ändras" in response.content.decode()
    assert snapshot(report) == before


@pytest.mark.parametrize("name", ["income_statement", "investments"])
def test_a_table_save_after_an_approval_writes_nothing(client, editor, report, name):
    url = entry_urls(report)[name]
    client.force_login(editor)
    response = client.get(url)
    data = form_data(response.context["formset"])
    prefix = response.context["formset"].prefix
    if name == "income_statement":
        data.update({f"{prefix}-0-label": "Bidrag", f"{prefix}-0-kind": "income"})
    else:
        data.update({f"{prefix}-0-category": "Inventarier", f"{prefix}-0-budget": "3"})
    before = snapshot(report)
    with mock.patch(
        "budget.views.get_report_for_user", approving_after_the_check(get_report_for_user)
    ):
        response = client.post(url, data)
    assert response.status_code == 403
    assert snapshot(report) == before


@pytest.mark.parametrize("name", ["section_create", "section_delete"])
def test_creating_or_deleting_a_section_after_an_approval_does_nothing(
    client, editor, report, name
):
    urls = entry_urls(report)
    client.force_login(editor)
    before = snapshot(report)
    with mock.patch(
        "reporting.entry.get_report_for_user", approving_after_the_check(get_report_for_user)
    ):
        response = client.post(urls[name], {"version": "0", "title": "Nytt", "text": "x"})
        if name == "section_delete":
            response = client.post(urls[name], {"version": "1"})
    assert response.status_code == 403
    assert snapshot(report) == before


def test_an_import_after_an_approval_between_read_and_write_writes_nothing(db):
    document = json.loads(
        (settings.BASE_DIR / "fixtures" / "example-vb-2019-socialnamnden.json").read_text()
    )
    report = import_report(copy.deepcopy(document))
    analyses = sorted(GoalAssessment.objects.filter(report=report).values_list("pk", "analysis"))
    for goal in document["direction_goals"]:
        goal["analysis"] = "Importerat efter godkännandet."
    original = Report.objects.get_or_create

    def get_or_create(**kwargs):
        found, created = original(**kwargs)
        approve_behind_the_back(found.pk)  # committed by someone else after our read
        return found, created

    with (
        mock.patch.object(Report.objects, "get_or_create", get_or_create),
        pytest.raises(InvalidDocument) as refused,
    ):
        import_report(document)
    assert "Godkänd" in str(refused.value.problems[0].message)
    after = sorted(GoalAssessment.objects.filter(report=report).values_list("pk", "analysis"))
    assert after == analyses


def test_an_admin_save_after_an_approval_between_check_and_write_writes_nothing(
    client, superuser, report
):
    row = GoalAssessment.objects.filter(report=report).first()
    url = reverse("admin:goals_goalassessment_change", args=[row.pk])
    client.force_login(superuser)
    data = form_data(client.get(url).context["adminform"].form)
    data["analysis"] = "Skrivet i admin efter godkännandet."
    original = ModelAdmin.save_form

    def save_form(self, request, form, change):  # after the permission check, before the save
        approve_behind_the_back(report.pk)
        return original(self, request, form, change)

    with mock.patch.object(ModelAdmin, "save_form", save_form):
        response = client.post(url, data)
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.analysis != "Skrivet i admin efter godkännandet."


def test_lock_draft_refuses_every_status_but_draft(report):
    assert lock_draft(report) == report
    for status in ["submitted", "approved", "decided"]:
        Report.objects.filter(pk=report.pk).update(status=status)
        with pytest.raises(ReportNotEditable):
            lock_draft(report)
