"""E-mail: a real SMTP server on the loopback (aiosmtpd) receives the mails of submit, return
and the deadline reminders, with the right recipients and Swedish subjects; a second reminder
run on the same day sends nothing; a person who turned reminders off gets none; the worker
sends them every day (a queued task that queues the next day's run)."""

import email
import io
import socket
from datetime import date, datetime, timedelta
from email.policy import default as email_policy
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reporting.models import Profile, ReminderLog, Report, Role
from reporting.notifications import send_reminders
from reporting.tasks import next_reminder_run, schedule_reminders
from reporting.workflow import transition
from tests.factories import fill_in, make_user

TODAY = date(2020, 2, 5)


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email_policy)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def subjects(self) -> list[tuple[list[str], str]]:
        return [(to, str(message["Subject"]).strip()) for to, message in self.received]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "https://namndrapport.example.se"
    yield inbox
    controller.stop()


@pytest.fixture
def people(board):
    editor = make_user("handlaggare", board=board, role=Role.EDITOR)
    editor.email, editor.first_name, editor.last_name = "anna@example.se", "Anna", "Andersson"
    editor.save()
    approver = make_user("chef", board=board, role=Role.APPROVER)
    approver.email, approver.first_name = "chef@example.se", "Cecilia"
    approver.save()
    silent = make_user("tyst", board=board, role=Role.EDITOR)
    silent.email = "tyst@example.se"
    silent.save()
    Profile.objects.create(user=silent, email_reminders=False)
    reader = make_user("ledamot", board=board, role=Role.READER)
    reader.email = "ledamot@example.se"
    reader.save()
    return editor, approver


def test_submit_return_and_reminders_reach_a_real_smtp_server(
    smtp, report, people, django_capture_on_commit_callbacks
):
    editor, approver = people
    fill_in(report)
    with django_capture_on_commit_callbacks(execute=True):
        transition(report, "submit", editor, confirm_unready=True)
    assert smtp.subjects() == [
        (["chef@example.se"], "Att granska: Socialnämnden, Verksamhetsberättelse 2019")
    ]
    body = smtp.received[0][1].get_content()
    assert "Anna Andersson har skickat" in body
    assert f"https://namndrapport.example.se/rapporter/{report.pk}/granskning/" in body

    with django_capture_on_commit_callbacks(execute=True):
        transition(report, "return", approver, comment="Analysen av 1.1.1 saknar underlag.")
    returned = smtp.subjects()[1:]  # one mail per editor, the reader and approver left out
    assert sorted(to[0] for to, _ in returned) == ["anna@example.se", "tyst@example.se"]
    assert {s for _, s in returned} == {"Återsänd: Socialnämnden, Verksamhetsberättelse 2019"}
    assert "Analysen av 1.1.1 saknar underlag." in smtp.received[1][1].get_content()

    # Reminders: the deadline is three days away and nothing is marked ready.
    report.refresh_from_db()
    report.deadline = TODAY + timedelta(days=3)
    report.save()
    before = len(smtp.received)
    assert send_reminders(TODAY, days_before=5) == 1
    to, message = smtp.received[before]
    assert to == ["anna@example.se"]  # not "tyst", who turned reminders off; not the reader
    assert (
        str(message["Subject"])
        .strip()
        .startswith("Påminnelse: Socialnämnden, Verksamhetsberättelse 2019, ")
    )
    assert "Sista dag för Socialnämnden, Verksamhetsberättelse 2019 är 2020-02-08 (om 3 dagar)" in (
        message.get_content()
    )
    # The same day again: nothing.
    assert send_reminders(TODAY, days_before=5) == 0
    call_command("send_reminders", "--date", TODAY.isoformat(), "--days", "5", stdout=_Null())
    assert len(smtp.received) == before + 1
    assert ReminderLog.objects.count() == 1


def test_after_the_deadline_the_reminder_says_overdue_once_a_day(smtp, report, people):
    report.deadline = TODAY - timedelta(days=2)
    report.save()
    assert send_reminders(TODAY) == 1
    assert send_reminders(TODAY) == 0
    assert send_reminders(TODAY + timedelta(days=1)) == 1
    subjects = [s for _, s in smtp.subjects()]
    assert all(
        s.startswith("Försenad: Socialnämnden, Verksamhetsberättelse 2019") for s in subjects
    )
    assert len(subjects) == 2


