"""Who may see what: roles and team scope, checked in one place."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from app.auth.models import CASE_ROLES
from app.extensions import db

T = TypeVar("T")
# The largest id an integer column holds; a larger number from a URL makes the driver raise.
MAX_ID = 2**31 - 1


def case_work_required(view):
    """Let only case workers and team leaders with a team through."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role not in CASE_ROLES or current_user.team_id is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def check_case_access(case) -> None:
    """Abort with 403 unless the current user's team owns the case."""
    if case.team_id != current_user.team_id:
        abort(403)


def get_by_id(model: type[T], object_id: int) -> T | None:
    """Return the row with this id, or None, also for an id no row can have."""
    return db.session.get(model, object_id) if 0 < object_id <= MAX_ID else None


def owned_or_abort(model: type[T], object_id: int, case_of: Callable[[T], Any]) -> T:
    """Load a row by id: 404 if there is none, 403 unless its case is the user's team's."""
    found = get_by_id(model, object_id)
    if found is None:
        abort(404)
    check_case_access(case_of(found))
    return found
