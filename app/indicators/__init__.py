"""Indicator scoring (resultatdokumentation): the 1–5 scale, the outcome table, the measurement
rhythm, the forms in forms/indicators/, rounds, the matrix and final scores.

For the due list: `measurement_due(case, today)` (app.indicators.services) gives the
scheduled measurement date not yet covered by an indicator round, or None.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Load forms/indicators/ (an invalid file stops start-up), register the pages."""
    from app.indicators import models  # noqa: F401  (the schema)
    from app.indicators.catalogue import (
        check_languages,
        configured_directory,
        load_indicator_forms,
    )
    from app.indicators.section import category_label  # noqa: I001  (importing it registers the case page's section)
    from app.indicators.views import bp
    from app.instruments.catalogue import configured_languages

    forms = load_indicator_forms(configured_directory(app), configured_languages(app))
    for problem in check_languages(forms):
        app.logger.warning("indicator form text missing: %s", problem)
    app.extensions["indicator_forms"] = forms
    app.register_blueprint(bp)
    app.add_template_global(category_label)
