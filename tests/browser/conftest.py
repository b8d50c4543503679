"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server. Logging in is done by ``Client.force_login`` with the session
cookie copied into the browser.

Playwright's sync API runs an event loop in this process, so Django's guard against database
access from async code has to be lifted here, and only here (set globally it would weaken
``check --deploy``)."""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        # While Playwright's event loop is set, Django keeps its database connections apart
        # from the thread's usual ones; close those before the loop goes, or the test
        # database cannot be dropped at the end (PostgreSQL: "being accessed by other users").
        connections.close_all()
        browser.close()


@pytest.fixture
def page_for(browser, live_server):
    """``page_for(user)``: a browser page logged in as ``user``, at the live server."""
    contexts = []

    def open_page(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = browser.new_context(
            base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900}
        )
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
