"""Measures (indsatser) on the intervention ladder (indsatstrappen): the ladder file, the case's
measures over time, and what the figures read from them (FIGURES.md K8, K9)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Load the ladder file (a broken file stops start-up) and let `flask instruments validate` check it."""
    from app.instruments import configured_staff_languages, register_forms
    from app.measures import models  # noqa: F401  (the schema)
    from app.measures.ladder import check_ladder, configured_file, load_ladder

    def load(app: Flask):
        return load_ladder(configured_file(app))

    ladder = load(app)
    # Only staff read the ladder: its names exist in the staff pages' languages.
    for problem in check_ladder(ladder, configured_staff_languages(app)):
        app.logger.warning("ladder text missing: %s", problem)
    app.extensions["ladder"] = ladder
    register_forms(app, "ladder rungs", ladder, load,
                   lambda loaded: check_ladder(loaded, configured_staff_languages(app)))
