"""Rows that are kept as written: a change is a new row, never an edit of a stored one."""

from sqlalchemy import event, inspect


def refuse_updates(model: type, error: type[Exception], advice: str) -> None:
    """Raise `error` when a stored row of `model` is about to change in any column.

    SQLAlchemy calls before_update for every dirty instance, also when only a relationship
    changed (a newer row pointing at this one); that is allowed, a column change is not.
    """

    @event.listens_for(model, "before_update")
    def _refuse(mapper, connection, target) -> None:
        state = inspect(target)
        if any(state.attrs[column.key].history.has_changes() for column in state.mapper.column_attrs):
            raise error(f"{model.__name__} {target.id} is final; {advice}")
