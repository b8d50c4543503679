"""Comments per item ("Kommentarer"): an approver or a colleague comments on one item of a
report, the addressee answers, and someone marks the thread resolved. Comments are working
material of the förvaltning: readers (board members) never see them, and no document prints
them.

An item is named by its stable key ``"<app_label>.<model>:<pk>"``; ``resolve_item`` finds the
row of a key within one report (404 for a key of another report). Every view asks
``require_comment`` first: a role on the board other than reader.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from budget.models import EconomySubsection, EconomyText, OperatingBudgetRow
from goals.models import ActivityFollowUp, GoalAssessment
from indicators.models import IndicatorValue

from .access import can_edit_item, get_report_for_user, sees_internal
from .models import Comment, CoverMemo, Membership, Report, Role, Section

# label → (model, kind as shown, related rows for the title)
ITEM_KINDS = {
    "goals.goalassessment": (
        GoalAssessment,
        "Mål",
        ("direction_goal", "area_goal", "board_goal", "commitment"),
    ),
    "indicators.indicatorvalue": (IndicatorValue, "Indikator", ("indicator",)),
    "goals.activityfollowup": (ActivityFollowUp, "Aktivitet", ("activity",)),
    "budget.operatingbudgetrow": (OperatingBudgetRow, "Driftbudget", ("area",)),
    "budget.economytext": (EconomyText, "Ekonomi", ()),
    "budget.economysubsection": (EconomySubsection, "Ekonomi", ()),
    "reporting.section": (Section, "Avsnitt", ()),
    "reporting.covermemo": (CoverMemo, "Tjänsteutlåtande", ()),
}


def item_key(item) -> str:
    """'indicators.indicatorvalue:42'."""
    return f"{item._meta.label_lower}:{item.pk}"


def parse_key(key: str) -> tuple[str, int]:
    label, _, pk = key.partition(":")
    if label not in ITEM_KINDS or not pk.isdigit():
        raise Http404("Okänd del av rapporten.")
    return label, int(pk)


def resolve_item(report: Report, key: str):
    """The row named by ``key`` in ``report``; 404 when it is not the report's."""
    label, pk = parse_key(key)
    model, _, related = ITEM_KINDS[label]
    return get_object_or_404(model.objects.select_related(*related), pk=pk, report=report)


def item_kind(item) -> str:
    return ITEM_KINDS[item._meta.label_lower][1]


def item_title(item) -> str:
    """The item as a person names it: '1.1.1 Stockholmare arbetar ...', an indicator's name."""
    label = item._meta.label_lower
    if label == "goals.goalassessment":
        goal = item.goal
        number = getattr(goal, "number", "")
        return f"{number} {goal.title}".strip()
    if label == "indicators.indicatorvalue":
        return item.indicator.name
    if label == "goals.activityfollowup":
        return item.activity.title
    if label == "budget.operatingbudgetrow":
        return item.area.name
    if label == "budget.economytext":
        return "Text om ekonomin"
    if label == "reporting.covermemo":
        return "Tjänsteutlåtande"
    return str(item)


def form_url(report: Report, item) -> str:
    """The address of the item's own form."""
    label = item._meta.label_lower
    if label == "reporting.section":
        names = {
            Section.Kind.SUMMARY: "reporting:summary_edit",
            Section.Kind.INTERNAL_CONTROL: "reporting:internal_control_edit",
        }
        if item.kind in names:
            return reverse(names[item.kind], args=[report.pk])
        return reverse("reporting:section_edit", args=[report.pk, item.pk])
    if label == "budget.economytext":
        return reverse("budget:economy_text_edit", args=[report.pk])
    if label == "reporting.covermemo":
        return reverse("reporting:cover_memo_edit", args=[report.pk])
    name = {
        "goals.goalassessment": "goals:goal_assessment_edit",
        "indicators.indicatorvalue": "indicators:indicator_value_edit",
        "goals.activityfollowup": "goals:activity_follow_up_edit",
        "budget.operatingbudgetrow": "budget:operating_budget_row_edit",
        "budget.economysubsection": "budget:economy_subsection_edit",
    }[label]
    return reverse(name, args=[report.pk, item.pk])


def comments_url(report: Report, key: str) -> str:
    return reverse("reporting:item_comments", args=[report.pk, key])


def require_comment(user, report: Report) -> None:
    """Readers (and anyone without a role on the board besides superusers) may not see or
    write comments."""
    if not sees_internal(user, report):
        raise PermissionDenied(
            "Kommentarerna är förvaltningens arbetsmaterial och visas inte för läsare."
        )


def threads(report: Report, key: str) -> list[Comment]:
    """The threads on one item, oldest first, each with its replies."""
    return list(
        Comment.objects.filter(report=report, item_key=key)
        .threads()
        .select_related("author", "addressee", "resolved_by")
        .prefetch_related("replies__author")
    )


def open_threads(report: Report):
    """The report's unresolved threads, oldest first."""
    return (
        Comment.objects.filter(report=report)
        .open()
        .select_related("author", "addressee")
        .order_by("created_at", "id")
    )


