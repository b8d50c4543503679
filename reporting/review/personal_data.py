"""The personal-data guard: a report is a public record and must hold no data about individual
clients. Warns, saying where, on

- a personnummer or samordningsnummer (day + 60) with a valid Luhn check digit, written
  ``ÅÅMMDD-NNNN`` / ``ÅÅMMDD+NNNN`` or ``ÅÅÅÅMMDD-NNNN`` / ``ÅÅÅÅMMDDNNNN`` (ten digits without a
  separator are left alone: that is how phone numbers are written);
- a name right after a word for a client ("klienten Anna", "brukaren Erik", "barnet Lisa").

Dates (``2019-12-31``, ``20191231``) and phone numbers (``08-508 25 000``, ``0701234567``) are
not personal identity numbers and give no warning.
"""

import re

from .common import _cap, _Place
from .findings import WARNING

_IDENTITY_NUMBER = re.compile(
    r"(?<![\d-])(?:(?P<century>19|20)?(?P<yymmdd>\d{6})(?P<sep>[-+])|(?P<c12>19|20)(?P<d12>\d{6}))"
    r"(?P<last>\d{4})(?![\d-])"
)
_CASE_WORDS = (
    "klienten|klient|brukaren|brukare|patienten|den enskilde|den boende|boende|barnet|"
    "pojken|flickan|eleven|sökanden|vårdtagaren|hyresgästen|kvinnan|mannen|mamman|pappan|"
    "modern|fadern|vårdnadshavaren|ungdomen|personen"
)
_NAME_AFTER_CASE_WORD = re.compile(
    rf"\b(?P<word>{_CASE_WORDS})\s+(?P<name>[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäö]+)?)\b",
    re.IGNORECASE,
)
_NOT_NAMES = {"Stockholm", "Stockholms", "Kommun", "Nämnden", "Jag", "Vi", "De", "Han", "Hon"}


def luhn_valid(digits: str) -> bool:
    """The Luhn check of a ten-digit personnummer (ÅÅMMDDNNNN)."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def identity_numbers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, shown) of every personnummer or samordningsnummer in ``text``; ``shown``
    masks the last four digits."""
    found = []
    for match in _IDENTITY_NUMBER.finditer(text):
        date = match.group("yymmdd") or match.group("d12")
        month, day = int(date[2:4]), int(date[4:6])
        if not 1 <= month <= 12:
            continue
        if not (1 <= day <= 31 or 61 <= day <= 91):  # samordningsnummer: day + 60
            continue
        if not luhn_valid(date + match.group("last")):
            continue
        found.append((match.start(), match.end(), match.group(0)[:-4] + "****"))
    return found


def names_after_case_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of every capitalised name right after a word for a client."""
    found = []
    for match in _NAME_AFTER_CASE_WORD.finditer(text):
        name = match.group("name")
        if name in _NOT_NAMES or not name[0].isupper():
            continue
        found.append((match.start(), match.end(), f"{match.group('word')} {name}"))
    return found


class PersonalDataRules:
    """Mixed into the review: one check per line of every text."""

    def personal_data(self, line: str, place: _Place) -> None:
        for _, _, shown in identity_numbers(line):
            self.add(
                WARNING,
                "personal_data",
                f"{_cap(place.name)} innehåller något som ser ut som ett personnummer eller "
                f"samordningsnummer (”{shown}”). Rapporten är en allmän handling: ta bort "
                "uppgifter om enskilda.",
                place,
            )
        for _, _, words in names_after_case_words(line):
            self.add(
                WARNING,
                "personal_data",
                f"{_cap(place.name)} nämner en enskild vid namn (”{words}”). Rapporten är en "
                "allmän handling: skriv om utan namn på enskilda.",
                place,
            )
