"""Form pages for round kinds that the instrument engine's generic form does not draw.

A provider status or an indicator scoring has its own form; its module registers a page
for its round kind, and /r/<token>/form hands such an invitation to that page. The page
gets the invitation (already checked: usable, round not locked) and the token.
"""

from collections.abc import Callable

from flask.typing import ResponseReturnValue

from app.invitations.models import Invitation

FormPage = Callable[[Invitation, str], ResponseReturnValue]
_pages: dict[str, FormPage] = {}


def register(kind: str) -> Callable[[FormPage], FormPage]:
    """Register the decorated function as the form page of one round kind."""

    def decorator(page: FormPage) -> FormPage:
        _pages[kind] = page
        return page

    return decorator


def form_page(kind: str) -> FormPage | None:
    """Return the registered form page of the round kind, or None for the generic form."""
    return _pages.get(kind)
