"""Data entry for the report's own parts: the summary (Sammanfattande analys), the internal
control, the other sections and the cover memo (tjänsteutlåtande). These rows may not exist
yet in a new report: the form then starts at version 0 and the first save creates the row."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .access import get_report_for_user, lock_draft, require_item_edit
from .editing import edit_item, workspace_url
from .forms import (
    COVER_MEMO_FORMSETS,
    MOVES,
    CoverMemoForm,
    InternalControlForm,
    SectionForm,
    cover_memo_formsets,
    move_in_formset,
)
from .models import CoverMemo, Section
from .signals import report_content_changed


def _fixed_section(request: HttpRequest, report_pk: int, kind: str, form_class, anchor: str):
    report = get_report_for_user(request, report_pk, write=True)
    section = Section.objects.filter(report=report, kind=kind).first()
    if section is None:
        first = kind == Section.Kind.SUMMARY
        section = Section(report=report, kind=kind, position=0 if first else _next_position(report))
    return edit_item(
        request,
        report=report,
        item=section,
        form_class=form_class,
        template="reporting/workspace_section_form.html",
        context={"heading": section.get_kind_display()},
        lookup={"report": report, "kind": kind},
        create={"report": report, "kind": kind, "position": section.position},
        anchor=anchor,
    )


def _next_position(report) -> int:
    last = Section.objects.filter(report=report).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _fixed_section(request, pk, Section.Kind.SUMMARY, SectionForm, "sammanfattning")


@login_required
@require_http_methods(["GET", "POST"])
def internal_control_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _fixed_section(
        request, pk, Section.Kind.INTERNAL_CONTROL, InternalControlForm, "intern-kontroll"
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=True)
    section = get_object_or_404(Section, pk=section_pk, report=report, kind=Section.Kind.OTHER)
    return edit_item(
        request,
        report=report,
        item=section,
        form_class=SectionForm,
        template="reporting/workspace_section_form.html",
        context={"heading": section.title or "Avsnitt", "can_delete": True},
        anchor=f"avsnitt-{section.pk}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new section under Övrigt (Kvalitetsarbete, Medarbetare, ...), placed last."""
    report = get_report_for_user(request, pk, write=True)
    section = Section(report=report, kind=Section.Kind.OTHER)
    require_item_edit(request, report, section)
    if request.method == "POST":
        form = SectionForm(request.POST, instance=section, report=report)
        if form.is_valid():
            with transaction.atomic():
                lock_draft(report)
                section.position = _next_position(report)
                form.apply(section)
                section.save()
                report_content_changed(report.pk)
            messages.success(request, f"Avsnittet ”{section.title}” är skapat.")
            return redirect("reporting:section_edit", pk=report.pk, section_pk=section.pk)
        messages.error(request, "Avsnittet är inte skapat: rätta det som är markerat.")
    else:
        form = SectionForm(instance=section, report=report)
    return render(
        request,
        "reporting/workspace_section_form.html",
        {
            "report": report,
            "item": section,
            "form": form,
            "heading": "Nytt avsnitt",
            "creating": True,
            "workspace_url": workspace_url(report, "del-ovrigt"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_delete(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=True)
    section = get_object_or_404(Section, pk=section_pk, report=report, kind=Section.Kind.OTHER)
    require_item_edit(request, report, section)
    if request.method == "POST":
        with transaction.atomic():
            lock_draft(report)
            current = Section.objects.select_for_update().filter(pk=section.pk).first()
            if current is not None and str(current.version) == request.POST.get("version"):
                current.delete()
                report_content_changed(report.pk)
                messages.success(request, f"Avsnittet ”{section.title}” är borttaget.")
                return redirect(workspace_url(report, "del-ovrigt"))
        messages.error(
            request,
            "Avsnittet har ändrats av någon annan sedan du öppnade sidan och togs inte bort. "
            "Titta på det igen innan du tar bort det.",
        )
        return redirect("reporting:section_edit", pk=report.pk, section_pk=section.pk)
    return render(
        request,
        "reporting/workspace_section_delete.html",
        {"report": report, "section": section, "workspace_url": workspace_url(report)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cover_memo_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The cover memo with its ordered lists: proposed decisions, signatories, attachments.
    The up and down buttons ("move" = "<prefix>-<index>-upp") save the form with the two rows
    swapped, so they work without JavaScript."""
    report = get_report_for_user(request, pk, write=True)
    memo = CoverMemo.objects.filter(report=report).first() or CoverMemo(report=report)
    anchor = ""
    if request.method == "POST" and request.POST.get("move"):
        request.POST = _moved(request.POST, request.POST["move"])
        anchor = request.POST["move"].split("-", 1)[0]

    def build_form(data, instance, action):
        return CoverMemoForm(
            data,
            instance=instance,
            report=report,
            action=action,
            formsets=cover_memo_formsets(instance, data),
        )

    return edit_item(
        request,
        report=report,
        item=memo,
        form_class=CoverMemoForm,
        build_form=build_form,
        template="reporting/workspace_cover_memo_form.html",
        context={},
        lookup={"report": report},
        create={"report": report},
        anchor="tjansteutlatande",
        success_url=lambda saved: (
            reverse("reporting:cover_memo_edit", args=[report.pk])
            + (f"#{anchor}" if anchor else "")
        ),
    )


def _moved(post, move: str):
    data = post.copy()
    prefix, _, rest = move.partition("-")
    index, _, direction = rest.partition("-")
    prefixes = {p for _, p in COVER_MEMO_FORMSETS.values()}
    if prefix in prefixes and re.fullmatch(r"[0-9]{1,4}", index) and direction in MOVES:
        move_in_formset(data, prefix, int(index), MOVES[direction])
    return data
