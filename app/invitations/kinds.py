"""The kinds of round, in one registry: what each collects, how it is answered, decided, sent
and reported. Adding a kind is adding an entry (and its name to `ROUND_KINDS` in
app/invitations/models.py, whose CHECK constraint a migration changes).

The entries live with the area that owns them and register here when their package loads:
feedback below, status and see_happen in app/status/kinds.py, indicators in
app/indicators/kinds.py. A kind whose form is drawn by its own public page (the provider
status, the indicator scoring) registers that page by kind name with app.respond.pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# Who reads a message, by the words it needs: the child or young person herself (addressed as
# "du", never by her name in the third person), an adult around her (a parent, the network: the
# child by first name), a professional (the provider, the school).
READERS = ("child", "adult", "professional")
PROFESSIONAL_ROLES = ("provider", "school")


def reader_of(role: str) -> str:
    """Return which of READERS a person with this role is."""
    if role == "child":
        return "child"
    return "professional" if role in PROFESSIONAL_ROLES else "adult"


@dataclass(frozen=True)
class Words:
    """A text in each reader's words. A reader without words of their own reads the adult's (or,
    for a kind only professionals are asked, the professional's): a kind whose rounds reach the
    child gives her words of her own."""

    adult: LazyString | None = None
    child: LazyString | None = None
    professional: LazyString | None = None

    def to(self, reader: str) -> LazyString:
        """Return the text in the words of this reader (one of READERS)."""
        text = getattr(self, reader) or self.adult or self.professional
        if text is None:
            raise ValueError("Words need at least the adult's or the professional's text")
        return text


@dataclass(frozen=True)
class RoundKind:
    name: str
    label: LazyString
    # The title on the printed hand-out sheet, and the heading of the plain-text summary
    # (with %(kind)s the meeting's kind and %(date)s its date).
    handout_title: LazyString
    summary_heading: LazyString
    # The SMS's request, the same for every reader (app/invitations/messages.py adds the greeting,
    # "Frivilligt:" and the link): %(caseworker)s the case worker's first name, %(organisation)s,
    # %(due)s the due date. It is read on a lock screen: never the child's name, nor what the case is.
    sms_ask: LazyString
    # The e-mail's subject and request in each reader's words (%(caseworker)s, %(organisation)s,
    # %(child)s the child's first name, %(date)s the meeting's date, %(due)s the due date), and any
    # paragraph more on what the form asks.
    email_subject: Words
    email_ask: Words
    email_more: Words | None = None
    # Whether the case worker must take a position on its answers; if not, they are for the agenda.
    waits_for_decision: bool = True
    # Asked before the meeting (wishes, a status) rather than after it.
    before_meeting: bool = False
    # The one form every invitation gets, for kinds that do not choose forms per person.
    own_form: str | None = None
    # Any of the case's people may be asked, not only the meeting's participants.
    asks_whole_case: bool = False
    # Its decision may need a reason, for parts left without a final score (indicator factors).
    asks_unscored_reason: bool = False
    # Templates: the respondent's first page and thank-you page, the answers on staff pages
    # and in the report, the round page's links onward, and any on the reconciliation page.
    intro_partial: str = "respond/_intro_questionnaire.html"
    thanks_partial: str = "respond/_thanks_questionnaire.html"
    answers_partial: str = "invitations/_answers.html"
    round_links_partial: str = "invitations/_round_links.html"
    reconcile_links_partial: str | None = None
    # The answers in the report where answers_partial does not show them, and what that partial
    # reads besides the overview (round -> template names), loaded before the report renders.
    report_partial: str | None = None
    report_context: Callable | None = None
    # Own summary lines, where the heading above does not do; and what the thank-you page needs
    # beyond the invitation (loaded before it renders).
    summary_lines: Callable | None = None
    thanks_context: Callable | None = None


_kinds: dict[str, RoundKind] = {}


def register(kind: RoundKind) -> RoundKind:
    """Add a kind of round to the registry."""
    _kinds[kind.name] = kind
    return kind


def round_kind(name: str) -> RoundKind:
    """Return the registered kind of round with this name."""
    return _kinds[name]


def all_kinds() -> dict[str, RoundKind]:
    """Return every registered kind, by name."""
    return dict(_kinds)


def init_app(app: Flask) -> None:
    """Give every template the kinds of round: their labels, partials and words."""

    @app.context_processor
    def round_kinds() -> dict:
        return {"round_kinds": dict(_kinds), "round_kind_labels": {name: kind.label for name, kind in _kinds.items()}}


def no_decision_kinds() -> tuple[str, ...]:
    """Return the names of the kinds whose answers need no decision."""
    return tuple(name for name, kind in _kinds.items() if not kind.waits_for_decision)


FEEDBACK = register(RoundKind(
    name="feedback",
    label=_l("Feedback"),
    handout_title=_l("Vil du fortælle os, hvordan det går?"),
    summary_heading=_l("Samstem: feedback efter %(kind)s %(date)s"),
    sms_ask=_l("%(caseworker)s fra %(organisation)s spørger, hvordan mødet var for dig."),
    email_subject=Words(adult=_l("Hvordan var mødet den %(date)s?")),
    email_ask=Words(
        adult=_l("%(caseworker)s fra %(organisation)s vil gerne høre, hvordan det går med %(child)s, og hvordan "
                 "mødet den %(date)s var for dig."),
        child=_l("%(caseworker)s fra %(organisation)s vil gerne høre, hvordan du har det, og hvordan mødet "
                 "den %(date)s var for dig."),
    ),
))
