"""E-mail: a real SMTP server on the loopback (aiosmtpd) receives the mails of submit, return
and the deadline reminders, with the right recipients and Swedish subjects; a second reminder
run on the same day sends nothing; a person who turned reminders off gets none."""

import email
import socket
from datetime import date, timedelta
from email.policy import default as email_policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command

from reporting.models import Profile, ReminderLog, Report, Role
from reporting.notifications import send_reminders
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
