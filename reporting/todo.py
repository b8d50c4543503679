"""Mina uppgifter: what waits for one person, on the front page, by their role on each board.

- an editor (or administrator): per draft report, their items not marked ready, with the
  deadline and an overdue mark, and the comment of a return;
- an approver: the reports waiting for their review;
- an administrator (nämndsekreterare): approved reports waiting for the board's decision;
- everyone but readers: open comments addressed to them (a comment to nobody in particular is
  addressed to the board's editors), and answers to their own open comments.

Every entry links to the exact page: an item's form, the review, the comment's thread.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from .access import edit_scope
from .comments import comments_url, form_url, resolve_item
from .models import Comment, Membership, Report, ReportEvent, Role
from .workflow import latest_return_comment

Status = Report.Status


@dataclass(frozen=True)
class Deadline:
    day: date | None
    today: date

    @property
    def days_left(self) -> int | None:
        return None if self.day is None else (self.day - self.today).days

    @property
    def overdue(self) -> bool:
        return self.day is not None and self.day < self.today

    @property
    def label(self) -> str:
        """'Sista dag 2020-02-10 (om 4 dagar)', '... (i dag)', '... (3 dagar sedan)'."""
        if self.day is None:
            return ""
        days = self.days_left
        if days == 0:
            when = "i dag"
        elif days > 0:
            when = f"om {days} dag{'ar' if days != 1 else ''}"
        else:
            when = f"{-days} dag{'ar' if days != -1 else ''} sedan"
        return f"Sista dag {self.day:%Y-%m-%d} ({when})"


@dataclass(frozen=True)
class DraftTodo:
    """A draft the person writes in: their unready items, the deadline, why it is a draft."""

    report: Report
    deadline: Deadline
    unready: tuple = ()
    total: int = 0
    returned: ReportEvent | None = None

    @property
    def workspace_url(self) -> str:
        return reverse("reporting:workspace", args=[self.report.pk])


@dataclass(frozen=True)
class CommentTodo:
    comment: Comment
    url: str
    answered: bool = False  # an answer to the person's own comment


@dataclass
class Todo:
    drafts: list[DraftTodo] = field(default_factory=list)
    to_review: list[tuple[Report, ReportEvent | None, Deadline]] = field(default_factory=list)
    to_decide: list[Report] = field(default_factory=list)
    comments: list[CommentTodo] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.drafts or self.to_review or self.to_decide or self.comments)


def _roles(user) -> dict[int, str]:
    if not user.is_authenticated:
        return {}
    return dict(Membership.objects.filter(user=user).values_list("board_id", "role"))


def _deadline(report: Report, today: date) -> Deadline:
    return Deadline(report.deadline, today)


def draft_todo(report: Report, user, today: date) -> DraftTodo | None:
    """The person's unready items in one draft (None when nothing waits for them)."""
    from .workspace import build_outline

    scope = edit_scope(user, report)
    outline = build_outline(report, scope)
    mine = [i for i in outline.items if i.editable]
    unready = tuple(i for i in mine if i.state != "ready")
    returned = latest_return_comment(report)
    if not unready and returned is None:
        return None
    return DraftTodo(report, _deadline(report, today), unready, len(mine), returned)


def comment_url(user, comment: Comment) -> str:
    """The item's own form where the person may change it, the thread's page otherwise."""
    report = comment.report
    thread = f"{comments_url(report, comment.item_key)}#kommentar-{comment.pk}"
    if report.status != Status.DRAFT:
        return thread
    try:
        item = resolve_item(report, comment.item_key)
    except Http404:  # the item is gone; its thread is still there
        return thread
    if edit_scope(user, report).covers(item):
        return f"{form_url(report, item)}#kommentar-{comment.pk}"
    return thread


def todo_for(user, today: date | None = None) -> Todo:
    today = today or timezone.localdate()
    roles = _roles(user)
    todo = Todo()
    if not roles:
        return todo
    writers = [b for b, r in roles.items() if r in (Role.EDITOR, Role.ADMINISTRATOR)]
    approvers = [b for b, r in roles.items() if r == Role.APPROVER]
    administrators = [b for b, r in roles.items() if r == Role.ADMINISTRATOR]
    editors = [b for b, r in roles.items() if r == Role.EDITOR]
    reports = Report.objects.select_related("board", "unit")

    for report in reports.filter(board_id__in=writers, status=Status.DRAFT):
        entry = draft_todo(report, user, today)
        if entry is not None:
            todo.drafts.append(entry)
    todo.drafts.sort(key=lambda d: (d.deadline.day or date.max, d.report.pk))

    for report in reports.filter(board_id__in=approvers, status=Status.SUBMITTED):
        submitted = report.events.filter(to_status=Status.SUBMITTED).select_related("user").last()
        todo.to_review.append((report, submitted, _deadline(report, today)))

    todo.to_decide = list(reports.filter(board_id__in=administrators, status=Status.APPROVED))

    internal = [b for b, r in roles.items() if r != Role.READER]
    addressed = Q(addressee=user) | Q(addressee__isnull=True, report__board_id__in=editors)
    open_comments = (
        Comment.objects.open()
        .filter(report__board_id__in=internal)
        .select_related("report", "report__board", "author", "addressee")
    )
    for comment in open_comments.filter(addressed).exclude(author=user):
        todo.comments.append(CommentTodo(comment, comment_url(user, comment)))
    answered = open_comments.filter(author=user, replies__isnull=False).exclude(addressed)
    for comment in answered.distinct():
        if comment.replies.exclude(author=user).exists():
            todo.comments.append(CommentTodo(comment, comment_url(user, comment), answered=True))
    return todo
