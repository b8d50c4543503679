"""The error pages speak Swedish, say what happened and where to go next; every page carries
the favicon, served from our own static files."""

from pathlib import Path

from django.conf import settings
from django.test import RequestFactory
from django.views import defaults

from reporting.models import Role
from tests.factories import make_user


def test_unknown_address_answers_a_swedish_404_with_a_way_back(client, editor):
    client.force_login(editor)
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Sidan finns inte" in page
    assert "Felkod 404" in page
    assert 'href="/"' in page  # Till dina rapporter och uppgifter
    assert "Not Found" not in page


def test_a_stranger_s_404_does_not_tell_that_the_report_exists(client, report, outsider):
    client.force_login(outsider)
    response = client.get(f"/rapporter/{report.pk}/")
    assert response.status_code == 404
    assert "inte tillgång" in response.content.decode()


def test_a_refused_move_answers_a_swedish_403_with_the_reason(client, report, board):
    reader = make_user("lasare", board=board, role=Role.READER)
    client.force_login(reader)
    response = client.get(f"/rapporter/{report.pk}/sammanfattning/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Det här kan du inte göra" in page
    assert "Felkod 403" in page
    assert "administratör" in page


def test_the_500_page_renders_without_a_database_or_a_user():
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Något gick fel hos oss" in page
    assert "Felkod 500" in page
    assert 'lang="sv"' in page


def test_every_page_links_a_favicon_that_is_a_vendored_file(client, editor):
    client.force_login(editor)
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page
    assert "/static/img/favicon.svg" in page
    static = Path(settings.BASE_DIR) / "static" / "img"
    assert (static / "favicon.svg").read_text().startswith("<svg")
    assert (static / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
