"""Indicator scoring (resultatdokumentation): the 1–5 scale, the outcome table, the measurement
rhythm, the forms in forms/indicators/, rounds, the matrix and final scores.

The schedule's rules are pure functions (app.indicators.schedule): the case page and the due
list apply them to what they have already loaded.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Load forms/indicators/ (an invalid file stops start-up)."""
    from app.indicators import models  # noqa: F401  (the schema)
    from app.indicators.catalogue import (
        check_forms,
        configured_directory,
        load_indicator_forms,
    )
    from app.indicators.section import category_label
    from app.instruments import (
        configured_languages,
        configured_staff_languages,
        register_forms,
    )

    def load(app: Flask):
        return load_indicator_forms(configured_directory(app), configured_languages(app),
                                    configured_staff_languages(app))

    forms = load(app)
    for problem in check_forms(forms):
        app.logger.warning("indicator form text missing: %s", problem)
    app.extensions["indicator_forms"] = forms
    # The respondent's pages find an indicator round's form by id through the engine.
    register_forms(app, "indicator forms", forms, load, check_forms)
    app.add_template_global(category_label)
