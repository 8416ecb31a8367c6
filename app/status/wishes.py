"""Before a meeting: "what do we want to see happen?" (DESIGN.md flow C, INSTRUMENTS.md section 6).

Each chosen participant gets a see-happen form in a round of kind "see_happen"; the case
worker reads every answer for the meeting in one list. Such a round is input for the
agenda, not new information to decide on (its kind of round waits for no decision: app/status/kinds.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.auth.models import User
from app.cases.models import Meeting, Person
from app.instruments import current_catalogue
from app.invitations import services as rounds
from app.invitations.models import Invitation, Round

FORM_ID = "see-happen"
KEYS = ("first", "second", "third")


class WishesError(Exception):
    """The wishes cannot be asked for as chosen; the message says why, for the case worker."""


def ask(meeting: Meeting, user: User, people: list[Person], today) -> tuple[Round, dict[int, str]]:
    """Open a see-happen round for the chosen participants of a meeting that lies ahead; a
    child below the form's minimum age is not asked (issue 11 item 6), and the case worker is told why."""
    if meeting.held_on < today:
        raise WishesError(_("Mødet er holdt. Spørg om ønsker før et møde, der ligger forude."))
    participants = {p.id for p in meeting.participants}
    if not people or any(p.id not in participants for p in people):
        raise WishesError(_("Vælg mindst én af mødets deltagere."))
    refused = not_asked(meeting, people)
    if refused:
        raise WishesError(refused[0])
    return rounds.open_round(meeting, user, {p.id: [FORM_ID] for p in people}, kind="see_happen")


def not_asked(meeting: Meeting, people: list[Person]) -> list[str]:
    """Say, for each of these people the form is not for, why: a child under its minimum age (10
    in forms/see-happen.toml) is not asked to write wishes, and the case worker talks with the child."""
    form = current_catalogue().get(FORM_ID)
    age = meeting.case.child_age(meeting.held_on)
    reasons = []
    for person in people:
        if form.fits(person.role, age, meeting.kind):
            continue
        youngest = min((a.min_age or 0 for a in form.audiences if person.role in a.roles), default=None)
        if youngest is not None and age < youngest:
            reasons.append(_("%(name)s er %(age)s år og bliver ikke spurgt om ønsker: det gør vi fra %(min)s år. "
                             "Tal med %(name)s om det før mødet.", name=person.first_name, age=age, min=youngest))
        else:
            reasons.append(_("%(name)s kan ikke blive spurgt om ønsker før mødet.", name=person.first_name))
    return reasons


@dataclass(frozen=True)
class Wish:
    invitation: Invitation
    status: str
    wishes: tuple[str, ...]

    @property
    def answered(self) -> bool:
        return self.status == "answered"


def wish_list(meeting: Meeting) -> list[Wish]:
    """Return every asked person's answers for the meeting (answered first), and who has not answered."""
    found = []
    for round_ in meeting.rounds:
        if round_.kind != "see_happen":
            continue
        for invitation in round_.invitations:
            response = next((r for r in invitation.current_responses if r.instrument_id == FORM_ID), None)
            answers = response.answers if response is not None and not response.declined else {}
            said = tuple(str(answers[k]).strip() for k in KEYS if answers.get(k) and str(answers[k]).strip())
            found.append(Wish(invitation, invitation.status(), said))
    return sorted(found, key=lambda w: (not w.answered, w.invitation.person_id, w.invitation.id))
