from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from reporting.models import Board, Membership, Role

DEMO = {
    "handlaggare": ("demo-handlaggare", Role.EDITOR),
    "chef": ("demo-chef", Role.APPROVER),
    "sekreterare": ("demo-sekreterare", Role.ADMINISTRATOR),
    "ledamot": ("demo-ledamot", Role.READER),
}


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def log_in(client, username: str, password: str) -> bool:
    """A real login through the login page (django-axes sees every attempt)."""
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def demo_users() -> str:
    out = StringIO()
    call_command("demo_users", stdout=out)
    return out.getvalue()


def test_demo_users_creates_one_user_per_role_on_socialnamnden(db, debug):
    demo_users()
    board = Board.objects.get(name="Socialnämnden")
    roles = dict(Membership.objects.filter(board=board).values_list("user__username", "role"))
    assert roles == {username: role for username, (_, role) in DEMO.items()}


@pytest.mark.parametrize("username", list(DEMO))
def test_every_demo_password_works(client, db, debug, username):
    demo_users()
    password, _ = DEMO[username]
    assert log_in(client, username, password)
    assert client.get("/").status_code == 200


def test_demo_users_is_idempotent(db, debug):
    demo_users()
    demo_users()
    assert get_user_model().objects.filter(username__in=DEMO).count() == 4
    assert Membership.objects.count() == 4
    assert Board.objects.filter(name="Socialnämnden").count() == 1


def test_a_second_run_resets_passwords_roles_and_flags(client, db, debug):
    demo_users()
    user = get_user_model().objects.get(username="ledamot")
    user.set_password("något annat")
    user.is_superuser = user.is_staff = True
    user.is_active = False
    user.save()
    Membership.objects.filter(user=user).update(role=Role.EDITOR)
    demo_users()
    user.refresh_from_db()
    assert (user.is_superuser, user.is_staff, user.is_active) == (False, False, True)
    assert Membership.objects.get(user=user).role == Role.READER
    assert log_in(client, "ledamot", "demo-ledamot")


def test_only_the_secretary_is_staff_and_superuser(db, debug):
    demo_users()
    flags = dict(
        get_user_model().objects.filter(username__in=DEMO).values_list("username", "is_superuser")
    )
    staff = set(get_user_model().objects.filter(is_staff=True).values_list("username", flat=True))
    assert flags == {"handlaggare": False, "chef": False, "sekreterare": True, "ledamot": False}
    assert staff == {"sekreterare"}


def test_demo_users_have_swedish_full_names(db, debug):
    demo_users()
    for user in get_user_model().objects.filter(username__in=DEMO):
        assert user.first_name and user.last_name


def test_demo_users_uses_the_existing_board(board, debug):
    demo_users()
    assert Board.objects.count() == 1
    assert Membership.objects.filter(board=board).count() == 4


def test_demo_users_creates_the_board_when_it_is_missing(db, debug):
    demo_users()
    board = Board.objects.get()
    assert (board.name, board.municipality.name, board.administration) == (
        "Socialnämnden",
        "Stockholms stad",
        "Socialförvaltningen",
    )


def test_demo_users_prints_a_swedish_table_and_a_warning(db, debug):
    out = demo_users()
    assert "Användarnamn" in out and "Lösenord" in out and "Roll" in out
    for username, (password, role) in DEMO.items():
        assert any(
            username in line and password in line and role.label in line
            for line in out.splitlines()
        )
    assert "demokonton" in out.lower()
    assert "endast för demo och test" in out


def test_demo_users_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_users", stdout=StringIO())
    assert not get_user_model().objects.exists()


def test_demo_users_runs_without_debug_when_forced(db, settings):
    settings.DEBUG = False
    call_command("demo_users", "--force", stdout=StringIO())
    assert get_user_model().objects.count() == 4
