"""Bounded input (issue 14, defects 4 and 5): every text and number that reaches the review,
the document or the export is bounded, and hostile input answers with a located Swedish
message, never a 500."""

import pytest

from reporting.models import CoverMemo
from tests.entry_helpers import entry_urls, shown_form


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
