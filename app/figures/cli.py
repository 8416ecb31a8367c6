"""`flask figures release`: release the figures of closed periods, by hand or by a timer."""

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.figures import releases
from app.figures.facts import first_meeting, load_span
from app.figures.periods import NotAPeriod, Period, closed_since, parse
from app.schedule_lock import run_alone
from app.timestamps import local_today


@click.group("figures")
def figures_cli() -> None:
    """Figures for teams and leaders (FIGURES.md)."""


def _line(outcome: releases.Outcome) -> str:
    row = outcome.release
    if not outcome.new:
        return f"{row.period}: unchanged, version {row.version} stands"
    changed = ", ".join(f"{figure} {count} cell(s)" for figure, count in row.changes.items())
    return f"{row.period}: released version {row.version}" + (f" (changed: {changed})" if changed else "")


@figures_cli.command("release")
@click.option("--period", "period_code", metavar="PERIOD",
              help="One closed period: a quarter (2026-Q3), a half-year (2026-H2) or a month (2026-10).")
@click.option("--all-closed", is_flag=True, help="Every closed quarter, half-year and month since the first meeting.")
@with_appcontext
@run_alone("figures release")
def release_command(period_code: str | None, all_closed: bool) -> None:
    """Compute and store the figures of closed periods as a dated, versioned release.

    A period already released gets a new version only when a published count changed. A month is
    released only where no cell would be hidden.
    """
    if bool(period_code) == all_closed:
        raise click.UsageError("give either --period PERIOD or --all-closed")
    today = local_today()
    if period_code:
        try:
            period = parse(period_code)
        except NotAPeriod:
            raise click.BadParameter(f"{period_code!r} is no period: write 2026-Q3, 2026-H2 or 2026-10",
                                     param_hint="--period") from None
        try:
            click.echo(_line(releases.release(period, today)))
        except releases.Refused as refused:
            raise click.ClickException(str(refused)) from None
        db.session.commit()
        return
    first = first_meeting()
    if first is None:
        click.echo("Nothing to release: no meeting has had a feedback round yet.")
        return
    periods = closed_since(first, today)
    if not periods:
        click.echo("Nothing to release: no period has closed since the first meeting.")
        return
    # The history is read once for every period (each takes the rows before its end).
    span = Period(min(p.start for p in periods), max(p.end for p in periods), "span", "all")
    read = load_span(span)
    for period in periods:
        try:
            click.echo(_line(releases.release(period, today, read)))
        except releases.Refused as refused:
            click.echo(f"{period.code}: not released. {refused}")
        db.session.commit()
