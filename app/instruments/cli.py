"""`flask instruments …`: check the instrument files an administrator edits."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.instruments.catalogue import (
    InstrumentError,
    check_languages,
    check_wording,
    configured_directory,
    configured_languages,
    configured_staff_languages,
    load_catalogue,
)
from app.instruments.fields import check_messages
from app.instruments.registry import registered

instruments_cli = AppGroup("instruments", help="Check the instrument catalogue (forms/*.toml).")


@instruments_cli.command("validate")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Check this directory instead of the configured one, e.g. new files before they go live.",
)
def validate_command(directory: Path | None) -> None:
    """Load every instrument file and check every text (and every validation message) exists in
    every respondent language (Config.RESPONDENT_LANGUAGES), each reader a
    form is sent to has words of their own, and ends from bad to good are the shared pair."""
    directory = directory or configured_directory(current_app)
    languages = configured_languages(current_app)
    try:
        catalogue = load_catalogue(directory, languages, configured_staff_languages(current_app))
    except InstrumentError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from error
    # Every respondent text in every respondent language: the forms' and the validation messages'.
    problems = check_messages(languages) + check_languages(catalogue) + check_wording(catalogue)
    counts = [f"{len(catalogue)} instruments"]
    # Other areas' catalogues (the indicator forms), loaded again from their directories.
    for name, entry in registered(current_app).items():
        try:
            other = entry.load(current_app)
        except InstrumentError as error:
            click.echo(str(error), err=True)
            raise SystemExit(1) from error
        problems += entry.check(other)
        counts.append(f"{len(other)} {name}")
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"OK: {', '.join(counts)}, languages {', '.join(catalogue.languages)}")
