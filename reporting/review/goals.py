"""Rules for the goals and what hangs on them: assessments, analyses, indicators and activities."""

import re
from decimal import Decimal

from goals.models import Assessment
from indicators.status import TargetStatus, target_status

from ..document import (
    ActivityData,
    AreaGoalData,
    BoardGoalData,
    CommitmentData,
    DirectionGoalData,
    IndicatorData,
)
from ..levels import goal_anchor
from ..numbers import format_number
from .base import Rules
from .common import (
    _GOAL_NAMES,
    _cap,
    _excerpt,
    _is_average,
    _names,
    _Place,
    _places,
    _quote,
    _short,
    _strip_article,
)
from .findings import CONFIRMED, ERROR, WARNING


class GoalRules(Rules):
    """Goals, indicators and activities."""

    # -- goals

    def judged(self, kind: str, label: str, item, place: _Place) -> None:
        """Assessment and analysis of a goal (``kind``: direction, area, board, commitment)."""
        if self.vp:
            return
        severity = WARNING if kind == "direction" else ERROR
        if not item.assessment:
            self.add(severity, "missing_assessment", f"{_cap(label)} saknar bedömning.", place)
        if not item.analysis:
            self.add(severity, "missing_analysis", f"{_cap(label)} saknar analys.", place)

    def direction_goal(self, goal: DirectionGoalData) -> None:
        label = f"{_GOAL_NAMES['direction']} {goal.number}"
        place = _Place(goal.number, label, goal_anchor(goal.number), goal.key)
        self.judged("direction", label, goal, place)
        analysis = place.part("Analys", f"analysen av {label}")
        self.text(goal.analysis, analysis)
        self.goal_names(goal, analysis)
        for area_goal in goal.area_goals:
            self.area_goal(area_goal)

    def goal_names(self, goal: DirectionGoalData, place: _Place) -> None:
        for match in re.finditer(
            r"\binriktningsmål(?:et)?\s+om\s+(?P<name>[^.,;:!?]+)", goal.analysis or "", re.I
        ):
            name = _strip_article(match.group("name"))
            if len(name) < 10:
                continue
            if not any(_names(name, _strip_article(t)) for t in self.direction_titles):
                self.add(
                    WARNING,
                    "wrong_goal_name",
                    f"Analysen av inriktningsmål {goal.number} talar om inriktningsmålet om "
                    f"{_quote(match.group('name'), 60)}, men målet heter "
                    f"{_quote(goal.title, 100)}.",
                    place,
                )

    def area_goal(self, goal: AreaGoalData) -> None:
        label = f"{_GOAL_NAMES['area']} {goal.number}"
        place = _Place(goal.number, label, goal_anchor(goal.number), goal.key)
        self.judged("area", label, goal, place)
        analysis = place.part("Analys", f"analysen av {label}")
        self.text(goal.analysis, analysis, table_follows=bool(goal.indicators))
        text = goal.analysis or ""
        for match in re.finditer(r"\bnämndmålet\b(?!\s+\d)", text, re.I):
            self.add(
                WARNING,
                "board_goal_wording",
                f"Analysen av {label} talar om ”nämndmålet”: "
                f"{_excerpt(text, match.start(), match.end())}. Är det nämndmålets "
                "text som har hamnat under KF:s mål?",
                analysis,
            )
            break
        self.goal_items(goal, label, place)
        for board_goal in goal.board_goals:
            self.board_goal(board_goal)

    def board_goal(self, goal: BoardGoalData) -> None:
        label = f"{_GOAL_NAMES['board']} {goal.number}"
        place = _Place(goal.number, label, goal_anchor(goal.number), goal.key)
        self.judged("board", label, goal, place)
        self.text(goal.description, place.part("Beskrivning", f"beskrivningen av {label}"))
        for n, result in enumerate(goal.expected_results, start=1):
            self.text(
                result,
                place.part(f"Förväntat resultat {n}", f"förväntat resultat {n} under {label}"),
            )
        self.text(
            goal.analysis,
            place.part("Analys", f"analysen av {label}"),
            table_follows=bool(goal.indicators),
        )
        self.goal_items(goal, label, place)
        for n, commitment in enumerate(goal.commitments, start=1):
            self.commitment(commitment, goal.number, label, f"{place.anchor}-atagande-{n}")

    def commitment(self, goal: CommitmentData, number: str, parent: str, anchor: str) -> None:
        label = f"åtagandet {_quote(goal.title, 60)} under {parent}"
        place = _Place(f"{number} › {_short(goal.title, 60)}", label, anchor, goal.key)
        self.judged("commitment", label, goal, place)
        for n, result in enumerate(goal.expected_results, start=1):
            self.text(
                result,
                place.part(f"Förväntat resultat {n}", f"förväntat resultat {n} för {label}"),
            )
        self.text(
            goal.analysis,
            place.part("Analys", f"analysen av {label}"),
            table_follows=bool(goal.indicators),
        )
        self.goal_items(goal, label, place)

    def goal_items(self, goal, label: str, place: _Place) -> None:
        self.assessment_against_indicators(goal, label, place)
        for indicator in goal.indicators:
            self.indicator(indicator, label, place)
        for activity in goal.activities:
            self.activity(activity, label, place)

    def assessment_against_indicators(self, goal, label: str, place: _Place) -> None:
        statuses = []
        for indicator in goal.indicators:
            value = indicator.outcome
            if self.data.is_tertial and isinstance(indicator.forecast, Decimal):
                value = indicator.forecast
            status = target_status(value, indicator.annual_target, indicator.direction)
            if status is not None:
                statuses.append(status)
        if not statuses:
            return
        met = sum(1 for s in statuses if s == TargetStatus.MET)
        if goal.assessment == Assessment.FULL and met == 0:
            self.add(
                WARNING,
                "assessment_contradicts_indicators",
                f"{_cap(label)} bedöms uppfyllas helt, men ingen av dess {len(statuses)} "
                "indikatorer med årsmål når målet.",
                place,
            )
        elif goal.assessment == Assessment.NOT_MET and met == len(statuses):
            self.add(
                WARNING,
                "assessment_contradicts_indicators",
                f"{_cap(label)} bedöms inte uppfyllas, men alla dess {len(statuses)} "
                "indikatorer med årsmål når målet.",
                place,
            )

    def indicator(self, indicator: IndicatorData, label: str, goal: _Place) -> None:
        name = _quote(indicator.name, 70)
        place = _Place(
            f"{goal.location} › {_short(indicator.name, 60)}",
            f"indikatorn {name} under {label}",
            goal.anchor,
            indicator.key,
        )
        subject = f"Indikatorn {name} under {label}"
        outcome, men, women = indicator.outcome, indicator.outcome_men, indicator.outcome_women
        if not self.vp:
            if outcome is None:
                if self.vb:
                    self.add(ERROR, "missing_outcome", f"{subject} saknar utfall.", place)
                else:
                    self.add(
                        WARNING,
                        "missing_outcome",
                        f"{subject} saknar utfall. Rapporteras den varje tertial ska utfallet "
                        "fyllas i.",
                        place,
                    )
            elif indicator.gender_split_required and (men is None or women is None):
                missing = " och ".join(
                    label for label, value in (("män", men), ("kvinnor", women)) if value is None
                )
                self.add(
                    ERROR,
                    "missing_gender_split",
                    f"{subject} saknar utfall för {missing}, fast utfallet ska redovisas "
                    "uppdelat på kön.",
                    place,
                )
        self.split(indicator, subject, place)
        self.percentages(indicator, subject, place)
        self.text(
            indicator.analysis,
            place.part("Analys", f"analysen av {place.name}"),
            indicator=indicator,
        )

    def split(self, indicator: IndicatorData, subject: str, place: _Place) -> None:
        total, men, women = indicator.outcome, indicator.outcome_men, indicator.outcome_women
        if not (
            isinstance(total, Decimal) and isinstance(men, Decimal) and isinstance(women, Decimal)
        ):
            return
        unit = indicator.unit or ""
        shown = {v: format_number(v) for v in (total, men, women)}
        if unit == "st" and not _is_average(indicator.name):
            if total != men + women:
                self.add(
                    CONFIRMED if indicator.confirmed else ERROR,
                    "split_mismatch",
                    f"{subject}: totalen {shown[total]} st är inte summan av män "
                    f"({shown[men]}) och kvinnor ({shown[women]}) = "
                    f"{format_number(men + women)}." + _confirmed_by(indicator),
                    place,
                )
            return
        low, high = min(men, women), max(men, women)
        slack = Decimal(1).scaleb(-min(_places(total), _places(men), _places(women))) / 2
        if total < low - slack or total > high + slack:
            self.add(
                CONFIRMED if indicator.confirmed else ERROR,
                "split_mismatch",
                f"{subject}: totalen {shown[total]} ligger utanför intervallet mellan män "
                f"({shown[men]}) och kvinnor ({shown[women]}); ett genomsnitt för alla kan "
                "inte vara lägre eller högre än båda." + _confirmed_by(indicator),
                place,
            )

    def percentages(self, indicator: IndicatorData, subject: str, place: _Place) -> None:
        if (indicator.unit or "").strip() != "%":
            return
        share = indicator.name.strip().casefold().startswith("andel")
        figures = (
            ("utfallet", indicator.outcome),
            ("utfallet för män", indicator.outcome_men),
            ("utfallet för kvinnor", indicator.outcome_women),
            ("prognosen", indicator.forecast),
            ("årsmålet", indicator.annual_target),
        )
        for what, value in figures:
            if isinstance(value, Decimal) and not 0 <= value <= 100:
                side = "över 100" if value > 100 else "under 0"
                confirmed = indicator.confirmed and what != "årsmålet"
                self.add(
                    CONFIRMED if confirmed else ERROR if share else WARNING,
                    "percentage_out_of_range",
                    f"{subject}: {what} {format_number(value)} % är {side} procent."
                    + (
                        _confirmed_by(indicator)
                        if confirmed
                        else ""
                        if share
                        else " Kontrollera att det stämmer."
                    ),
                    place,
                )

    def activity(self, activity: ActivityData, label: str, goal: _Place) -> None:
        place = _Place(
            f"{goal.location} › {_short(activity.title, 60)}",
            f"aktiviteten {_quote(activity.title, 60)} under {label}",
            goal.anchor,
            activity.key,
        )
        if not self.vp and not activity.status:
            end = activity.end_date
            if self.vb or (end is not None and end < self.today):
                when = f" (slutdatum {end.isoformat()})" if end else ""
                self.add(
                    ERROR,
                    "activity_without_status",
                    f"{_cap(place.name)} saknar status{when}.",
                    place,
                )
        self.text(activity.deviation, place.part("Avvikelse", f"avvikelsen för {place.name}"))
        self.text(activity.analysis, place.part("Analys", f"analysen av {place.name}"))


def _confirmed_by(indicator: IndicatorData) -> str:
    """A doubt about figures someone confirmed ("Jag bekräftar värdet") says who and when."""
    return f" Värdet är bekräftat av {indicator.confirmed}." if indicator.confirmed else ""