def test_no_reminder_far_from_the_deadline_or_for_a_submitted_report(report, people):
    report.deadline = TODAY + timedelta(days=30)
    report.save()
    assert send_reminders(TODAY, days_before=5) == 0
    report.deadline = TODAY
    report.status = Report.Status.SUBMITTED
    report.save()
    assert send_reminders(TODAY, days_before=5) == 0
    assert mail.outbox == []


def test_a_person_turns_reminders_off_on_their_settings_page(client, report, people):
    editor, _ = people
    client.force_login(editor)
    page = client.get("/installningar/")
    assert page.status_code == 200
    assert "Påminnelser via e-post" in page.content.decode()
    response = client.post("/installningar/", {})
    assert response.status_code == 302
    assert Profile.objects.get(user=editor).email_reminders is False
    report.deadline = TODAY
    report.save()
    assert send_reminders(TODAY) == 0
    client.post("/installningar/", {"email_reminders": "on"})
    assert Profile.objects.get(user=editor).email_reminders is True
    assert send_reminders(TODAY) == 1


class _Null:
    def write(self, *_):
        pass


def run_worker() -> None:
    """The task worker (``db_worker``) in this thread, until no task is ready. It closes the
    database connection between tasks, which on PostgreSQL would close the test's own
    transaction: the close is skipped here."""
    with mock.patch.object(connection, "close"):
        call_command(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
            verbosity=0,
        )


def test_the_worker_sends_the_reminders_and_queues_the_next_day_s_run(
    smtp, settings, report, people
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    today = timezone.localdate()
    report.deadline = today + timedelta(days=2)
    report.save()
    out = io.StringIO()
    call_command("schedule_reminders", stdout=out)  # as the worker starts (Procfile)
    assert "och sedan varje dag" in out.getvalue()
    call_command("schedule_reminders", stdout=out)  # a second start queues nothing more
    queued = DBTaskResult.objects.filter(task_path="reporting.tasks.send_daily_reminders")
    assert queued.count() == 1
    # due now: the hour has passed, or (early in the morning) the test lets it be due
    queued.update(run_after=timezone.now())

    run_worker()
    assert [to for to, _ in smtp.subjects()] == [["anna@example.se"]]
    assert smtp.subjects()[0][1].startswith("Påminnelse: Socialnämnden")
    done = queued.get(status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value == 1
    # the run queued the next one, tomorrow at the reminder hour, and nothing else is due now
    (waiting,) = queued.filter(status=TaskResultStatus.READY)
    assert timezone.localtime(waiting.run_after) == timezone.localtime().replace(
        hour=settings.REMINDER_HOUR, minute=0, second=0, microsecond=0
    ) + timedelta(days=1)
    run_worker()
    assert len(smtp.received) == 1
    # run again the same day (a second worker, a restart): no second reminder
    queued.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    run_worker()
    assert len(smtp.received) == 1
    assert ReminderLog.objects.filter(sent_on=today).count() == 1


def test_without_a_queue_that_can_wait_nothing_is_scheduled(settings):
    # the immediate backend (DJANGO_TASKS_BACKEND=immediate) cannot run a task later: cron
    # runs manage.py send_reminders instead
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert schedule_reminders() is None


def test_the_reminders_are_due_today_at_the_hour_or_at_once_when_it_has_passed(settings):
    settings.REMINDER_HOUR = 7
    zone = timezone.get_current_timezone()
    early = datetime(2020, 2, 5, 6, 30, tzinfo=zone)
    late = datetime(2020, 2, 5, 9, 15, tzinfo=zone)
    assert next_reminder_run(early) == datetime(2020, 2, 5, 7, 0, tzinfo=zone)
    assert next_reminder_run(late) == late
    assert next_reminder_run(late, today=False) == datetime(2020, 2, 5, 7, 0, tzinfo=zone)
