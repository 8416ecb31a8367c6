"""What an invitation's e-mail and SMS say: its round kind's words (app/invitations/kinds.py)
in the words of its reader.

Every message names who asks and the organisation, says that answering is voluntary, and
holds LINK where the personal link goes (the outbox puts a fresh one in when it delivers).

An SMS is read on a lock screen, by anyone who sees the phone: it never names the child nor
says what the case is about, and it fits one SMS (app/outbox/segments.py), the link
included. The organisation may be named in at most 25 characters there, the longest
municipality name ("Ringkøbing-Skjern Kommune"); a longer name needs
SAMSTEM_ORGANISATION_SHORT. A name's accented letters outside the GSM alphabet lose their
accent ("Zoë" -> "Zoe"), which would otherwise cut one SMS to 70 characters. Where it still
does not fit (a long PUBLIC_BASE_URL, a long first name), the greeting goes first, then the
full name for the short one; what is left is sent as it is, in more than one SMS.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from app import tokens
from app.invitations.kinds import reader_of, round_kind
from app.invitations.links import sms_url
from app.invitations.models import Invitation
from app.outbox.models import LINK
from app.outbox.segments import fits_one_segment, plain_letters
from app.settings import services as settings

DATE = "d. MMMM yyyy"
SMS_DATE = "d. MMMM"


def first_name(name: str) -> str:
    """Return the first word of a full name."""
    return next(iter(name.split()), name)


def _words(invitation: Invitation) -> dict[str, str]:
    """Return what the kind's texts put in: who asks, the organisation, the child, the dates."""
    round_ = invitation.round
    case = round_.meeting.case
    return {
        "caseworker": case.caseworker.name,
        "organisation": settings.get("organisation_name"),
        "child": case.child.first_name if case.child else "",
        "date": format_date(round_.meeting.held_on, DATE),
        "due": format_date(round_.due_on, DATE) if round_.due_on else "",
    }


def email(invitation: Invitation) -> tuple[str, str]:
    """Return the e-mail's subject and body (holding LINK), in the current locale."""
    kind = round_kind(invitation.round.kind)
    reader = reader_of(invitation.person.role)
    words = _words(invitation)
    paragraphs = [_("Hej %(name)s", name=invitation.person.first_name), kind.email_ask.to(reader) % words]
    if kind.email_more is not None:
        paragraphs.append(kind.email_more.to(reader) % words)
    paragraphs += [
        _("Dit personlige link:") + "\n" + LINK,
        _("Du bestemmer selv, om du vil svare. Linket er kun til dig."),
        _("Venlig hilsen") + "\n" + words["caseworker"] + "\n" + words["organisation"],
    ]
    return kind.email_subject.to(reader) % words, "\n\n".join(paragraphs)


def sms(invitation: Invitation) -> str:
    """Return the SMS (holding LINK): the greeting, who asks from where, "Frivilligt:", the link.

    The first of these that fits one SMS with a link as long as the real one: with the
    greeting and the organisation's full name, without the greeting, then both again with
    the short name.
    """
    round_ = invitation.round
    name = settings.get("organisation_name")
    names = [name, current_app.config.get("ORGANISATION_SHORT_NAME") or name]
    # The child is greeted by no name: hers is never in an SMS.
    greeting = "" if invitation.person.role == "child" else _("Hej %(name)s.", name=invitation.person.first_name)
    link = sms_url(tokens.new_token())
    words = {"caseworker": first_name(round_.meeting.case.caseworker.name),
             "due": format_date(round_.due_on, SMS_DATE) if round_.due_on else ""}
    ask, voluntary = round_kind(round_.kind).sms_ask, _("Frivilligt:")
    texts = [plain_letters(" ".join(filter(None, [hello, ask % (words | {"organisation": name}), voluntary, LINK])))
             for name in names for hello in (greeting, "")]
    return next((text for text in texts if fits_one_segment(text.replace(LINK, link))), texts[-1])
