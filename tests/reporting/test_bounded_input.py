"""Bounded input (issue 14, defects 4 and 5): every text and number that reaches the review,
the document or the export is bounded, and hostile input answers with a located Swedish
message, never a 500."""

import json
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from goals.models import BoardGoal
from reporting import bounds
from reporting.interchange import InvalidDocument, parse
from reporting.interchange.guard import max_bytes
from reporting.models import CoverMemo
from tests.entry_helpers import entry_urls, form_data, shown_form
from tests.reporting.test_import_commands import run
from tests.reporting.test_interchange import EXAMPLE, counts, load


@pytest.mark.parametrize(
    "move",
    [
        "forslag-²-upp",
        "forslag-" + "9" * 5000 + "-ned",
        "forslag-99999999999999999999-upp",
        "forslag--1-upp",
        "forslag-0-sidled",
        "okänd-0-upp",
        "forslag",
        "\x00",
    ],
)
def test_a_malformed_or_huge_move_index_never_answers_500(client, editor, report, move):
    url = entry_urls(report)["cover_memo"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    data.update({"title": "Tjänsteutlåtande", "forslag-0-text": "Nämnden godkänner."})
    response = client.post(url, {**data, "move": move})
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        memo = CoverMemo.objects.get(report=report)
        assert list(memo.proposed_decisions.values_list("text", flat=True)) == [
            "Nämnden godkänner."
        ]


# -- the importer: every crash class refused with its place, nothing written -----------------

INDICATOR = "direction_goals[0].area_goals[0].indicators[3]"
ACTIVITY = "direction_goals[0].area_goals[0].activities[0]"


def example() -> dict:
    return load(EXAMPLE)


def with_change(change) -> str:
    document = example()
    change(document)
    return json.dumps(document, ensure_ascii=False)


def raw_replace(old: str, new: str) -> str:
    text = json.dumps(example(), ensure_ascii=False, indent=1)
    assert old in text
    return text.replace(old, new, 1)


HUGE = "9" * 5000
ANALYSIS = '"analysis": '
HOSTILE_FILES = {
    "an integer of thousands of digits": (
        lambda: raw_replace('"year": 2019', f'"year": {HUGE}'),
        r"rad \d+, kolumn \d+: talet är 5000 tecken långt",
    ),
    "nesting beyond the schema": (
        lambda: raw_replace('"anomalies": [', '"anomalies": [' + "[" * 1200 + "]" * 1200 + ","),
        r"rad \d+, kolumn \d+: filen är nästlad djupare än 13 nivåer",
    ),
    "NUL in a text": (
        lambda: with_change(lambda d: d.update(summary="Året\x00 i korthet")),
        r"summary: texten innehåller tecknet NUL \(U\+0000\) vid tecken 5",
    ),
    "a lone surrogate": (
        lambda: raw_replace('"summary": "', '"summary": "\\ud800'),
        r"summary: texten innehåller ett ensamt surrogattecken \(U\+D800\) vid tecken 1",
    ),
    "a title longer than its column": (
        lambda: with_change(
            lambda d: d["cover"].update(title="T" * 401) if d.get("cover") else None
        ),
        r"cover\.title: texten är för lång: 401 tecken, högst 400 får plats",
    ),
    "an activity title longer than its index allows": (
        lambda: with_change(
            lambda d: d["direction_goals"][0]["area_goals"][0]["activities"][0].update(
                title="Å" * 3000
            )
        ),
        re.escape(ACTIVITY) + r"\.title: texten är för lång: 3000 tecken, högst 600 får plats",
    ),
    "NaN": (
        lambda: raw_replace('"year": 2019', '"year": NaN'),
        r"rad \d+, kolumn 10: inte giltig JSON: NaN är inte ett tal i JSON",
    ),
    "Infinity": (
        lambda: raw_replace('"year": 2019', '"year": -Infinity'),
        r"rad \d+, kolumn 10: inte giltig JSON: -Infinity är inte ett tal i JSON",
    ),
    "the goal number 1.²": (
        lambda: with_change(
            lambda d: d["direction_goals"][0]["area_goals"][0].update(number="1.²")
        ),
        r"direction_goals\[0\]\.area_goals\[0\]\.number: målnumret ”1\.²” ska bestå av siffror",
    ),
    "a text longer than any text may be": (
        lambda: with_change(lambda d: d.update(summary="x" * 100_001)),
        r"summary: texten är för lång: 100001 tecken, högst 100000 får plats",
    ),
}


@pytest.mark.parametrize("make, message", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_a_hostile_import_is_refused_with_its_place_and_writes_nothing(db, tmp_path, make, message):
    call_command("import_report", str(EXAMPLE), stdout=StringIO(), stderr=StringIO())
    path = tmp_path / "fientlig.json"
    path.write_text(make(), encoding="utf-8", errors="surrogatepass")
    before = counts()
    err = StringIO()
    with pytest.raises(CommandError, match="inget importerades"):
        call_command("import_report", str(path), stdout=StringIO(), stderr=err)
    assert re.search(message, err.getvalue()), err.getvalue()
    assert counts() == before


def test_invalid_utf8_is_refused_with_its_line_and_column(tmp_path):
    text = json.dumps(example(), ensure_ascii=False, indent=1).encode()
    at = text.index(b'"summary": "') + len(b'"summary": "')
    path = tmp_path / "trasig.json"
    path.write_bytes(text[:at] + b"\xc3\x28" + text[at:])
    line = text.count(b"\n", 0, at) + 1
    column = at - text.rindex(b"\n", 0, at)  # ' "summary": "' is 13 characters
    assert column == 14
    with pytest.raises(InvalidDocument) as refused:
        parse(path.read_bytes())
    assert str(refused.value) == (
        f"rad {line}, kolumn 14: filen är inte text i UTF-8 (byte {at + 1} är 0xc3)"
    )


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(settings):
    assert max_bytes() == 10 * 1024 * 1024  # the default
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    text = '{"summary": "' + "x" * (1024 * 1024) + '"}'
    with mock.patch("json.loads") as loads, pytest.raises(InvalidDocument) as refused:
        parse(text.encode())
    assert str(refused.value) == "dokumentet: filen är 1,0 MB; en import får vara högst 1,0 MB"
    loads.assert_not_called()


def test_the_huge_integer_file_exits_with_1_and_no_traceback(tmp_path):
    path = tmp_path / "stor.json"
    path.write_text(raw_replace('"year": 2019', f'"year": {HUGE}'), encoding="utf-8")
    empty = {"DATABASE_URL": f"sqlite:///{tmp_path / 'tom.sqlite3'}"}
    result = run("import_report", str(path), "--skip-checks", env=empty)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "talet är 5000 tecken långt" in result.stderr


# -- forms ------------------------------------------------------------------------------------


def test_a_number_of_thousands_of_digits_in_an_analysis_breaks_no_page(
    client, editor, approver, report
):
    """Defect 4: such an analysis was saved, and then the report page, the workspace, the
    review and the submission answered 500 for everyone (the review used int() on it)."""
    url = entry_urls(report)["goal"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    text = f"Under året fick {HUGE} av 12 personer arbete, 50 procent."
    assert client.post(url, {**data, "assessment": "full", "analysis": text}).status_code == 302
    for user, pages in [
        (editor, ["report_detail", "workspace", "report_review"]),
        (approver, ["report_detail", "report_review"]),
    ]:
        client.force_login(user)
        for name in pages:
            response = client.get(reverse(f"reporting:{name}", args=[report.pk]))
            assert response.status_code == 200, (user, name)
    client.force_login(editor)
    submitted = client.post(reverse("reporting:report_transition", args=[report.pk, "submit"]))
    assert submitted.status_code in (200, 302)


def test_a_number_longer_than_its_column_is_an_error_at_its_field(client, editor, report):
    url = entry_urls(report)["indicator"]
    client.force_login(editor)
    form, data = shown_form(client, url)
    for typed in [HUGE, "123456789012345678901234567890"]:
        response = client.post(url, {**data, "outcome": typed})
        assert response.status_code == 200
        assert "outcome" in response.context["form"].errors
    assert "siffror" in response.context["form"].errors["outcome"][0]
    amount = entry_urls(report)["budget_row"]
    _, data = shown_form(client, amount)
    response = client.post(amount, {**data, "budget": "12345678901234567"})
    assert "budget" in response.context["form"].errors


def test_a_text_longer_than_its_bound_is_refused_at_its_field(client, editor, report):
    url = entry_urls(report)["goal"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    response = client.post(url, {**data, "analysis": "x" * 100_001})
    assert response.status_code == 200
    assert response.context["form"].errors["analysis"] == [
        "Texten är för lång: högst 100000 tecken får plats (den har 100001)."
    ]
    assert "x" * 100_001 in response.content.decode()  # what was typed survives


def test_nul_in_a_text_is_refused_at_its_field(client, editor, report):
    url = entry_urls(report)["summary"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    response = client.post(url, {**data, "text": "Året\x00 i korthet"})
    assert response.status_code == 200
    assert "text" in response.context["form"].errors


def test_a_goal_number_of_other_characters_is_refused_in_the_admin(client, superuser, report):
    goal = BoardGoal.objects.filter(board=report.board).first()
    client.force_login(superuser)
    url = reverse("admin:goals_boardgoal_change", args=[goal.pk])
    data = form_data(client.get(url).context["adminform"].form)
    response = client.post(url, {**data, "number": "1.²"})
    assert response.status_code == 200
    assert "ska bestå av siffror 0–9" in str(response.context["adminform"].form.errors["number"])


@pytest.mark.parametrize("number", ["1", "1.4", "1.4.2", "3.1.1."])
def test_ordinary_goal_numbers_pass(number):
    assert bounds.goal_number_problem(number) is None


@pytest.mark.parametrize("number", ["1.²", "١.٢", "1..2", "1.a", "", "1 .2", "12345"])
def test_other_goal_numbers_do_not(number):
    assert bounds.goal_number_problem(number)


# -- malformed query parameters and paths -----------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/rapporter/{pk}/historik/?sida=" + HUGE,
        "/rapporter/{pk}/historik/?sida=-1&modell=%00",
        "/rapporter/{pk}/historik/?modell=" + "x" * 5000,
        "/rapporter/99999999999999999999999999/",
        "/rapporter/{pk}/mal/99999999999999999999999999/",
        "/rapporter/{pk}/avsnitt/" + HUGE + "/",
    ],
)
def test_malformed_parameters_never_answer_500(client, editor, report, path):
    client.force_login(editor)
    client.raise_request_exception = False
    response = client.get(path.format(pk=report.pk))
    assert response.status_code in (200, 400, 404)
