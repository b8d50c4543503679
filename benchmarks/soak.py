"""``make soak``: many clients saving, marking ready, submitting and approving one report at
once, against a real server on 127.0.0.1 (gunicorn, several workers) and a real database.

Bounded in time and count (SOAK_SECONDS, default 45; SOAK_REQUESTS, default 4000; SOAK_CLIENTS
editors, default 8), loopback only. The database is SOAK_DATABASE_URL (default: a SQLite file
in a temporary folder; use PostgreSQL to test the row locks, e.g.
``postgres://postgres@127.0.0.1:5432/nr_soak``); it is migrated, and the soak adds its own
board and users with a time stamp in their names, so it never touches anything else.

Prints one line: requests, errors (5xx, refused connections, unexpected answers), lost updates
(a save the server confirmed whose text is not in the audit trail, or a final text that is not
the last confirmed save) and writes after approval (audit rows of the report's content while it
was submitted or approved). Exits 1 unless the last three are zero.
"""

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECONDS = float(os.environ.get("SOAK_SECONDS", "45"))
MAX_REQUESTS = int(os.environ.get("SOAK_REQUESTS", "4000"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "8"))
PORT = int(os.environ.get("SOAK_PORT", "8102"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "soak-lösenord-för-test"


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """One browser: cookies, no redirects followed, the CSRF token from the last page."""

    def __init__(self, stats) -> None:
        self.jar = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar), NoRedirect)
        self.stats = stats

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urlencode(data).encode() if data is not None else None
        request = Request(BASE + path, data=body, headers={"Referer": BASE + path})
        self.stats.count()
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except HTTPError as answer:
            text = answer.read().decode(errors="replace")
            if answer.code >= 500:
                self.stats.error(f"{answer.code} {path}")
            return answer.code, text
        except (URLError, OSError) as error:
            self.stats.error(f"{error} {path}")
            return 0, ""

    def token(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else ""

    def login(self, username: str) -> None:
        _, html = self.request("/login/")
        status, _ = self.request(
            "/login/",
            {"csrfmiddlewaretoken": self.token(html), "username": username, "password": PASSWORD},
        )
        if status != 302:
            raise SystemExit(f"soak: {username} kunde inte logga in ({status}).")


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.errors: list[str] = []
        self.confirmed: list[tuple[int, str]] = []  # (item pk, text) of saves answered 302
        self.moves: dict[str, int] = {}
        self.deadline = time.monotonic() + SECONDS

    def count(self) -> None:
        with self.lock:
            self.requests += 1

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)

    def going(self) -> bool:
        return time.monotonic() < self.deadline and self.requests < MAX_REQUESTS


def editor(n: int, report_pk: int, items: list[int], stats: Stats) -> None:
    session = Session(stats)
    session.login(f"soak-handlaggare-{n}")
    seq = 0
    while stats.going():
        item = random.choice(items)
        path = f"/rapporter/{report_pk}/mal/{item}/"
        status, html = session.request(path)
        if status != 200:
            if status not in (403,):  # 403: the report is not a draft just now
                stats.error(f"{status} GET {path}")
            time.sleep(0.2)
            continue
        version = re.search(r'name="version" value="(\d+)"', html)
        seq += 1
        text = f"Nämnden har arbetat vidare med målet under året (skribent {n}, sparning {seq})."
        action = "ready" if seq % 5 == 0 else "save"
        status, _ = session.request(
            path,
            {
                "csrfmiddlewaretoken": session.token(html),
                "version": version.group(1) if version else "0",
                "assessment": "full",
                "analysis": text,
                "action": action,
            },
        )
        if status == 302:
            with stats.lock:
                stats.confirmed.append((item, text))
        elif status not in (200, 403, 409):
            stats.error(f"{status} POST {path}")


def workflow(report_pk: int, stats: Stats) -> None:
    """Submits (administrator), approves (approver) and reopens, over and over."""
    admin, approver = Session(stats), Session(stats)
    admin.login("soak-sekreterare")
    approver.login("soak-chef")
    moves = [
        (admin, "submit", {}),
        (approver, "approve", {}),
        (admin, "reopen", {"comment": "Öppnas igen i belastningsprovet."}),
    ]
    step = 0
    while stats.going():
        time.sleep(random.uniform(0.5, 1.5))
        session, name, fields = moves[step % 3]
        _, html = session.request(f"/rapporter/{report_pk}/")
        status, _ = session.request(
            f"/rapporter/{report_pk}/atgard/{name}/",
            {"csrfmiddlewaretoken": session.token(html), **fields},
        )
        if status == 302:
            step += 1
            with stats.lock:
                stats.moves[name] = stats.moves.get(name, 0) + 1
        elif status not in (200, 403):
            stats.error(f"{status} {name}")


