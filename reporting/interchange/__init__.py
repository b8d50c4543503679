"""The interchange format (``reporting/schema/report-data.schema.json``): export, validation,
import.

- ``to_json(data)`` writes a report's assembled data as an interchange document: every key of
  the schema (null or [] where empty), numbers as JSON numbers in their shortest form, dates as
  YYYY-MM-DD.
- ``validate(document)`` returns every problem of a document, each with its place in the file
  (``direction_goals[1].area_goals[0].indicators[3].outcome``) and a Swedish message: the
  schema's rules plus what the database needs (unique numbers and names, numbers and texts that
  fit their columns, dates in order, the internal-control scale, commitments only in a unit's
  report).
- ``import_report(document)`` validates fully, then writes everything in one transaction, or
  nothing. It is idempotent: the plan is upserted by natural keys and never deleted (other
  reports of the year may use it); the report's own rows are made to equal the file (updated,
  created, and deleted where the file no longer has them). Every write goes through ``save()``
  or ``delete()`` on an instance, so signal-based audit history sees each change; a row is only
  saved when something in it changed. The status of an existing report is left as it is.

Normalisation: the importer reads a document as follows, so exporting what was imported gives
the same document apart from exactly this.

- An absent key, ``null``, ``""`` and ``[]`` mean the same where the schema allows them; the
  export writes the empty value the schema allows (``null`` for a nullable field, ``[]`` for a
  list, ``""`` for a text that may not be null: a signatory's ``name`` and ``title``).
- Text is stored exactly as given, whitespace included.
- Numbers are exported in their shortest form: ``88.0`` -> ``88``, ``0.030000`` -> ``0.03``.
- ``economy`` with nothing in it (no analysis and no rows or tables) is ``null``.
- ``internal_control`` with neither assessment nor analysis is ``null``; its assessment is
  matched without regard to case and exported as spelt in the scale (``tillräcklig`` ->
  ``Tillräcklig``).
- ``is_total`` absent is ``false``.
- The economy's printed figures (``given_totals``, a row's ``given``, ``adjustment_kinds``) are
  exported only when they hold something, so a document without them exports unchanged; a
  null inside them is an absent figure.
- ``economy.subsections`` absent or ``[]`` (the format before them) is the layout the economy
  always printed: each table with rows under its own heading, each free table under its title,
  then ``analysis`` under "Analys av ekonomin". The importer stores that layout as the report's
  subsections, and a report whose subsections are exactly that layout (and which has no
  introduction) is exported in the old form again, ``subsections: []``.

Outside the document itself: a board's ``administration`` is overwritten by the file's; an
indicator's ``previous_outcome`` is exported from last year's VB when the database holds it
(see ``reporting.assemble``); targets are stored for the imported report's period; the
adjustment kinds are the board's for the year (put in the file's order, never deleted).
"""

from .export import FORMAT_VERSION, json_number, to_json
from .load import from_json, import_report
from .validate import InvalidDocument, Problem, parse, validate

__all__ = [
    "FORMAT_VERSION",
    "InvalidDocument",
    "Problem",
    "from_json",
    "import_report",
    "json_number",
    "parse",
    "to_json",
    "validate",
]
