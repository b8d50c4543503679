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
