import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from reporting.access import get_report_for_user
from tests.factories import make_user

READ, WRITE = False, True
ALLOWED, NOT_FOUND, FORBIDDEN = "allowed", "404", "403"

LADDER = [
    ("anonymous", READ, NOT_FOUND),
    ("anonymous", WRITE, NOT_FOUND),
    ("outsider", READ, NOT_FOUND),
    ("outsider", WRITE, NOT_FOUND),
    ("reader", READ, ALLOWED),
    ("reader", WRITE, FORBIDDEN),
    ("approver", READ, ALLOWED),
    ("approver", WRITE, FORBIDDEN),
    ("editor", READ, ALLOWED),
    ("editor", WRITE, ALLOWED),
    ("administrator", READ, ALLOWED),
    ("administrator", WRITE, ALLOWED),
    ("superuser", READ, ALLOWED),
    ("superuser", WRITE, ALLOWED),
]


def persona(request, name: str):
    if name == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(name)


def outcome(http_request, pk: int, write: bool) -> str:
    try:
        found = get_report_for_user(http_request, pk, write=write)
    except Http404:
        return NOT_FOUND
    except PermissionDenied:
        return FORBIDDEN
    assert found.pk == pk
    return ALLOWED


@pytest.mark.parametrize(("name", "write", "expected"), LADDER)
def test_get_report_for_user_follows_the_permission_ladder(request, report, name, write, expected):
    http_request = RequestFactory().get("/")
    http_request.user = persona(request, name)
    assert outcome(http_request, report.pk, write) == expected


def test_a_role_on_another_board_gives_no_access_to_this_boards_report(report, other_board):
    user = make_user(board=other_board, role="administrator")
    http_request = RequestFactory().get("/")
    http_request.user = user
    assert outcome(http_request, report.pk, READ) == NOT_FOUND


def test_a_report_that_does_not_exist_is_404_even_for_a_superuser(superuser):
    http_request = RequestFactory().get("/")
    http_request.user = superuser
    assert outcome(http_request, 999_999, READ) == NOT_FOUND
