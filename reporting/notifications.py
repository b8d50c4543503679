"""E-mail through Django's mail framework: to the approvers when a report is submitted, to the
report's editors when it is returned (with the comment and the open comments) and when it is
approved, and reminders to editors whose items are not ready as the deadline nears or has
passed.

Mails are sent after the move is committed (``transaction.on_commit``), one per person, so
that nobody sees the others' addresses and one failing address does not stop the rest; a mail
server that is down is logged and never undoes a move. ``send_reminders(today)`` is a plain
function: the ``send_reminders`` command runs it (from cron), and a task worker can schedule
it. It never sends the same person two reminders about the same report on one day
(``ReminderLog``), and skips everyone who turned reminders off (``Profile``).

Settings: ``EMAIL_*`` and ``DEFAULT_FROM_EMAIL`` (from the environment, see
``config/settings.py``), ``SITE_URL`` for the links, ``REMINDER_DAYS_BEFORE``.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .access import edit_scope
from .models import Comment, Membership, Profile, ReminderLog, Report, Role

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def person(user) -> str:
    return user.get_full_name() or user.get_username()


def members(report: Report, *roles: str) -> list:
    """The board's active people with one of ``roles`` and an e-mail address."""
    ids = Membership.objects.filter(board_id=report.board_id, role__in=roles).values("user_id")
    users = get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(email="")
    return list(users.order_by("username"))


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def deliver(mails: list[Mail]) -> int:
    """Send each mail on one connection; a failure is logged, never raised."""
    if not mails:
        return 0
    messages = [EmailMessage(m.subject, m.body, settings.DEFAULT_FROM_EMAIL, [m.to]) for m in mails]
    try:
        with get_connection() as connection:
            return connection.send_messages(messages) or 0
    except Exception:  # noqa: BLE001 - a mail server that is down must not undo a move
        logger.exception("Kunde inte skicka e-post: %s", ", ".join(m.subject for m in mails))
        return 0


def _name(report: Report) -> str:
    """'Socialnämnden, Verksamhetsberättelse 2019'."""
    return f"{report.owner_name}, {report.title}"


def _signature() -> str:
    return "\n\n-- \nNämndrapport. Du får det här brevet för att du har en roll i nämnden.\n"


# -- the workflow -----------------------------------------------------------------------------


def submitted_mails(report: Report, by) -> list[Mail]:
    review = absolute(reverse("reporting:report_review", args=[report.pk]))
    page = absolute(reverse("reporting:report_detail", args=[report.pk]))
    return [
        Mail(
            user.email,
            f"Att granska: {_name(report)}",
            f"Hej {person(user)},\n\n{person(by)} har skickat {_name(report)} för granskning."
            f"\n\nRapporten: {page}\nGranskningen: {review}\n\nGodkänn rapporten eller skicka "
            "tillbaka den till handläggarna med en kommentar." + _signature(),
        )
        for user in members(report, Role.APPROVER)
    ]


def returned_mails(report: Report, by, comment: str) -> list[Mail]:
    workspace = absolute(reverse("reporting:workspace", args=[report.pk]))
    open_comments = list(Comment.objects.filter(report=report).open().order_by("created_at"))
    listed = "".join(f"\n- {c.item_title}: {c.text}" for c in open_comments)
    extra = f"\n\nOlösta kommentarer ({len(open_comments)}):{listed}" if open_comments else ""
    return [
        Mail(
            user.email,
            f"Återsänd: {_name(report)}",
            f"Hej {person(user)},\n\n{person(by)} har skickat tillbaka {_name(report)} till "
            f"handläggarna med den här kommentaren:\n\n{comment}{extra}\n\n"
            f"Arbeta med rapporten: {workspace}" + _signature(),
        )
        for user in members(report, Role.EDITOR)
    ]


def approved_mails(report: Report, by) -> list[Mail]:
    page = absolute(reverse("reporting:report_detail", args=[report.pk]))
    return [
        Mail(
            user.email,
            f"Godkänd: {_name(report)}",
            f"Hej {person(user)},\n\n{person(by)} har godkänt {_name(report)}. Den godkända "
            f"versionen är det nämnden får.\n\nRapporten: {page}" + _signature(),
        )
        for user in members(report, Role.EDITOR)
    ]


def notify_transition(report: Report, name: str, by, comment: str = "") -> int:
    """The mails of one workflow move; called after it is committed."""
    if name == "submit":
        return deliver(submitted_mails(report, by))
    if name == "return":
        return deliver(returned_mails(report, by, comment))
    if name == "approve":
        return deliver(approved_mails(report, by))
    return 0


def after_commit(report: Report, name: str, by, comment: str = "") -> None:
    transaction.on_commit(lambda: notify_transition(report, name, by, comment))


# -- reminders --------------------------------------------------------------------------------


def wants_reminders(user) -> bool:
    profile = Profile.objects.filter(user=user).first()
    return profile is None or profile.email_reminders


def unready_items(report: Report, user) -> list:
    """The items of ``report`` that ``user`` may change and that are not marked ready."""
    from .workspace import build_outline

    scope = edit_scope(user, report)
    return [i for i in build_outline(report, scope).items if i.editable and i.state != "ready"]


def reminder_mail(report: Report, user, items, today: date) -> Mail:
    days = (report.deadline - today).days
    workspace = absolute(reverse("reporting:workspace", args=[report.pk]))
    when = (
        f"Sista dag för {_name(report)} var {report.deadline:%Y-%m-%d}"
        if days < 0
        else f"Sista dag för {_name(report)} är {report.deadline:%Y-%m-%d}"
        + (" (i dag)" if days == 0 else f" (om {days} dag{'ar' if days != 1 else ''})")
    )
    listed = "".join(f"\n- {i.title}: {absolute(i.url)}" for i in items[:30])
    more = f"\n... och {len(items) - 30} till." if len(items) > 30 else ""
    subject = (
        f"Försenad: {_name(report)}, {len(items)} delar ej klara"
        if days < 0
        else f"Påminnelse: {_name(report)}, {len(items)} delar ej klara"
    )
    return Mail(
        user.email,
        subject,
        f"Hej {person(user)},\n\n{when}. Det här är ditt som inte är klarmarkerat än:\n"
        f"{listed}{more}\n\nArbeta med rapporten: {workspace}\n\nVill du inte få "
        f"påminnelser? Stäng av dem under {absolute(reverse('reporting:preferences'))}"
        + _signature(),
    )


def send_reminders(today: date | None = None, days_before: int | None = None) -> int:
    """Remind every editor with unready items in a draft whose deadline is at most
    ``days_before`` days away or has passed; at most once per person, report and day.
    Returns the number of mails sent."""
    today = today or timezone.localdate()
    days_before = settings.REMINDER_DAYS_BEFORE if days_before is None else days_before
    reports = Report.objects.filter(
        status=Report.Status.DRAFT,
        deadline__isnull=False,
        deadline__lte=today + timedelta(days=days_before),
    ).select_related("board", "unit")
    sent = 0
    for report in reports:
        kind = ReminderLog.Kind.OVERDUE if report.deadline < today else ReminderLog.Kind.DUE
        for user in members(report, Role.EDITOR):
            if not wants_reminders(user):
                continue
            items = unready_items(report, user)
            if not items:
                continue
            try:
                with transaction.atomic():
                    log = ReminderLog.objects.create(
                        user=user, report=report, kind=kind, sent_on=today
                    )
            except IntegrityError:
                continue  # reminded already today
            if deliver([reminder_mail(report, user, items, today)]):
                sent += 1
            else:
                log.delete()  # not sent: the next run tries again
    return sent
