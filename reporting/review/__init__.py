"""Granskning: the automatic review of a report before it is submitted and approved.

``review_report(report_or_data, *, today=None) -> list[Finding]`` reads a report's assembled data
(``reporting.assemble.ReportData``) and lists what a reader would stumble on. An error
("error") blocks submission and approval (``has_blocking_findings``); a warning ("warning") is
shown but does not block. Rules that can only be sure of what they find give errors; rules that
guess (a question that may be rhetorical, a heading that may be meant to differ) give warnings.
Findings are sorted errors first, then in the order of the printed report: cover memo, summary,
goals (each goal, its texts, indicators and activities, then the goals below it), economy,
internal control, other sections.

Each finding names its place (``location``: "1.4.1 › Andel barn …", "Tjänsteutlåtande ›
Förslag till beslut 3", "Uppföljning av ekonomi › Investeringar") and, for a goal and what
belongs to it, the id of the goal's heading on the report page (``anchor``: "mal-1-4-1").

Severity fits the practice (``findings.ERROR_KINDS``, applied to every rule by
``severity_for``): only what makes a report wrong or incomplete is an error — a missing
mandatory assessment, outcome or gender split, a total that does not fit its split, a figure of
a proposed decision not found in the report, a given total that does not fit its rows.
Wording, style, draft marks and missing texts are warnings, even where a rule below says
"error": the rule asks, ``ERROR_KINDS`` decides. An approver may still approve a report with
errors by writing a justification (``reporting.workflow``).

Rules (code: severity the rule asks for; what fires it)

Goals, indicators, activities (not in a VP, which has no outcome yet):

- ``missing_assessment``: error for an area goal, board goal or commitment without assessment;
  warning for a direction goal (the city's reports often leave those unassessed); error for an
  internal-control section without its assessment.
- ``missing_analysis``: as ``missing_assessment``, for a missing analysis text.
- ``missing_outcome``: an indicator without outcome; error in a VB, warning in T1/T2 (an
  indicator reported once a year has no outcome in a tertial, and the data has no frequency).
- ``missing_gender_split`` (error): an indicator with an outcome, ``gender_split_required`` and
  no outcome for men or for women.
A doubt about an indicator's figures (``split_mismatch``, ``percentage_out_of_range``) that
someone confirmed in the form ("Jag bekräftar värdet", stored with who and when, holding while
the figures stay the same) is shown as confirmed ("confirmed": who, when), neither error nor
warning.

- ``split_mismatch`` (error): a count (unit "st", not an average "per …") whose total is not
  men + women; any other unit (rate, index, days, …) whose total lies outside the range of men
  and women, by more than the rounding of the figures as given.
- ``percentage_out_of_range``: a "%" figure over 100 or below 0: error for a share ("Andel
  …"), warning for other percentages (budget adherence, a forecast deviation may be).
- ``assessment_contradicts_indicators`` (warning): "helt" while none of the goal's own
  indicators meets its annual target, or "ej" while all do (``indicators.status``; only
  indicators with a numeric outcome — the forecast in T1/T2 —, a numeric annual target and a
  direction count). The officer decides, so it is a warning.
- ``activity_without_status`` (error): in a VB every activity without status (by the year's
  end each one is past its end date); in T1/T2 one whose end date is before ``today``.

Cover memo:

- ``decision_figure_not_in_report`` (error): a figure in a proposed decision ("återredovisar
  55,1 mnkr") that neither appears as printed in the report's texts nor equals (absolute value,
  rounded to the decimals printed) a figure of the economy: an operating-budget row's budget,
  outcome, forecast, deviation, adjustment or adjusted deviation, a column total, an
  adjustment column's sum, an income-statement or investment figure or total.

Texts (every text of the report: summary, analyses, descriptions, expected results, indicator and
activity texts, economy, internal control, other sections, proposed decisions):

- ``draft_mark`` (error): "???", "XXX", "TODO", "FIXME", "[fyll i …]", or a question to a
  colleague: a sentence ending in "?" that names the case officer or a signatory, or says
  "kolla", "stämmer det", "rätt siffra" ….
- ``draft_question`` (warning): a bare question in factual text ("… har förvaltningen bytt ut
  bilar?"): a sentence ending in "?" that does not open like a question (with an interrogative
  word or a verb such as "Hur", "Vad", "Är", "Kan") and is not quoted.
- ``draft_note`` (warning): a paragraph that is only a note to self ("Något om resepoliticy").
- ``html_tag`` (error): ``<p>``, ``<br>``, ``</b>``, any ``<tag>`` or an entity (``&nbsp;``).
- ``tertial_wording`` (VB only): error for what never fits an annual report ("hittills under
  året", "prognostiseras att uppnås", "bedöms uppfyllas"); warning for what may fit ("bedöms",
  "prognostiseras", "inför T2", and "prognos" in a goal text, unless the sentence is about T1/T2
  or a later year).
- ``near_duplicate`` (warning): two paragraphs of one text (over 80 characters, without the
  report's stock sentences) that are more than 90 % alike, or share a passage of 100 characters.
- ``duplicate_heading`` (warning): the same subheading twice in one text.
- ``missing_table`` (warning): "Tabellen nedan …" with no table (lines with "|") before the
  next subheading; in the economy text a subheading that has its structured table
  (Investeringar, driftbudget, resultaträkning, a named table) counts, and so does a goal's
  indicator table after its analysis.
- ``cut_off_sentence`` (warning): a paragraph (not a heading, list or table) that ends
  without . ! ? : ; or a closing bracket or quote.
- ``stray_punctuation`` (warning): a space before a comma or full stop ("till , som"): often a
  word is missing.
- ``ratio_mismatch`` (warning): "X av Y" (or "Av totalt Y …, … X …") and one percentage later in
  the same sentence that differ by a unit of the last printed digit or more (94 av 261 = 36 %,
  not 35); in an indicator's analysis also "X av Y kvinnor / män / totalt X av Y" against the
  indicator's outcome for that group.
- ``sum_mismatch`` (warning): "sammanlagt N …, fördelade på A …, B … och C …" or "N personer,
  A män och B kvinnor" where the parts do not add up to N.
- ``summary_heading_mismatch`` (warning): a single-line paragraph of the summary that is
  80–99 % like a goal's title (difflib), i.e. the goal's title slightly changed.
- ``board_goal_wording`` (warning): an area goal's analysis that speaks of "nämndmålet" without
  a number: the board goal's stock sentence pasted into the area goal.
- ``wrong_goal_name`` (warning): a direction goal's analysis naming "inriktningsmålet om …"
  with a name that matches none of the report's direction goals.
- ``missing_section_text``: error for a section with a title and no text (Övrigt); warning for a
  report (T1, T2, VB) without a summary.

Economy:

- ``economy_figure_mismatch`` (warning): a subheading "Barn och ungdom +5,9 mnkr" whose figure
  is neither the area's computed deviation nor its adjusted deviation.
- ``economy_totals_mismatch`` (warning, VB): the income statement's net (this year, last year)
  differs from the operating budget's total bokslut.

The reference report's ``anomalies`` (example-vb-2019-socialnamnden.json), item by item:

1. Draft text in the summary ("uppnåtts ???", "Något om resepoliticy", "bytt ut bilar?
   Uppnått årsmålet miljöbränsle?"): ``draft_mark``, ``draft_note``, ``draft_question``.
2. Summary headings differing from goal titles (1.5, 2.3, 2.2): ``summary_heading_mismatch``.
3. HTML tags in an activity text: ``html_tag`` (the importer removed these tags, so it fires on
   crafted data only).
4. Editing leftovers in parentheses in activity titles: not found: a parenthesis is ordinary
   in a title and nothing marks these as leftovers.
5. Tertial wording in the VB ("inför T2", "hittills under året", "prognostiseras att
   uppnås"): ``tertial_wording``.
6. Direction goal 1's analysis naming another goal: ``wrong_goal_name``.
7. Area goal 1.5's analysis in board-goal wording ("nämndmålet"): ``board_goal_wording``.
8. Misspelt assessments ("Uppfylles helt") are prevented by the data model (a choice); the
   missing one (2.4, "Ingen"): ``missing_assessment``.
9. A sentence cut off in 1.4.1: ``cut_off_sentence``.
10. The subsection "Resurscentrum för adopterade" twice in 1.4.1: ``duplicate_heading``.
11. A missing word in 1.2 ("till , som"): ``stray_punctuation``.
12. A garbled sentence (1.4) and 13. words run together (3.2): not found: that needs a
    grammar or a dictionary.
14. Board goal 1.1.1 without analysis: ``missing_analysis``.
15. Two paragraphs of 2.1 saying almost the same thing: ``near_duplicate`` (a shared passage).
16. "Tabellen nedan visar" with no table: ``missing_table``.
17. Övrigt with a heading and no text: ``missing_section_text``.
18. Bilagor marked "*" and missing: not found: the marks were dropped on import and the data has
    no attachment files to look for.
19. 55,5 mnkr in the prose against 55,1 everywhere else, and 20. 31,4 against 31,3: not found
    as such: prose and table figures cannot be paired reliably (a text names many amounts that
    are in no table). The cover memo's figure (55,1) is checked by
    ``decision_figure_not_in_report``.
21.–22. Facts that contradict each other between goals (1136 vs 1101 persons, nine vs 17
    persons): not found: it needs understanding what the figures count.
23. "76 platser, fördelade på 36 …, 40 … och fem …": ``sum_mismatch``.
24. 94 of 261 is 36 %, not 35: ``ratio_mismatch``.
25. A table headed "tkr" with figures in kronor, and averages that do not follow from the
    table: not found: units and derived columns of a table in text are not machine-readable.
26. 140 VFU places in a table against "cirka 170" in the text: not found (an approximate
    figure and a sum across table rows in text).
27. Rates in an indicator's analysis (0,11 in total, 0,07 and 0,08 by gender): not found: which
    figure belongs to which group is only in the wording.
28. "28 av 52 kvinnor" (54 %) against the women's outcome 47 %, "119 av 189" (63 %) against
    64 %: ``ratio_mismatch`` (indicator analysis against outcome).
29. Aktivt Medskapandeindex 80 outside 81–83: ``split_mismatch``.
30. 100 % for Skolfam when no child finished year 9: not found (needs reading the analysis).
31. "Samtliga medel har investerats" against 4,9 of 5,0, and balance-sheet figures: not found
    (prose against table, see 19).
32. "sjukfrånvaron är 5,2" without a unit: not found: which figures need a unit is a matter of
    wording.
33. Budget adherence before and after result transfers equal: not an error (see the note).
34. Income statement net 1 221,5 against the operating budget's 1 221,6:
    ``economy_totals_mismatch`` (the computed sums of the rows as given: 1 221,5 against
    1 221,8).
35.–36. Printed sums and deviations in the economy tables that do not add up: prevented by the
    data model (sums and deviations are computed, never stored); where a subheading repeats a
    deviation ("Barn och ungdom +5,9 mnkr" against 88,0 − 82,2 = 5,8):
    ``economy_figure_mismatch``.
"""

from ..levels import goal_anchor
from .common import _short
from .engine import review_report
from .findings import (
    CONFIRMED,
    ERROR,
    SEVERITY_LABELS,
    WARNING,
    Finding,
    Severity,
    has_blocking_findings,
)
from .stored import StoredReview, refresh_stored_review, review_stamp, run_review, stored_review

__all__ = [
    "CONFIRMED",
    "ERROR",
    "SEVERITY_LABELS",
    "WARNING",
    "Finding",
    "Severity",
    "StoredReview",
    "_short",
    "goal_anchor",
    "has_blocking_findings",
    "refresh_stored_review",
    "review_report",
    "review_stamp",
    "run_review",
    "stored_review",
]
