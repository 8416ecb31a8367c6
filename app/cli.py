"""Command-line tasks: users, demo data, the record of processing, the outbox and links groups, and
the retention purge."""

import re

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.auth.models import CASE_ROLES, ROLES, Team, User
from app.extensions import db
from app.figures.cli import figures_cli
from app.invitations.cli import links_cli
from app.outbox.cli import outbox_cli
from app.retention.cli import purge_command

# The same shape the person form accepts (app/cases/forms.py).
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _team(name: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        db.session.add(team)
    return team


@click.command("create-user")
@click.argument("username")
@click.option("--name", required=True, help="Full name, shown to respondents for case workers.")
@click.option("--role", "roles", type=click.Choice(ROLES), multiple=True, default=("caseworker",), show_default=True,
              help="A role; repeat the option for several (--role team_leader --role admin).")
@click.option("--team", "team_name", help="Team name; created if it does not exist.")
@click.option("--email", help="Where a case worker is told that something new waits on a case (optional).")
@click.password_option()
@with_appcontext
def create_user(username: str, name: str, roles: tuple[str, ...], team_name: str | None, email: str | None,
                password: str) -> None:
    """Create a staff user."""
    if db.session.scalar(select(User).where(User.username == username)):
        raise click.ClickException(f"user {username!r} already exists")
    if not set(roles).isdisjoint(CASE_ROLES) and not team_name:
        raise click.ClickException("case workers and team leaders need --team")
    email = (email or "").strip() or None
    if email is not None and (len(email) > 254 or not EMAIL.fullmatch(email)):
        raise click.ClickException(f"{email!r} is not an e-mail address")
    user = User(username=username, name=name, roles=set(roles), team=_team(team_name) if team_name else None, email=email)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {' '.join(r for r in ROLES if r in roles)} {username}")


@click.command("demo-data")
@click.option("--base-url", metavar="URL",
              help="Where the demo is served, e.g. http://127.0.0.1:8080 (make run passes its PORT); the "
                   "printed links start with it. Default http://127.0.0.1:5000. PUBLIC_BASE_URL, when set, "
                   "wins: it is where respondents reach Samstem.")
@with_appcontext
def demo_data(base_url: str | None) -> None:
    """Create a demo team, the case worker demo/demo and Emma's case with an open round, and a
    demo organisation (two teams' cases over six quarters) with its figures released.

    Prints one line per open link, `<role> <url>`, and the demo accounts on stderr. When the
    demo is already there it is not made twice: the open links are given fresh tokens and
    printed again instead.
    """
    from app.demo import create_demo, existing_demo, renew_open_links
    from app.demo_organisation import create_organisation

    base = current_app.config.get("PUBLIC_BASE_URL") or base_url or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        case = existing_demo()
        if case is None:
            links = create_demo()
        else:
            links = renew_open_links(case)
            db.session.commit()
            click.echo(
                "The demo already exists (Emma's case DEMO-1; log in as demo/demo), so nothing new was made. "
                "Fresh links to the forms still open follow; the links printed before no longer work. "
                "To start afresh, empty the database (make run: delete instance/samstem.sqlite).", err=True)
        accounts = create_organisation()
        db.session.commit()
        click.echo("Demo accounts (username/password): demo/demo (caseworker, Emma's case); "
                   + "; ".join(f"{user}/{password} ({role})" for role, user, password in accounts), err=True)
        for role, url in links:
            click.echo(f"{role} {url}")


@click.group("privacy")
def privacy_cli() -> None:
    """For the data protection officer."""


@privacy_cli.command("inventory")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True)
@with_appcontext
def privacy_inventory(lang: str) -> None:
    """Print the record of processing (Markdown): every table and column holding personal data,
    its purpose, its retention rule and who can see it, from the models' descriptions."""
    from flask_babel import force_locale

    from app import privacy_record

    missing = privacy_record.gaps(db.metadata)
    if missing:
        raise click.ClickException("the models' privacy descriptions are incomplete:\n" + "\n".join(missing))
    with force_locale(lang):
        click.echo(privacy_record.markdown(db.metadata))


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(demo_data)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(purge_command)
    app.cli.add_command(links_cli)
    app.cli.add_command(figures_cli)
