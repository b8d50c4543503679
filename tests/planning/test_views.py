"""The setup screens with Django's test client: who may use them, errors at the field, the
confirmation before a filled-in item goes, a new year from the button."""

from django.urls import reverse

from goals.models import AreaGoal, BoardGoal, DirectionGoal
from reporting.models import CouncilAdministrator, Report
from tests.factories import fill_in, make_plan, make_report, make_user


def test_a_clash_is_told_at_the_field_and_nothing_typed_is_lost(client, board, administrator):
    make_plan(board, 2019)
    client.force_login(administrator)
    url = reverse("planning:item_create", args=[board.pk, 2019, "namndmal"])
    answer = client.post(
        url,
        {
            "area_goal": AreaGoal.objects.get().pk,
            "number": "1.1.1",
            "title": "Ett nytt mål",
            "description": "Beskrivningen",
            "expected_results_text": "Fler i arbete",
        },
    )
    assert answer.status_code == 200
    form = answer.context["form"]
    assert form.errors == {"number": ["Nämnden har redan ett nämndmål med det numret i år."]}
    page = answer.content.decode()
    assert "Ett nytt mål" in page and "Beskrivningen" in page and "Fler i arbete" in page
    assert BoardGoal.objects.count() == 1


def test_an_administrator_cannot_reach_another_boards_plan_items(
    client, board, other_board, administrator
):
    make_plan(other_board, 2019)
    theirs = BoardGoal.objects.get(board=other_board)
    client.force_login(administrator)
    url = reverse("planning:item_edit", args=[board.pk, 2019, "namndmal", theirs.pk])
    assert client.get(url).status_code == 404
    url = reverse("planning:item_edit", args=[other_board.pk, 2019, "namndmal", theirs.pk])
    assert client.get(url).status_code == 404


def test_removing_a_filled_in_goal_asks_first_naming_the_report(client, board, administrator):
    report = fill_in(make_report(board, 2019, "T1"))
    goal = BoardGoal.objects.get()
    client.force_login(administrator)
    url = reverse("planning:item_delete", args=[board.pk, 2019, "namndmal", goal.pk])
    page = client.get(url).content.decode()
    assert "Det är ifyllt i 1 rapport:" in page and report.title in page
    assert BoardGoal.objects.filter(pk=goal.pk).exists()
    assert client.post(url).status_code == 302
    assert not BoardGoal.objects.filter(pk=goal.pk).exists()


def test_a_goal_in_a_submitted_report_cannot_be_removed(client, board, administrator):
    report = make_report(board, 2019, "T1")
    report.status = Report.Status.SUBMITTED
    report.save()
    goal = BoardGoal.objects.get()
    client.force_login(administrator)
    url = reverse("planning:item_delete", args=[board.pk, 2019, "namndmal", goal.pk])
    page = client.post(url).content.decode()
    assert "kan inte tas bort" in page and "Tertialrapport 1 2019" in page
    assert BoardGoal.objects.filter(pk=goal.pk).exists()


def test_starta_nytt_ar_starts_the_year_once(client, board, administrator):
    make_report(board, 2019, "VB")
    client.force_login(administrator)
    plan = client.get(reverse("planning:plan", args=[board.pk, 2019])).content.decode()
    assert "Starta nytt år (2020)" in plan
    url = reverse("planning:year_start", args=[board.pk, 2020])
    answer = client.post(url)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("planning:plan", args=[board.pk, 2020])
    assert BoardGoal.objects.filter(year=2020).count() == 1
    again = client.post(url)
    assert again.status_code == 409
    assert "Socialnämnden har redan en plan eller rapporter för 2020" in again.content.decode()
    assert BoardGoal.objects.filter(year=2020).count() == 1


def test_the_council_goals_are_kept_by_the_city_not_by_a_board(client, board, administrator):
    make_plan(board, 2019)
    direction = DirectionGoal.objects.get()
    url = reverse(
        "planning:council_goal_edit",
        args=[board.municipality_id, 2019, "inriktningsmal", direction.pk],
    )
    client.force_login(administrator)
    assert client.get(url).status_code == 403
    assert client.post(url, {"number": "1", "title": "Ändrad av nämnden"}).status_code == 403

    city = make_user("stadshuset")
    CouncilAdministrator.objects.create(user=city, municipality=board.municipality)
    client.force_login(city)
    assert client.get(reverse("planning:index")).status_code == 200
    answer = client.post(url, {"number": "1", "title": "Ändrad av staden", "position": "0"})
    assert answer.status_code == 302
    direction.refresh_from_db()
    assert direction.title == "Ändrad av staden"


def test_a_board_administrator_adds_a_person_with_a_role(client, board, administrator):
    client.force_login(administrator)
    url = reverse("planning:membership_create", args=[board.pk])
    answer = client.post(url, {"username": "ny", "role": "editor", "first_name": "Ny"})
    errors = answer.context["form"].errors
    assert errors["last_name"] == ["Ange efternamn för det nya kontot."]
    assert errors["password"] == ["Ange ett första lösenord för det nya kontot."]
    answer = client.post(
        url,
        {
            "username": "ny",
            "role": "editor",
            "first_name": "Ny",
            "last_name": "Person",
            "password": "ett-langt-losenord-2020",
        },
    )
    assert answer.status_code == 302
    membership = board.memberships.get(user__username="ny")
    assert membership.role == "editor"
    answer = client.post(url, {"username": "ny", "role": "reader"})
    assert answer.context["form"].errors["username"] == ["Personen har redan en roll i nämnden."]
