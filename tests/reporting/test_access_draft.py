"""Only a draft can be written: write=True refuses a report in any other status."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from reporting.access import ReportNotEditable, get_report_for_user


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("status", ["submitted", "approved", "decided"])
@pytest.mark.parametrize("persona", ["editor", "administrator", "superuser"])
def test_no_one_writes_a_report_that_is_not_a_draft(request, report, status, persona):
    report.status = status
    report.save()
    http_request = request_for(request.getfixturevalue(persona))
    with pytest.raises(ReportNotEditable) as error:
        get_report_for_user(http_request, report.pk, write=True)
    assert "kan inte ändras" in str(error.value)
    assert report.get_status_display() in str(error.value)
    assert get_report_for_user(http_request, report.pk) == report


def test_a_draft_is_written_as_before(report, editor):
    assert get_report_for_user(request_for(editor), report.pk, write=True) == report


def test_draft_false_lets_a_writer_act_on_a_report_in_any_status(report, editor):
    report.status = "approved"
    report.save()
    assert get_report_for_user(request_for(editor), report.pk, write=True, draft=False) == report


@pytest.mark.parametrize("persona", ["reader", "approver"])
def test_draft_false_still_needs_a_writers_role(request, report, persona):
    with pytest.raises(PermissionDenied) as error:
        get_report_for_user(
            request_for(request.getfixturevalue(persona)), report.pk, write=True, draft=False
        )
    assert not isinstance(error.value, ReportNotEditable)


def test_strangers_get_404_whatever_the_status(report, outsider):
    report.status = "approved"
    report.save()
    for user in (outsider, AnonymousUser()):
        with pytest.raises(Http404):
            get_report_for_user(request_for(user), report.pk, write=True)
