"""What the board approved never changes.

An approved or decided report is shown (the report page), printed (print HTML, the report's PDF,
the cover memo's PDF) and exported from its frozen version (``ReportVersion``): the interchange
document stored at approval, read back through ``document_from_interchange``, and the PDFs
rendered from that document and stored with it. Plan edits, imports and admin edits made after
approval change the live tables, never a frozen version, so they cannot reach what the board
got. Any other report is read from the live tables (``build_report_data``).

Every view and command that shows, prints or exports a report goes through ``report_data``,
``report_document_text`` or the stored PDFs of ``frozen_version``.
"""

import json

from .assemble import build_report_data
from .document import ReportData
from .interchange import to_json
from .models import Report, ReportVersion
from .workflow import frozen_report_data, frozen_version


def version_data(version: ReportVersion) -> ReportData:
    """The document of a frozen version, from its stored interchange document."""
    return frozen_report_data(version)


def report_data(report: Report) -> ReportData:
    """The report's document: the frozen version's for an approved or decided report, else
    the live tables'."""
    version = frozen_version(report, defer=("pdf", "memo_pdf"))
    return version_data(version) if version is not None else build_report_data(report)


def dump(document: dict) -> str:
    """An interchange document as stored and exported: UTF-8 JSON, indented by two."""
    return json.dumps(document, ensure_ascii=False, indent=2)


def report_document_text(report: Report) -> str:
    """The report's interchange document as text: the frozen version's exactly as it was
    stored, else a fresh export of the live tables."""
    version = frozen_version(report, defer=("pdf", "memo_pdf"))
    if version is not None:
        return version.data
    return dump(to_json(build_report_data(report)))
