"""What every public page reached by a token shares: the limit on wrong tokens, the
language choice, the page frame, the thank-you redirect, and the form pages of round kinds.

A provider status or an indicator scoring has its own form; its area's public module
registers a page for its round kind, and /r/<token>/form hands such an invitation to that
page. The page gets the invitation (already checked: usable, round not locked) and the token.
This module is not a view module: the public pages of every area import it, never each other.
"""

import math
import time
from collections.abc import Callable
from datetime import date
from functools import wraps

from flask import (
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from limits import parse
from werkzeug.exceptions import NotFound

from app.cases.models import Case, Person
from app.extensions import limiter
from app.invitations.models import Invitation
from app.respond import notices, services

FormPage = Callable[[Invitation, str], ResponseReturnValue]
_pages: dict[str, FormPage] = {}

def token_failures(view: Callable) -> Callable:
    """Count the page's dead links (404) against the client's address and against everyone.

    A working link is looked up and served first, whatever the counts: people at a meeting
    share one Wi-Fi or carrier address, and their links must never be refused because of
    someone else's typos. Only a dead link over either limit (TOKEN_FAILURE_LIMIT per address,
    TOKEN_FAILURE_GLOBAL_LIMIT for all) gets the waiting page at once, with Retry-After and
    how many minutes to wait; nothing is slowed down on purpose, which would tie up workers.
    """

    @wraps(view)
    def counted(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except NotFound:
            wait = _count_failure()
            if wait is None:
                raise
            response = make_response(render_template("respond/error.html", code=429,
                                                     wait_minutes=math.ceil(wait / 60)), 429)
            response.headers["Retry-After"] = str(wait)
            return response

    return counted


def _count_failure() -> int | None:
    """Count one dead link; return the seconds to wait if a limit is passed, else None."""
    strategy = limiter.limiter
    counts = [(parse(current_app.config["TOKEN_FAILURE_LIMIT"]), get_remote_address()),
              (parse(current_app.config["TOKEN_FAILURE_GLOBAL_LIMIT"]), "everyone")]
    passed = [(item, key) for item, key in counts if not strategy.hit(item, "token-failures", key)]
    if not passed:
        return None
    reset = max(strategy.get_window_stats(item, "token-failures", key).reset_time for item, key in passed)
    return max(1, math.ceil(reset - time.time()))


def register(kind: str) -> Callable[[FormPage], FormPage]:
    """Register the decorated function as the form page of one round kind."""

    def decorator(page: FormPage) -> FormPage:
        _pages[kind] = page
        return page

    return decorator


def form_page(kind: str) -> FormPage | None:
    """Return the registered form page of the round kind, or None for the generic form."""
    return _pages.get(kind)


def choose_language(person: Person | None, link=None) -> None:
    """Set the page's language: ?lang= (the picker) first, then the one the link remembers,
    then the person's stored preference; without any, the browser's (app.i18n.select_locale).

    The choice is remembered on the link (an invitation or an observation link: its language
    column), never in the session, which a shared tablet would pass on to the next person.
    """
    languages = current_app.config["RESPONDENT_LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        g.lang = chosen
        if link is not None and link.language != chosen:
            link.language = chosen
    elif link is not None and link.language in languages:
        g.lang = link.language
    elif person is not None and person.language in languages:
        g.lang = person.language


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
    choose_language(invitation.person if invitation else None, invitation)
    if invitation is None:
        abort(404)
    if invitation.round.is_locked:
        raise RoundClosed(invitation, token)
    return invitation


def render_public(template: str, case: Case, token: str, reader: str = notices.ADULT, **context) -> str:
    """Render a public page: only the child's first name, the case worker and the organisation
    say whose it is (DESIGN.md §3), nothing a stranger who finds the phone could trace.

    The page says where the answers go in the reader's words (app.respond.notices), and a
    child's page shows where a child can get help now (base.html's footer).
    """
    child_name = case.child.first_name if case.child else ""
    return render_template(
        template,
        token=token,
        child_name=child_name,
        caseworker_name=case.caseworker.name,
        organisation=services.organisation(),
        where_answers_go=notices.where_answers_go(reader, case.caseworker.name, child_name),
        for_child=reader != notices.ADULT,
        **context,
    )


def render_page(template: str, invitation: Invitation, token: str, **context):
    case = invitation.round.meeting.case
    return render_public(
        template,
        case,
        token,
        reader=notices.audience(invitation.person.role, case.child_age(date.today())),
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
