"""Rows that are kept as written: a change is a new row, never an edit of a stored one."""

from collections.abc import Callable

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session


def _never() -> bool:
    return False


def refuse_updates(model: type, error: type[Exception], advice: str, unless: Callable[[], bool] = _never) -> None:
    """Raise `error` when a stored row of `model` is about to change in any column.

    SQLAlchemy calls before_update for every dirty instance, also when only a relationship
    changed (a newer row pointing at this one); that is allowed, a column change is not.
    `unless` names the one moment a change is allowed (it returns True then).
    """

    @event.listens_for(model, "before_update")
    def _refuse(mapper, connection, target) -> None:
        state = inspect(target)
        if unless():
            return
        if any(state.attrs[column.key].history.has_changes() for column in state.mapper.column_attrs):
            raise error(f"{model.__name__} {target.id} is final; {advice}")


def refuse_changes(model: type, error: type[Exception], advice: str, unless: Callable[[], bool] = _never) -> None:
    """Raise `error` when a stored row of `model` is about to change or be deleted through the ORM:
    one by one (an attribute set, session.delete) or in bulk (session.execute(update(model)) or
    delete(model)). `unless` names the one moment it is allowed (it returns True then)."""
    refuse_updates(model, error, advice, unless)

    @event.listens_for(model, "before_delete")
    def _refuse_delete(mapper, connection, target) -> None:
        if not unless():
            raise error(f"{model.__name__} {target.id} is final; {advice}")

    @event.listens_for(Session, "do_orm_execute")
    def _refuse_bulk(state) -> None:
        if (state.is_update or state.is_delete) and not unless():
            mapper = state.bind_mapper
            if mapper is not None and mapper.class_ is model:
                raise error(f"{model.__name__} rows are final; {advice}")
