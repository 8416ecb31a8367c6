"""Keeping a round open while an answer to it is written: the check and the write share one transaction.

reconcile.decide locks a round with one UPDATE. A writer that checked the round when its
page loaded could store an answer after that UPDATE committed; a writer that checks here,
inside the transaction that writes, cannot.
"""

from sqlalchemy import select

from app.extensions import db
from app.invitations.models import Round


def hold_round_open(round_id: int) -> bool:
    """Return whether the round is open, and keep it open until this transaction ends.

    PostgreSQL: a share lock on the round's row; decide's UPDATE waits for it, and a lock
    committed before it is read here. SQLite: the database's write lock, taken now if this
    transaction holds it not yet, so the read is current and decide waits for the commit.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        # A deferred transaction that read first could not upgrade when another writer
        # holds the lock (SQLite refuses at once); an immediate one waits its turn.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    locked_at = db.session.scalar(select(Round.locked_at).where(Round.id == round_id).with_for_update(read=True))
    return locked_at is None
