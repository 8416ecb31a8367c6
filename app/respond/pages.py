"""What every public page reached by a token shares: the limit on wrong tokens, the
language choice, the page frame, the thank-you redirect, and the form pages of round kinds.

A provider status or an indicator scoring has its own form; its area's public module
registers a page for its round kind, and /r/<token>/form hands such an invitation to that
page. The page gets the invitation (already checked: usable, round not locked) and the token.
This module is not a view module: the public pages of every area import it, never each other.
"""

from collections.abc import Callable

from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from app.cases.models import Case, Person
from app.extensions import limiter
from app.invitations.models import Invitation
from app.respond import services

FormPage = Callable[[Invitation, str], ResponseReturnValue]
_pages: dict[str, FormPage] = {}

# Failed look-ups count against the client; correct tokens never do.
token_failures = limiter.shared_limit(
    lambda: current_app.config["TOKEN_FAILURE_LIMIT"],
    scope="token-failures",
    deduct_when=lambda response: response.status_code == 404,
)


def register(kind: str) -> Callable[[FormPage], FormPage]:
    """Register the decorated function as the form page of one round kind."""

    def decorator(page: FormPage) -> FormPage:
        _pages[kind] = page
        return page

    return decorator


def form_page(kind: str) -> FormPage | None:
    """Return the registered form page of the round kind, or None for the generic form."""
    return _pages.get(kind)


def choose_language(person: Person | None) -> None:
    """Take ?lang= as the respondent's choice; otherwise the person's stored preference."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
    elif session.get("lang") not in languages and person is not None:
        g.lang = person.language if person.language in languages else None


class RoundClosed(Exception):
    """The round is locked: the link still works, but only to say thank you.

    Raised when the page loads; a round locked while the answer was on its way surfaces
    as services.RoundLocked from the writing service, and is shown the same way.
    """

    def __init__(self, invitation: Invitation, token: str):
        self.invitation, self.token = invitation, token


def load_invitation(token: str) -> Invitation:
    """Return the token's invitation; 404 for a dead link, the closed page for a locked round."""
    invitation = services.find_invitation(token)
    choose_language(invitation.person if invitation else None)
    if invitation is None:
        abort(404)
    if invitation.round.is_locked:
        raise RoundClosed(invitation, token)
    return invitation


def render_public(template: str, case: Case, token: str, **context) -> str:
    """Render a public page: only the child's first name, the case worker and the organisation
    say whose it is (DESIGN.md §3), nothing a stranger who finds the phone could trace."""
    return render_template(
        template,
        token=token,
        child_name=case.child.first_name if case.child else "",
        caseworker_name=case.caseworker.name,
        organisation=services.organisation(),
        **context,
    )


def render_page(template: str, invitation: Invitation, token: str, **context):
    return render_public(
        template,
        invitation.round.meeting.case,
        token,
        invitation=invitation,
        instruments=services.instruments_of(invitation),
        # Adults answering the child's forms read them worded about the child.
        about_child=invitation.person.role != "child",
        **context,
    )


def thank(token: str):
    """Send the respondent to the thank-you page; the request boundary commits before it leaves.

    The service stored the answer under a lock on the link (see app.respond.services), so
    that commit has no race left to lose: nothing is swallowed here.
    """
    return redirect(url_for("respond.thanks", token=token))
