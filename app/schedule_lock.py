"""One run at a time of a scheduled command, however many hosts run its timer.

Every host may run `flask outbox send` every minute and `flask purge` every night; a run
that finds another run of the same command still going exits quietly instead of doing the
work twice. On PostgreSQL the lock is a session-level advisory lock (pg_try_advisory_lock)
held on a connection of its own for the whole run: every host sees it, and the server
releases it when that connection ends, so a run that dies never leaves it behind. SQLite is
one host's database, so a file lock beside the database file is enough (an in-memory
database is one process's, and needs none).

    @outbox_cli.command("send")
    @run_alone("outbox send")
    def send_command(): ...

or, where a decorator does not fit, `with held("purge") as mine: if mine: ...`.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.extensions import db

BUSY = "another run of `{name}` holds the lock; this run did nothing"


def lock_key(name: str) -> int:
    """The advisory lock's number for a command: the same on every host, a signed 64-bit int."""
    digest = hashlib.sha256(f"samstem:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def held(name: str) -> Iterator[bool]:
    """Try to take the lock named `name`; yield True if this run holds it, False if another does.

    Never waits: a second run is meant to give way, not to queue up behind the first.
    """
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, lock_key(name)) as mine:
            yield mine
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        with _file_lock(Path(f"{engine.url.database}.{lock_key(name):x}.lock")) as mine:
            yield mine
    else:
        yield True


@contextmanager
def _advisory_lock(engine: Engine, key: int) -> Iterator[bool]:
    # AUTOCOMMIT: the lock belongs to the connection, and no transaction is left idle for the run.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        mine = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))
        try:
            yield mine
        finally:
            if mine:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


@contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_alone(name: str) -> Callable:
    """Decorate a click command so it runs only while it holds the lock `name`.

    A run that finds the lock taken says so on stderr and exits with status 0: nothing is
    wrong, the other run does the work.
    """

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def alone(*args, **kwargs):
            with held(name) as mine:
                if not mine:
                    click.echo(BUSY.format(name=name), err=True)
                    return None
                return command(*args, **kwargs)

        return alone

    return decorate
