"""The instrument engine: forms/*.toml loaded, checked, turned into forms, scored and proposed."""

from __future__ import annotations

from flask import Flask

from app.instruments.blocks import Block, Part, Problem, read, word_problems
from app.instruments.catalogue import (
    METHOD_MEETING_KINDS,
    Audience,
    Catalogue,
    Cutoff,
    Instrument,
    InstrumentError,
    Item,
    Scoring,
    check_languages,
    check_wording,
    configured_directory,
    configured_languages,
    configured_staff_languages,
    current_catalogue,
    load_catalogue,
)
from app.instruments.cli import instruments_cli
from app.instruments.fields import (
    answers_from_form,
    build_block_form,
    build_form_class,
    check_messages,
    form_data_from_answers,
)
from app.instruments.proposal import for_feedback, propose
from app.instruments.registry import find_form
from app.instruments.registry import register as register_forms
from app.instruments.scoring import Score, cutoff_for, score

__all__ = [
    "METHOD_MEETING_KINDS",
    "Audience",
    "Block",
    "Part",
    "Problem",
    "Catalogue",
    "Cutoff",
    "Instrument",
    "InstrumentError",
    "Item",
    "Score",
    "Scoring",
    "answers_from_form",
    "build_block_form",
    "build_form_class",
    "check_languages",
    "check_wording",
    "configured_languages",
    "configured_staff_languages",
    "current_catalogue",
    "cutoff_for",
    "find_form",
    "for_feedback",
    "form_data_from_answers",
    "init_app",
    "load_catalogue",
    "propose",
    "read",
    "register_forms",
    "score",
    "word_problems",
]


def init_app(app: Flask) -> None:
    """Load the catalogue into app.extensions["instruments"]; an invalid file stops start-up."""
    app.cli.add_command(instruments_cli)
    catalogue = load_catalogue(configured_directory(app), configured_languages(app), configured_staff_languages(app))
    # A missing translation falls back to Danish, so it warns here and fails only `validate`.
    for problem in check_languages(catalogue):
        app.logger.warning("instrument text missing: %s", problem)
    for problem in check_wording(catalogue):
        app.logger.warning("instrument wording: %s", problem)
    for problem in check_messages(catalogue.languages):
        app.logger.warning("validation message missing: %s", problem)
    app.extensions["instruments"] = catalogue
