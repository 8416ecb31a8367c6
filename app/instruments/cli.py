"""`flask instruments …`: check the instrument files an administrator edits."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.instruments.catalogue import (
    InstrumentError,
    check_languages,
    configured_directory,
    configured_languages,
    load_catalogue,
)

instruments_cli = AppGroup("instruments", help="Check the instrument catalogue (forms/*.toml).")


@instruments_cli.command("validate")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Check this directory instead of the configured one, e.g. new files before they go live.",
)
def validate_command(directory: Path | None) -> None:
    """Load every instrument file and check every text exists in every language."""
    directory = directory or configured_directory(current_app)
    languages = configured_languages(current_app)
    try:
        catalogue = load_catalogue(directory, languages)
    except InstrumentError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from error
    problems = check_languages(catalogue)
    # The indicator forms (forms/indicators/) are checked too; imported here, because
    # app.indicators.catalogue itself imports this package.
    from app.indicators.catalogue import check_languages as check_indicator_languages
    from app.indicators.catalogue import configured_directory as indicator_directory
    from app.indicators.catalogue import load_indicator_forms

    try:
        indicator_forms = load_indicator_forms(indicator_directory(current_app), languages)
    except InstrumentError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from error
    problems += check_indicator_languages(indicator_forms)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(
        f"OK: {len(catalogue)} instruments, {len(indicator_forms)} indicator forms, "
        f"languages {', '.join(catalogue.languages)}"
    )
