"""`flask outbox …`: deliver waiting e-mail and SMS, and see what is stuck.

A scheduler runs `flask outbox send` every minute (deploy/samstem-outbox.timer), on as many
hosts as run Samstem: a run holds a lock (app/schedule_lock.py) and one that finds another
run still going exits quietly, so two runs never overlap. Each run first destroys the seals of
links no longer needed (app/invitations/issued.py) and queues the reminders due
(app/status/sending.py).
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.invitations import issued
from app.outbox.models import OutboxMessage
from app.outbox.senders import OutboxError, mask
from app.outbox.services import deliver, status
from app.schedule_lock import run_alone
from app.status.sending import send_reminders

outbox_cli = AppGroup("outbox", help="Deliver and inspect the e-mail and SMS outbox.")


@outbox_cli.command("send")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True,
              help="Try at most this many messages in this run.")
@run_alone("outbox send")
def send_command(limit: int) -> None:
    """Queue the reminders due, try every unsent message once, oldest first, and print what happened."""
    try:
        issued.unseal_expired()
        reminded = send_reminders()
        db.session.commit()
        delivery = deliver(limit)
    except OutboxError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"sent {delivery.sent}, failed {delivery.failed}, given up {delivery.given_up}")
    if reminded:
        click.echo(f"reminders queued: {reminded}")
    if delivery.sent and not current_app.config.get("MAIL_SERVER"):
        click.echo("note: MAIL_SERVER is not set, so e-mail was written to the log, not sent", err=True)


def _line(message: OutboxMessage) -> str:
    return (f"  #{message.id} {message.channel} to {mask(message.recipient)}, "
            f"{message.attempts} attempt(s): {message.last_error}")


@outbox_cli.command("status")
def status_command() -> None:
    """Print how many messages wait, fail (with the last error) and were given up."""
    found = status()
    click.echo(f"waiting: {found.waiting}")
    click.echo(f"failed, will be retried: {found.failed}")
    for message in found.failing:
        click.echo(_line(message))
    click.echo(f"given up: {found.given_up}")
    for message in found.recently_given_up:
        click.echo(_line(message))
    click.echo(f"sent: {found.sent}")
