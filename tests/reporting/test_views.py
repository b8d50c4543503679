import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.urls import reverse

from reporting.models import Report, Role, Unit
from reporting.services import create_report
from tests.factories import make_board, make_plan, make_report, make_user

FRONT_PAGE = "/"


def detail_url(report: Report) -> str:
    return reverse("reporting:report_detail", args=[report.pk])


def test_the_front_page_is_at_the_root():
    assert reverse("reporting:report_list") == FRONT_PAGE


def test_anonymous_user_is_redirected_to_login(client, report):
    response = client.get(FRONT_PAGE)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_anonymous_user_is_redirected_to_login_from_a_report(client, report):
    response = client.get(detail_url(report))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_front_page_lists_only_the_reports_of_the_users_boards(client, editor, report, other_board):
    other_report = make_report(other_board)
    client.force_login(editor)
    response = client.get(FRONT_PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{detail_url(report)}"' in html
    assert f'href="{detail_url(other_report)}"' not in html
    assert "Äldrenämnden" not in html


def test_front_page_shows_board_period_name_status_and_last_change(client, reader, report):
    client.force_login(reader)
    html = client.get(FRONT_PAGE).content.decode()
    assert "Socialnämnden" in html
    assert "Verksamhetsberättelse 2019" in html
    assert "Utkast" in html
    assert report.updated_at.astimezone().strftime("%Y-%m-%d") in html


def test_front_page_groups_by_year_newest_first_and_periods_in_the_order_of_the_year(
    client, reader, board
):
    for year, period in [(2018, "VB"), (2019, "VB"), (2019, "T1"), (2019, "T2")]:
        create_report(board, year, period)
    client.force_login(reader)
    html = client.get(FRONT_PAGE).content.decode()
    order = [
        html.index(text)
        for text in [
            "Tertialrapport 1 2019",
            "Tertialrapport 2 2019",
            "Verksamhetsberättelse 2019",
            "Verksamhetsberättelse 2018",
        ]
    ]
    assert order == sorted(order)
    assert html.count("<table") == 2


def test_front_page_groups_by_board_within_a_year_in_swedish_order(client, superuser, board):
    for name in ["Östermalms stadsdelsnämnd", "Älvsjö stadsdelsnämnd", "Ånge nämnd", "Zeta"]:
        create_report(make_board(name), 2019, "VB")
    create_report(board, 2019, "VB")
    client.force_login(superuser)
    html = client.get(FRONT_PAGE).content.decode()
    names = ["Socialnämnden", "Zeta", "Ånge nämnd", "Älvsjö stadsdelsnämnd", "Östermalms"]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)


def test_a_unit_report_names_the_unit_and_its_board(client, reader, board):
    unit = Unit.objects.create(board=board, name="Beställarenheten")
    make_plan(board)
    create_report(board, 2019, "VB", unit=unit)
    client.force_login(reader)
    html = client.get(FRONT_PAGE).content.decode()
    assert "Beställarenheten" in html


def test_front_page_is_a_table_with_caption_and_column_headers(client, reader, report):
    client.force_login(reader)
    html = client.get(FRONT_PAGE).content.decode()
    assert "<caption" in html
    assert html.count('<th scope="col"') == 5
    assert '<th scope="row"' in html


def test_front_page_explains_when_there_is_no_report(client, db):
    client.force_login(make_user())
    html = client.get(FRONT_PAGE).content.decode()
    assert "Du har inte tillgång till någon rapport än." in html
    assert "Be nämndens administratör om behörighet." in html
    assert "<table" not in html


