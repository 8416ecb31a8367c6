"""`flask links …`: destroy the seals of links no longer needed, and seal again after a key rotation."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from app.invitations import issued

links_cli = AppGroup("links", help="Respondents' sealed links: clean up and re-seal.")


@links_cli.command("unseal-expired")
def unseal_expired_command() -> None:
    """Destroy the sealed token of every link opened, revoked, expired or of a decided round.

    `flask outbox send` does the same on every run; this is for a site that sends no messages.
    """
    count = issued.unseal_expired()
    db.session.commit()
    click.echo(f"destroyed {count} sealed link(s)")


@links_cli.command("reseal")
def reseal_command() -> None:
    """Seal every kept link again with the newest key (the first in SAMSTEM_LINK_KEY).

    After it, the older keys can be removed from SAMSTEM_LINK_KEY.
    """
    issued.unseal_expired()
    resealed, unreadable = issued.reseal_all()
    db.session.commit()
    click.echo(f"resealed {resealed} link(s) with the newest key")
    if unreadable:
        click.echo(f"{unreadable} link(s) opened by no configured key: they can only be made anew "
                   "(\"Lav et nyt link\"); was an old key removed too early?", err=True)