def person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Handläggarna"


# -- forms ------------------------------------------------------------------------------------


def commenters(report: Report):
    """The people a comment can be addressed to: the board's editors, approvers and
    administrators."""
    roles = [Role.EDITOR, Role.APPROVER, Role.ADMINISTRATOR]
    ids = Membership.objects.filter(board_id=report.board_id, role__in=roles).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person(obj)


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Ny kommentar",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv en kommentar."},
    )
    addressee = PersonChoiceField(
        label="Till",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Handläggarna (alla)",
    )

    def __init__(self, *args, report: Report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = commenters(report)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Svar",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolve = forms.BooleanField(label="Markera som löst", required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("text") and not cleaned.get("resolve"):
            self.add_error("text", "Skriv ett svar, eller kryssa i ”Markera som löst”.")
        return cleaned


# -- services ---------------------------------------------------------------------------------


@transaction.atomic
def add_comment(report: Report, item, author, text: str, addressee=None) -> Comment:
    return Comment.objects.create(
        report=report,
        item_key=item_key(item),
        item_title=item_title(item)[:400],
        author=author,
        addressee=addressee,
        text=text,
    )


@transaction.atomic
def reply(thread: Comment, author, text: str = "", *, resolve: bool = False) -> Comment | None:
    answer = None
    if text:
        answer = Comment.objects.create(
            report=thread.report,
            item_key=thread.item_key,
            item_title=thread.item_title,
            parent=thread,
            author=author,
            addressee=thread.author,
            text=text,
        )
    if resolve:
        set_resolved(thread, author, True)
    return answer


def set_resolved(thread: Comment, user, resolved: bool) -> None:
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = user if resolved else None
    thread.save()


# -- views ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentPanel:
    """What an item's page shows of its comments, and where the forms post."""

    key: str
    threads: list
    url: str
    form: CommentForm
    choose_addressee: bool = False  # the thread's own page; an item's form writes to editors

    @property
    def open(self) -> int:
        return sum(1 for t in self.threads if not t.resolved)


def comment_panel(request: HttpRequest, report: Report, item) -> CommentPanel | None:
    """The comments of ``item`` for its form page, which only writers reach (None for a row
    not saved yet)."""
    if item.pk is None:
        return None
    key = item_key(item)
    return CommentPanel(
        key, threads(report, key), comments_url(report, key), CommentForm(report=report)
    )


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def item_comments(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The comments on one item: every thread with its replies, and a form for a new one."""
    report = get_report_for_user(request, pk)
    require_comment(request.user, report)
    item = resolve_item(report, key)
    key = item_key(item)
    form = CommentForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        add_comment(
            report, item, request.user, form.cleaned_data["text"], form.cleaned_data["addressee"]
        )
        messages.success(request, "Kommentaren är sparad.")
        return redirect(_back(request, comments_url(report, key)) + "#kommentarer")
    return _thread_page(request, report, item, form)


def _thread_page(request, report, item, form, *, failed: Comment | None = None, reply_form=None):
    key = item_key(item)
    editable = report.status == Report.Status.DRAFT and can_edit_item(request.user, report, item)
    panel = CommentPanel(
        key, threads(report, key), comments_url(report, key), form, choose_addressee=True
    )
    return render(
        request,
        "reporting/item_comments.html",
        {
            "report": report,
            "item": item,
            "kind": item_kind(item),
            "title": item_title(item),
            "form_url": form_url(report, item) if editable else "",
            "comments": panel,
            "failed": failed,
            "reply_form": reply_form,
        },
    )


def _thread(request: HttpRequest, pk: int, comment_pk: int) -> tuple[Report, Comment]:
    report = get_report_for_user(request, pk)
    require_comment(request.user, report)
    thread = get_object_or_404(Comment, pk=comment_pk, report=report, parent__isnull=True)
    return report, thread


@require_POST
@login_required
def comment_reply(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """An answer to a thread, and/or marking it resolved."""
    report, thread = _thread(request, pk, comment_pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Svaret är inte sparat: rätta det som är markerat.")
        item = resolve_item(report, thread.item_key)
        return _thread_page(
            request, report, item, CommentForm(report=report), failed=thread, reply_form=form
        )
    reply(thread, request.user, form.cleaned_data["text"], resolve=form.cleaned_data["resolve"])
    done = "Svaret är sparat." if form.cleaned_data["text"] else "Kommentaren är markerad som löst."
    messages.success(request, done)
    return redirect(
        _back(request, comments_url(report, thread.item_key)) + f"#kommentar-{thread.pk}"
    )


@require_POST
@login_required
def comment_resolve(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    """Mark a thread resolved (``action=resolve``) or open it again (``action=reopen``)."""
    report, thread = _thread(request, pk, comment_pk)
    resolved = request.POST.get("action") != "reopen"
    set_resolved(thread, request.user, resolved)
    messages.success(
        request, "Kommentaren är markerad som löst." if resolved else "Kommentaren är öppen igen."
    )
    return redirect(
        _back(request, comments_url(report, thread.item_key)) + f"#kommentar-{thread.pk}"
    )
