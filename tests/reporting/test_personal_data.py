"""The personal-data guard (issue 14): the review warns, saying where, on a personnummer or
samordningsnummer with a valid check digit and on a name next to a word for a client; never on
a date or a phone number."""

import pytest

from reporting.review.personal_data import identity_numbers, luhn_valid, names_after_case_words
from tests.reporting.test_review import area_goal, board_goal, clean_document, review


def personal(findings):
    return [f for f in findings if f.code == "personal_data"]


@pytest.mark.parametrize(
    "text",
    [
        "Klienten 811218-9876 fick stöd.",
        "Personnumret 19811218-9876 stod i beslutet.",
        "Se 198112189876.",
        "Samordningsnummer 811278-9873.",
        "Född 811218+9876.",
    ],
)
def test_a_personal_identity_number_with_a_valid_check_digit_is_found(text):
    assert len(identity_numbers(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Beslutet fattades 2019-12-31.",
        "Datum 20191231 och 2020-01-28.",
        "Ring 08-508 25 000.",
        "Mobil 070-123 45 67 eller 0701234569.",
        "Diarienummer 1.2.3-456/2019.",
        "Ett felaktigt nummer 811218-9875.",  # wrong check digit
        "Månad 13: 811318-9873.",
        "Summan 1 165,1 mnkr.",
    ],
)
def test_a_date_a_phone_number_and_other_figures_are_not(text):
    assert identity_numbers(text) == []


def test_the_luhn_check():
    assert luhn_valid("8112189876")
    assert not luhn_valid("8112189875")


def test_a_name_next_to_a_case_word_is_found_but_not_ordinary_words():
    assert [w for _, _, w in names_after_case_words("Vi mötte klienten Anna i maj.")] == [
        "klienten Anna"
    ]
    assert names_after_case_words("Barnet Lisa-Marie flyttade.")
    assert names_after_case_words("Klienten har fått stöd av nämnden.") == []
    assert names_after_case_words("Brukaren i Stockholm har fått stöd.") == []


def test_the_review_warns_on_a_personnummer_and_says_where():
    document = clean_document()
    board_goal(document)["analysis"] = "Ett exempel: klienten 811218-9876 fick arbete."
    findings = personal(review(document))
    assert len(findings) == 1
    finding = findings[0]
    assert finding.severity == "warning"
    assert "1.1.1" in finding.location
    assert "811218-****" in finding.message
    assert "9876" not in finding.message  # the warning does not spread the number further


def test_the_review_warns_on_a_name_next_to_a_case_word():
    document = clean_document()
    area_goal(document)["analysis"] = "Klienten Anna fick en egen lägenhet under året."
    findings = personal(review(document))
    assert len(findings) == 1
    assert "1.1" in findings[0].location
    assert "klienten Anna" in findings[0].message.casefold().replace("anna", "Anna")


def test_no_warning_for_a_date_or_a_phone_number_in_the_report():
    document = clean_document()
    board_goal(document)["analysis"] = (
        "Beslutet fattades 2019-12-31 och gäller från 20200101. Frågor: 08-508 25 000 eller "
        "0701234569."
    )
    assert personal(review(document)) == []
