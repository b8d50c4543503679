"""The planning app has no models of its own: it sets up the plan kept in ``goals``,
``indicators`` and ``budget``, the board's people in ``reporting``, and the year's reports."""