def test_front_page_query_count_does_not_grow_with_the_number_of_reports(
    client, reader, board, django_assert_num_queries
):
    make_report(board, 2019)
    client.force_login(reader)
    # session, user, the person's roles (Mina uppgifter: none for a reader), reports
    with django_assert_num_queries(4):
        client.get(FRONT_PAGE)
    for year in range(2015, 2019):
        make_report(board, year, board_goals=0, indicators=0, activities=0, areas=0)
    with django_assert_num_queries(4):
        response = client.get(FRONT_PAGE)
    assert response.content.decode().count("Verksamhetsberättelse") == 5


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("reader", 200),
        ("approver", 200),
        ("editor", 200),
        ("administrator", 200),
        ("superuser", 200),
    ],
)
def test_report_detail_follows_the_permission_ladder(client, request, report, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(detail_url(report)).status_code == status


def test_outsider_gets_404_on_report_detail(client, outsider, report):
    client.force_login(outsider)
    assert client.get(detail_url(report)).status_code == 404


def test_report_detail_shows_title_board_status_and_outline(client, reader, board):
    report = make_report(board, board_goals=3, indicators=2, activities=1)
    client.force_login(reader)
    response = client.get(detail_url(report))
    html = response.content.decode()
    assert "<h1>Verksamhetsberättelse 2019</h1>" in html
    assert "Socialförvaltningen" in html
    assert "Utkast" in html
    assert response.context["outline"] == {
        "direction_goals": 1,
        "area_goals": 1,
        "board_goals": 3,
        "commitments": 0,
        "indicators": 6,
        "activities": 3,
    }
    assert re.search(r"Nämndmål</th><td[^>]*>3</td>", html)


@pytest.mark.parametrize(
    "url",
    [FRONT_PAGE, "detail", reverse("login")],
)
def test_pages_are_in_swedish_with_skip_link_and_landmarks(client, reader, report, url):
    if url != reverse("login"):
        client.force_login(reader)
    response = client.get(detail_url(report) if url == "detail" else url)
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert '<a class="skip-link visually-hidden-focusable" href="#innehall">' in html
    assert "Hoppa till innehållet" in html
    assert '<main id="innehall"' in html
    assert "<header" in html
    assert "<title>" in html


def test_the_navigation_offers_administration_only_to_staff(client, reader, superuser, report):
    client.force_login(reader)
    html = client.get(FRONT_PAGE).content.decode()
    assert '<nav aria-label="Huvudmeny">' in html
    assert "Rapporter</a>" in html
    assert "Administration</a>" not in html
    client.force_login(superuser)
    assert "Administration</a>" in client.get(FRONT_PAGE).content.decode()


def test_the_header_names_the_user_and_logs_out_with_post(client, board):
    user = make_user(board=board, role=Role.READER)
    user.first_name, user.last_name = "Lars", "Nilsson"
    user.save()
    client.force_login(user)
    html = client.get(FRONT_PAGE).content.decode()
    assert "Lars Nilsson" in html
    assert re.search(r'<form method="post" action="/logout/"', html)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(FRONT_PAGE).status_code == 302


def test_login_page_has_labelled_fields_in_swedish(client, db):
    html = client.get(reverse("login")).content.decode()
    assert re.search(r'<label\s+for="id_username"', html)
    assert re.search(r'<label\s+for="id_password"', html)
    assert "Användarnamn" in html
    assert "Lösenord" in html
    assert "Logga in" in html


def test_login_with_a_wrong_password_says_so_in_swedish_and_keeps_the_username(client, reader):
    response = client.post(reverse("login"), {"username": "ledamot", "password": "fel"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'role="alert">\s*<p[^>]*>Ange ett korrekt användarnamn och lösenord.', html)
    assert 'value="ledamot"' in html


def test_login_leads_to_the_front_page(client, reader):
    response = client.post(
        reverse("login"), {"username": "ledamot", "password": "lösenord-för-test"}
    )
    assert response.status_code == 302
    assert response.url == FRONT_PAGE


def test_messages_are_shown_in_a_status_region_with_matching_colours(rf, reader):
    request = rf.get(FRONT_PAGE)
    request.user = reader
    request.session = SessionStore()
    request._messages = default_storage(request)
    messages.success(request, "Rapporten är sparad.")
    messages.error(request, "Rapporten kunde inte sparas.")
    html = render_to_string("base.html", request=request)
    assert '<div class="messages" role="status">' in html
    assert re.search(r'class="alert alert-success">\s*Rapporten är sparad.', html)
    assert re.search(r'class="alert alert-danger">\s*Rapporten kunde inte sparas.', html)