def setup(stamp: str) -> tuple[int, list[int]]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from goals.models import GoalAssessment
    from reporting.interchange import import_report
    from reporting.models import Board, Membership, Role
    from tests.reporting.test_review import clean_document

    call_command("migrate", verbosity=0)
    document = clean_document()
    document["organisation"]["board"] = f"Soaknämnden {stamp}"
    report = import_report(document)
    board = Board.objects.get(pk=report.board_id)
    users = get_user_model().objects
    people = [(f"soak-handlaggare-{n}", Role.EDITOR) for n in range(CLIENTS)]
    people += [("soak-sekreterare", Role.ADMINISTRATOR), ("soak-chef", Role.APPROVER)]
    for username, role in people:
        user, _ = users.get_or_create(username=username)
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.update_or_create(user=user, board=board, defaults={"role": role})
    items = list(GoalAssessment.objects.filter(report=report).values_list("pk", flat=True))
    return report.pk, items


def verdict(report_pk: int, stats: Stats) -> tuple[int, int]:
    """(lost updates, writes while the report was not a draft), from the audit trail."""
    from goals.models import GoalAssessment
    from reporting.models import ReportEvent

    History = GoalAssessment.history.model
    rows = list(History.objects.filter(report_id=report_pk).order_by("history_date", "history_id"))
    written = {(row.id, row.analysis) for row in rows}
    lost = sum(1 for item, text in stats.confirmed if (item, text) not in written)
    latest: dict[int, tuple[int, str]] = {}
    for row in rows:
        if (row.id, row.analysis) in set(stats.confirmed) and row.version >= latest.get(
            row.id, (0, "")
        )[0]:
            latest[row.id] = (row.version, row.analysis)
    for item in GoalAssessment.objects.filter(report_id=report_pk):
        if item.pk in latest and item.analysis != latest[item.pk][1]:
            lost += 1
    events = list(ReportEvent.objects.filter(report_id=report_pk).order_by("at", "pk"))
    closed = []  # (from, until) while the report was submitted or approved
    start = None
    for event in events:
        if event.to_status != "draft" and start is None:
            start = event.at
        elif event.to_status == "draft" and start is not None:
            closed.append((start, event.at))
            start = None
    if start is not None:
        closed.append((start, None))
    after = sum(
        1
        for row in rows
        if row.history_type == "~"
        and any(a < row.history_date and (b is None or row.history_date < b) for a, b in closed)
    )
    return lost, after


def main() -> int:
    folder = tempfile.mkdtemp(prefix="soak-")
    url = os.environ.get("SOAK_DATABASE_URL") or f"sqlite:///{folder}/soak.sqlite3"
    os.environ.update({"DATABASE_URL": url, "DJANGO_DEBUG": "true"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report_pk, items = setup(stamp)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            os.environ.get("SOAK_WORKERS", "4"),
        ],
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                Session(Stats()).opener.open(BASE + "/login/", timeout=2)
                break
            except (URLError, OSError):
                time.sleep(0.2)
        stats = Stats()
        threads = [
            threading.Thread(target=editor, args=(n, report_pk, items, stats))
            for n in range(CLIENTS)
        ] + [threading.Thread(target=workflow, args=(report_pk, stats))]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    from django.db import connection

    connection.close()
    lost, after = verdict(report_pk, stats)
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"soak: {stats.requests} requests, {len(stats.errors)} errors, {lost} lost updates, "
        f"{after} writes after approval ({CLIENTS} editors + workflow, {elapsed:.0f} s, "
        f"{stats.requests / elapsed:.0f} req/s, {len(stats.confirmed)} saves confirmed, "
        f"{stats.moves.get('approve', 0)} approvals, "
        f"{engine}, gunicorn on 127.0.0.1:{PORT})"
    )
    if stats.errors:
        print("first errors:", json.dumps(stats.errors[:5], ensure_ascii=False), file=sys.stderr)
    return 0 if not stats.errors and not lost and not after else 1


if __name__ == "__main__":
    sys.exit(main())
