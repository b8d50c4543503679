from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from . import audit, rendered, xlsx
from . import render as document
from .access import (
    NOTHING,
    can_write,
    edit_scope,
    get_report_for_user,
    require_internal,
    sees_internal,
)
from .assemble import build_report_data
from .changes import since_previous_submission
from .comments import comments_url, open_threads
from .forms import TransitionForm
from .frozen import report_data
from .links import finding_links
from .models import PERIOD_ORDER, Profile, RenderedFile, Report, ReportVersion, ReviewRefresh
from .panel import Action, build_panel
from .review import CONFIRMED, ERROR, SEVERITY_LABELS, WARNING, run_review, stored_review
from .todo import todo_for
from .tree import load_tree
from .workflow import (
    TRANSITIONS,
    TransitionError,
    from_frozen,
    frozen_report_data,
    frozen_version,
    role_may_make,
    transition,
)
from .workspace import workspace_context

Status = Report.Status
SWEDISH_LETTERS = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # after z: å, ä, ö


def swedish(name: str) -> str:
    """A sort key that puts å, ä and ö after z, as in a Swedish list."""
    return name.lower().translate(SWEDISH_LETTERS)


def _list_order(report: Report) -> tuple:
    """Newest year first, then board, the board's own report before its units', then the
    periods in the order of the year."""
    unit_name = report.unit.name if report.unit_id else ""
    return (
        -report.year,
        swedish(report.board.name),
        swedish(unit_name),
        PERIOD_ORDER[report.period],
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = sorted(
        Report.objects.for_user(request.user).select_related("board", "unit"), key=_list_order
    )
    years = [(year, list(rows)) for year, rows in groupby(reports, key=lambda r: r.year)]
    return render(
        request, "reporting/report_list.html", {"years": years, "todo": todo_for(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Inställningar: the person's own choices, such as reminders by e-mail."""
    profile, _ = Profile.objects.get_or_create(user=request.user)
    if request.method == "POST":
        profile.email_reminders = request.POST.get("email_reminders") == "on"
        profile.save()
        messages.success(
            request,
            "Du får påminnelser via e-post."
            if profile.email_reminders
            else "Du får inga påminnelser via e-post.",
        )
        return redirect("reporting:preferences")
    return render(request, "reporting/preferences.html", {"profile": profile})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    return render(request, "reporting/report_detail.html", detail_context(request, report))


def detail_context(request: HttpRequest, report: Report, **refused) -> dict:
    """The report page: facts, the workflow panel, the approved versions and the document.
    ``refused`` (``refused=Action``, ``error=...``) shows a move that was just refused."""
    outline = report.goal_assessments.aggregate(
        direction_goals=Count("direction_goal"),
        area_goals=Count("area_goal"),
        board_goals=Count("board_goal"),
        commitments=Count("commitment"),
    )
    outline["indicators"] = report.indicator_values.count()
    outline["activities"] = report.activity_follow_ups.count()
    data = report_data(report)
    versions = list(
        report.versions.defer("pdf", "data", "xlsx")
        .select_related("approved_by")
        .order_by("-number")
    )
    frozen = (
        versions[0] if versions and report.status in (Status.APPROVED, Status.DECIDED) else None
    )
    internal = sees_internal(request.user, report)
    return {
        "report": report,
        "outline": outline,
        "doc": document.Document(data),
        "document_html": rendered.page_document(data),
        # Readers see the report and its approved versions, never the working material.
        "internal": internal,
        "panel": (
            build_panel(
                request.user, report, stored_review(report, data), origin="detail", **refused
            )
            if internal
            else None
        ),
        "versions": versions,
        "frozen": frozen,
    }


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Print preview: exactly the HTML that WeasyPrint turns into the PDF (for an approved or
    decided report, from its frozen version)."""
    data = report_data(get_report_for_user(request, pk))
    return HttpResponse(document.render_print_html(data))


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as PDF: for an approved or decided report the frozen version's PDF, byte for
    byte what the board gets; for any other the file for its data as it is now, from storage
    when it has been made, otherwise a page that follows its rendering in the worker."""
    report = get_report_for_user(request, pk)
    version = frozen_version(report, defer=("memo_pdf",))
    if version is not None:
        return _version_pdf_or_progress(request, report, version)
    return _file_or_progress(request, report, RenderedFile.Kind.REPORT_PDF)


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as an Excel workbook: for an approved or decided report the frozen
    version's workbook, for any other a fresh one."""
    report = get_report_for_user(request, pk)
    version = frozen_version(report)
    if version is not None:
        return _xlsx_response(version_workbook(version), version_filename(report, version, "xlsx"))
    data = build_report_data(report)
    return _xlsx_response(xlsx.render_xlsx(data), xlsx.xlsx_filename(data))


def version_workbook(version: ReportVersion) -> bytes:
    """The version's frozen workbook; for a version approved before workbooks were stored, one
    written from its frozen data (the same bytes every time, as the renderer is stable)."""
    if version.xlsx_sha256:
        return bytes(version.xlsx)
    return xlsx.render_xlsx(from_frozen(version.data))


def _xlsx_response(workbook: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(workbook, content_type=xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def memo_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The cover memo as PDF: for an approved or decided report the one frozen with the version
    (rendered by the worker from the frozen document), byte for byte; for any other the file
    for its data as it is now."""
    report = get_report_for_user(request, pk)
    version = frozen_version(report)
    if version is None:
        return _file_or_progress(request, report, RenderedFile.Kind.MEMO_PDF)
    data = frozen_report_data(version)
    if data.cover is None:
        raise Http404("Rapporten har inget tjänsteutlåtande.")
    if not version.pdf_ready:
        return _version_pdf_or_progress(request, report, version)
    filename = document.pdf_filename(data, memo_only=True)
    if version.memo_pdf is None:  # a version frozen before the memo's PDF was kept with it
        return _pdf_response(document.render_pdf(data, memo_only=True), filename)
    return _pdf_response(bytes(version.memo_pdf), filename)


@login_required
def rendered_file_status(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The rendering's progress as a fragment, which the progress page polls (htmx) until the
    file is ready; always for the report's data as it is now."""
    report = get_report_for_user(request, pk)
    if kind not in RenderedFile.Kind.values:
        raise Http404("Okänt slag av fil.")
    context = _file_context(report, kind)
    return render(request, "reporting/_rendered_status.html", context)


def _file_context(report: Report, kind: str) -> dict:
    data = build_report_data(report)
    if kind == RenderedFile.Kind.MEMO_PDF and data.cover is None:
        raise Http404("Rapporten har inget tjänsteutlåtande.")
    row = rendered.current_file(report, kind, data)
    memo_only = kind == RenderedFile.Kind.MEMO_PDF
    return {
        "report": report,
        "status": row.status,
        "label": row.get_kind_display(),
        "failed": row.status == RenderedFile.Status.FAILED,
        "ready": row.is_ready,
        "row": row,
        "filename": document.pdf_filename(data, memo_only=memo_only),
        "file_url": reverse(f"reporting:{kind}", args=[report.pk]),
        "status_url": reverse("reporting:rendered_file_status", args=[report.pk, kind]),
    }


def _file_or_progress(request: HttpRequest, report: Report, kind: str) -> HttpResponse:
    context = _file_context(report, kind)
    if context["ready"]:
        return rendered.file_response(context["row"], context["filename"])
    return render(request, "reporting/rendered_file.html", context, status=202)


def _version_pdf_or_progress(
    request: HttpRequest, report: Report, version: ReportVersion
) -> HttpResponse:
    if version.pdf_ready:
        return _pdf_response(bytes(version.pdf), version_filename(report, version, "pdf"))
    context = {
        "report": report,
        "label": f"Godkänd version {version.number} som PDF",
        "status": "rendering",
        "ready": False,
        "failed": False,
        "version": version,
        "file_url": reverse("reporting:version_pdf", args=[report.pk, version.number]),
        "status_url": reverse("reporting:version_pdf_status", args=[report.pk, version.number]),
    }
    return render(request, "reporting/rendered_file.html", context, status=202)


@login_required
def version_pdf_status(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    report, version = _version(request, pk, number)
    context = {
        "report": report,
        "label": f"Godkänd version {version.number} som PDF",
        "status": "ready" if version.pdf_ready else "rendering",
        "ready": version.pdf_ready,
        "failed": False,
        "version": version,
        "file_url": reverse("reporting:version_pdf", args=[report.pk, version.number]),
        "status_url": reverse("reporting:version_pdf_status", args=[report.pk, version.number]),
    }
    return render(request, "reporting/_rendered_status.html", context)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- the workflow -----------------------------------------------------------------------------

DONE = {
    "submit": "Rapporten är inskickad för granskning.",
    "return": "Rapporten är återsänd till handläggarna med din kommentar.",
    "approve": "Rapporten är godkänd. Den godkända versionen är sparad och är det nämnden får.",
    "reopen": "Rapporten är öppnad igen och är ett utkast.",
    "decide": "Nämndens beslut är registrerat.",
}


@require_POST
@login_required
def report_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One move of the workflow (``reporting.workflow.TRANSITIONS``). A refused move shows the
    page again with the reason and with what the person typed: status 403 when the move is not
    the person's role's to make, 200 otherwise (a missing comment, the review's errors, ...)."""
    report = get_report_for_user(request, pk)
    if name not in TRANSITIONS:
        raise Http404("Okänd åtgärd.")
    form = TransitionForm(request.POST)
    in_workspace = request.POST.get("next") == "workspace" and can_write(request.user, report)
    if form.is_valid():
        try:
            transition(report, name, request.user, **form.cleaned_data)
        except TransitionError as refused:
            error: str | TransitionError = refused
        else:
            messages.success(request, DONE[name])
            return redirect(
                "reporting:workspace" if in_workspace else "reporting:report_detail", pk
            )
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    typed = Action(
        TRANSITIONS[name],
        comment=request.POST.get("comment", ""),
        decision_date=request.POST.get("decision_date", ""),
        decision_paragraph=request.POST.get("decision_paragraph", ""),
        justification=request.POST.get("justification", ""),
        refused=True,
    )
    status = 200 if role_may_make(request.user, report, name) else 403
    if not sees_internal(request.user, report):
        raise PermissionDenied(error)  # a reader gets the reason, not the working material
    if in_workspace:
        context = workspace_context(request, report, refused=typed, error=error)
        return render(request, "reporting/workspace.html", context, status=status)
    context = detail_context(request, report, refused=typed, error=error)
    return render(request, "reporting/report_detail.html", context, status=status)


@login_required
def review_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The review's counts as a fragment, which the report page and the workspace poll (htmx)
    while they are being updated: 204 (nothing to swap; one query) while a refresh waits for
    the worker, then the stored counts for the report as it is now. Never runs the rules."""
    report = get_report_for_user(request, pk)
    require_internal(request.user, report)
    if ReviewRefresh.objects.filter(report_id=report.pk).exists():
        return HttpResponse(status=204)
    review = stored_review(report, report_data(report))
    return render(request, "reporting/_review_summary.html", {"report": report, "review": review})


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Granskning: what the automatic review finds, errors first, each with a link to its
    place in the report and, for a person who may change it now, to its form."""
    report = get_report_for_user(request, pk)
    require_internal(request.user, report)
    report_tree = load_tree(report)
    data = report_data(report, report_tree)  # an approved report's frozen data
    findings = run_review(report, data)
    editable = report.status == Status.DRAFT and can_write(request.user, report)
    scope = edit_scope(request.user, report) if editable else NOTHING
    links = finding_links(report, data, findings, scope, editable=editable, tree=report_tree)
    groups = [
        (severity, SEVERITY_LABELS[severity], [x for x in links if x.finding.severity == severity])
        for severity in (ERROR, WARNING, CONFIRMED)
    ]
    # confirmed values are shown only when there are some
    groups = [g for g in groups if g[0] != CONFIRMED or g[2]]
    return render(
        request,
        "reporting/report_review.html",
        {
            "report": report,
            "groups": groups,
            "open_comments": open_comment_links(report),
            "resubmission": since_previous_submission(report),
        },
    )


def open_comment_links(report: Report) -> list[tuple]:
    """(comment, address of its thread) for every unresolved comment of the report."""
    return [(c, comments_url(report, c.item_key)) for c in open_threads(report)]


# -- approved versions ------------------------------------------------------------------------


def version_filename(report: Report, version: ReportVersion, extension: str) -> str:
    """'Socialnamnden-VB-2019-v1.pdf'."""
    stem = document.file_stem(report.owner_name, report.period, report.year)
    return f"{stem}-v{version.number}.{extension}"


def _version(request: HttpRequest, pk: int, number: int) -> tuple[Report, ReportVersion]:
    report = get_report_for_user(request, pk)
    return report, get_object_or_404(ReportVersion, report=report, number=number)


@login_required
def version_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The PDF of an approved version exactly as it was frozen; "PDF görs" (with its progress)
    until the worker has made it."""
    report, version = _version(request, pk, number)
    return _version_pdf_or_progress(request, report, version)


@login_required
def version_xlsx(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The Excel workbook of an approved version exactly as it was frozen (see
    ``version_workbook``)."""
    report, version = _version(request, pk, number)
    return _xlsx_response(version_workbook(version), version_filename(report, version, "xlsx"))


@login_required
def version_json(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The data of an approved version (the interchange format) exactly as it was frozen."""
    report, version = _version(request, pk, number)
    response = HttpResponse(version.data.encode(), content_type="application/json; charset=utf-8")
    filename = version_filename(report, version, "json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- the audit trail --------------------------------------------------------------------------


@login_required
def report_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of the report's content, newest first, 50 to a page; ``?modell=`` (an
    "app_label.model" of ``audit.AUDITED``) keeps to one kind of row, such as a table's rows."""
    report = get_report_for_user(request, pk)
    require_internal(request.user, report)
    label = request.GET.get("modell", "")
    labels = [label] if label in audit.AUDITED else None
    page = Paginator(audit.trail(report, labels), audit.PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "reporting/report_history.html",
        {
            "report": report,
            "page": page,
            "entries": audit.entries(report, page.object_list),
            "kind": audit.AUDITED[label][0]._meta.verbose_name_plural if labels else "",
            "query": f"modell={label}&" if labels else "",
            "caption": f"Ändringar, nyast först (sida {page.number} av {page.paginator.num_pages})",
        },
    )


@login_required
def item_history(request: HttpRequest, pk: int, model: str, item_pk: int) -> HttpResponse:
    """Every change of one item of the report; 404 when the item is not the report's."""
    report = get_report_for_user(request, pk)
    require_internal(request.user, report)
    if model not in audit.AUDITED:
        raise Http404("Okänt slag av uppgift.")
    index = audit.trail(report, [model], item_pk)
    page = Paginator(index, audit.PER_PAGE).get_page(request.GET.get("sida"))
    if not page.paginator.count:
        raise Http404("Uppgiften hör inte till rapporten.")
    rows = audit.entries(report, page.object_list)
    return render(
        request,
        "reporting/item_history.html",
        {
            "report": report,
            "page": page,
            "entries": rows,
            "item": rows[0].item,
            "query": "",
            "caption": f"Ändringar av det här, nyast först (sida {page.number} av "
            f"{page.paginator.num_pages})",
        },
    )
