"""Is this instance ready for traffic: does the database answer, at the schema this code expects?

The schema is current when the database's alembic_version holds exactly the heads of the
migrations shipped with the code (migrations/). Right after a deploy whose migration has
not run yet, or when the database is down, the instance is not ready, and the load balancer
sends its requests elsewhere.
"""

import logging

from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

log = logging.getLogger(__name__)
_HEADS = "samstem_migration_heads"


def migration_heads(app: Flask) -> frozenset[str]:
    """The revisions the shipped migrations end in; read once per process."""
    if _HEADS not in app.extensions:
        directory = app.extensions["migrate"].directory
        app.extensions[_HEADS] = frozenset(ScriptDirectory(directory).get_heads())
    return app.extensions[_HEADS]


def database_revisions() -> frozenset[str]:
    """The revisions the database says it is at (raises SQLAlchemyError if it cannot say)."""
    return frozenset(db.session.scalars(text("SELECT version_num FROM alembic_version")))


def is_ready() -> bool:
    """True when the database answers and is at the shipped migrations' heads.

    Why not is logged (never shown: the answer to a probe says nothing but yes or no).
    """
    try:
        found = database_revisions()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("not ready: the database did not answer (%s)", type(error).__name__)
        return False
    expected = migration_heads(current_app._get_current_object())
    if found != expected:
        log.warning("not ready: the database is at %s, the code expects %s (run flask db upgrade)",
                    sorted(found), sorted(expected))
        return False
    return True
