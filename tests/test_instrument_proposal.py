"""Which forms Samstem proposes to a participant, from role, child's age, meeting kind and exemption."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.instruments import Catalogue, load_catalogue, propose

FORMS = Path(__file__).resolve().parents[1] / "forms"
CATALOGUE: Catalogue = load_catalogue(FORMS, ["da", "en"])

NETWORK = "network_meeting"
# A meeting that is no network meeting or family group conference: FIT outcome, then session.
OTHER = "startup"

# (rule, role, child_age, meeting_kind, fit_exempt, max_forms, expected ids)
CASES: list[tuple[str, str, int | None, str, bool, int, list[str]]] = [
    ("DESIGN.md §2A: a child of 9 gets the child outcome and session scales", "child", 9, OTHER, False, 2,
     ["fit-outcome-child", "fit-session-child"]),
    ("DESIGN.md §2A: a parent gets the outcome scale about the child and the session scale", "mother", 9, OTHER,
     False, 2, ["fit-outcome-child", "fit-session"]),
    ("DESIGN.md §2A: network members get the participation evaluation", "network", 9, NETWORK, False, 2,
     ["participation-network"]),
    ("INSTRUMENTS.md §2: the provider evaluates participation as an adult", "provider", 9, NETWORK, False, 2,
     ["participation-adult"]),
    ("DESIGN.md §2A: a person exempt from FIT gets no FIT form", "child", 9, NETWORK, True, 2,
     ["participation-child"]),
    ("DESIGN.md §2A: a child of 14 gets the youth versions", "child", 14, OTHER, False, 2,
     ["fit-outcome", "fit-session"]),
    ("INSTRUMENTS.md §1: 13 is a youth; the bound is inclusive", "child", 13, OTHER, False, 2,
     ["fit-outcome", "fit-session"]),
    ("INSTRUMENTS.md §1: 12 is still a child", "child", 12, OTHER, False, 2,
     ["fit-outcome-child", "fit-session-child"]),
    ("INSTRUMENTS.md §1: a child of 4 gets the five-faces forms", "child", 4, OTHER, False, 2,
     ["fit-outcome-young", "fit-session-young"]),
    ("Brief: parents of a young child rate the child on the adult outcome form", "father", 4, OTHER, False, 2,
     ["fit-outcome", "fit-session"]),
    ("INSTRUMENTS.md §1: parents about a child 13+ use the adult outcome form", "carer", 15, OTHER, False, 2,
     ["fit-outcome", "fit-session"]),
    ("Brief: outcome before session before participation at a follow-up, when more forms are allowed", "mother",
     15, "follow_up", False, 3, ["fit-outcome", "fit-session", "participation-follow-up"]),
    ("Issue 10 item 18: at a network meeting participation comes first, the outcome scale second, and no session "
     "scale even when more forms are allowed", "mother", 15, NETWORK, False, 3, ["participation-adult", "fit-outcome"]),
    ("INSTRUMENTS.md §2: the participation form for children runs to 17", "child", 17, "family_group_conference",
     False, 3, ["participation-child", "fit-outcome"]),
    ("Issue 10 item 18: an exempt parent at a conference gets the participation form alone", "father", 9,
     "family_group_conference", True, 2, ["participation-adult"]),
    ("Brief: an exempt parent of a 15-year-old gets only the participation form", "mother", 15, NETWORK, True, 2,
     ["participation-adult"]),
    ("INSTRUMENTS.md §2: the follow-up form is for everyone at the follow-up meeting", "network", 9, "follow_up",
     False, 2, ["participation-follow-up"]),
    ("INSTRUMENTS.md §2: the school answers at the follow-up", "school", 15, "follow_up", False, 2,
     ["participation-follow-up"]),
    ("INSTRUMENTS.md §2: at a follow-up an exempt child gets the follow-up form", "child", 9, "follow_up", True, 2,
     ["participation-follow-up"]),
    ("INSTRUMENTS.md §2: at a follow-up FIT comes first for a child", "child", 9, "follow_up", False, 3,
     ["fit-outcome-child", "fit-session-child", "participation-follow-up"]),
    ("INSTRUMENTS.md §2: participation forms follow network meetings and conferences, not start-up meetings",
     "network", 9, "startup", False, 2, []),
    ("INSTRUMENTS.md §1: FIT is asked at every meeting", "mother", 9, "informal", False, 2,
     ["fit-outcome-child", "fit-session"]),
    ("Brief: an unknown age matches only audiences without age bounds", "mother", None, "follow_up", False, 3,
     ["fit-session", "participation-follow-up"]),
    ("Brief: a child of unknown age gets no age-banded form", "child", None, NETWORK, False, 2, []),
    ("INSTRUMENTS.md §1: the case's child aged 18+ is outside every child audience", "child", 19, NETWORK, False, 2,
     []),
    ("Brief: a role no instrument names gets nothing", "coordinator", 9, NETWORK, False, 2, []),
    ("Brief: max_forms caps the proposal", "child", 9, OTHER, False, 1, ["fit-outcome-child"]),
    ("Issue 10 item 18: max_forms caps the proposal at a network meeting too", "child", 9, NETWORK, False, 1,
     ["participation-child"]),
    ("Brief: max_forms of 0 proposes nothing", "child", 9, NETWORK, False, 0, []),
]


@pytest.mark.parametrize(
    ("rule", "role", "child_age", "meeting_kind", "fit_exempt", "max_forms", "expected"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_propose(
    rule: str,
    role: str,
    child_age: int | None,
    meeting_kind: str,
    fit_exempt: bool,
    max_forms: int,
    expected: list[str],
) -> None:
    """DESIGN.md §2A and INSTRUMENTS.md §1–2: forms proposed per participant."""
    proposed = propose(
        CATALOGUE,
        role=role,
        child_age=child_age,
        meeting_kind=meeting_kind,
        fit_exempt=fit_exempt,
        max_forms=max_forms,
    )
    assert [i.id for i in proposed] == expected, rule


def test_default_is_at_most_two_forms() -> None:
    """DESIGN.md §1: a child answers 1–2 very short forms."""
    proposed = propose(CATALOGUE, role="child", child_age=15, meeting_kind=OTHER, fit_exempt=False)
    assert [i.id for i in proposed] == ["fit-outcome", "fit-session"]
    proposed = propose(CATALOGUE, role="child", child_age=15, meeting_kind=NETWORK, fit_exempt=False)
    assert [i.id for i in proposed] == ["participation-child", "fit-outcome"]


# --- Every role × meeting kind × age band (issue 10 item 18) ---------------------------------
# The rule, issue 10 item 18 (the guide on network-involving methods; INSTRUMENTS.md §2): after a
# network meeting or a family group conference the child, the parents and the network are proposed
# their participation evaluation first, the FIT outcome form second for the child and parents, and
# no session scale (it belongs to the other meetings). Such a meeting that follows an earlier one of
# either kind on the case proposes participation-follow-up instead of the first evaluation. At the
# other meetings, FIT outcome then session (DESIGN.md §2A), then at a follow-up meeting
# participation-follow-up; at most two forms each (DESIGN.md §1). Age bands: INSTRUMENTS.md §1–2
# (under 6, 6–12, 13–17; 18+ is outside every child audience), each tried at both ends, and an
# unknown age. `fit_session` ("FIT-samtale", issue 10 item 16) is a kind no file names: it takes
# every file's default, like any kind added later.

AGE_BANDS: dict[str, tuple[int | None, ...]] = {
    "under 6": (0, 5), "6-12": (6, 12), "13-17": (13, 17), "18+": (18, 22), "unknown": (None,),
}
# (meeting kind, whether a network meeting or family group conference was held on the case before)
FIRST_METHOD = {("network_meeting", False), ("family_group_conference", False)}
LATER_METHOD = {("network_meeting", True), ("family_group_conference", True)}
FOLLOW_UP = {("follow_up", False), ("follow_up", True)}
OTHER_KINDS = {(kind, earlier) for kind in ("startup", "action_plan", "notification", "informal", "fit_session")
               for earlier in (False, True)}
EVERY_MEETING = FIRST_METHOD | LATER_METHOD | FOLLOW_UP | OTHER_KINDS
PARENTS = ("mother", "father", "carer")
NOT_6_12 = ("under 6", "13-17", "18+")

# (roles, age bands, meetings, the forms proposed, in order)
TABLE: list[tuple[tuple[str, ...], tuple[str, ...], set[tuple[str, bool]], list[str]]] = [
    # The child: no participation form under 6; no child form at all from 18 or at an unknown age.
    (("child",), ("under 6",), FIRST_METHOD | LATER_METHOD, ["fit-outcome-young"]),
    (("child",), ("under 6",), FOLLOW_UP | OTHER_KINDS, ["fit-outcome-young", "fit-session-young"]),
    (("child",), ("6-12",), FIRST_METHOD, ["participation-child", "fit-outcome-child"]),
    (("child",), ("6-12",), LATER_METHOD, ["participation-follow-up", "fit-outcome-child"]),
    (("child",), ("6-12",), FOLLOW_UP | OTHER_KINDS, ["fit-outcome-child", "fit-session-child"]),
    (("child",), ("13-17",), FIRST_METHOD, ["participation-child", "fit-outcome"]),
    (("child",), ("13-17",), LATER_METHOD, ["participation-follow-up", "fit-outcome"]),
    (("child",), ("13-17",), FOLLOW_UP | OTHER_KINDS, ["fit-outcome", "fit-session"]),
    (("child",), ("18+", "unknown"), EVERY_MEETING, []),
    # Parents and carers: the outcome form about the child by its age band.
    (PARENTS, ("6-12",), FIRST_METHOD, ["participation-adult", "fit-outcome-child"]),
    (PARENTS, ("6-12",), LATER_METHOD, ["participation-follow-up", "fit-outcome-child"]),
    (PARENTS, ("6-12",), FOLLOW_UP | OTHER_KINDS, ["fit-outcome-child", "fit-session"]),
    (PARENTS, NOT_6_12, FIRST_METHOD, ["participation-adult", "fit-outcome"]),
    (PARENTS, NOT_6_12, LATER_METHOD, ["participation-follow-up", "fit-outcome"]),
    (PARENTS, NOT_6_12, FOLLOW_UP | OTHER_KINDS, ["fit-outcome", "fit-session"]),
    (PARENTS, ("unknown",), FIRST_METHOD, ["participation-adult"]),
    (PARENTS, ("unknown",), LATER_METHOD, ["participation-follow-up"]),
    (PARENTS, ("unknown",), FOLLOW_UP, ["fit-session", "participation-follow-up"]),
    (PARENTS, ("unknown",), OTHER_KINDS, ["fit-session"]),
    # The network, the provider and the school: participation only, whatever the child's age.
    (("network",), tuple(AGE_BANDS), FIRST_METHOD, ["participation-network"]),
    (("provider", "school"), tuple(AGE_BANDS), FIRST_METHOD, ["participation-adult"]),
    (("network", "provider", "school"), tuple(AGE_BANDS), LATER_METHOD | FOLLOW_UP, ["participation-follow-up"]),
    (("network", "provider", "school"), tuple(AGE_BANDS), OTHER_KINDS, []),
]


def _expanded(row: tuple) -> list[tuple[str, int | None, str, bool]]:
    roles, bands, meetings, _ = row
    return [(role, age, kind, earlier) for role in roles for band in bands for age in AGE_BANDS[band]
            for kind, earlier in sorted(meetings)]


def test_the_table_covers_every_role_meeting_kind_and_age_band_once() -> None:
    """Issue 10 item 18: the table below holds one expectation for every combination."""
    from app.instruments.catalogue import MEETING_KINDS, ROLES

    covered = [combination for row in TABLE for combination in _expanded(row)]
    kinds = MEETING_KINDS | {"fit_session"}
    every = {(role, age, kind, earlier) for role in ROLES for ages in AGE_BANDS.values() for age in ages
             for kind in kinds for earlier in (False, True)}
    assert len(covered) == len(set(covered)), "a combination is in the table twice"
    assert set(covered) == every, f"missing: {sorted(every - set(covered), key=str)[:5]}"


@pytest.mark.parametrize("row", TABLE, ids=[f"{n}-{'+'.join(r[0])}-{'+'.join(r[1])}" for n, r in enumerate(TABLE, 1)])
def test_proposal_for_every_role_meeting_kind_and_age_band(row) -> None:
    """Issue 10 item 18, DESIGN.md §2A, INSTRUMENTS.md §1–2: the forms ticked for each person."""
    expected = row[3]
    wrong = []
    for role, age, kind, earlier in _expanded(row):
        proposed = [i.id for i in propose(CATALOGUE, role=role, child_age=age, meeting_kind=kind, fit_exempt=False,
                                          earlier_method_meeting=earlier)]
        if proposed != expected:
            wrong.append(f"{role}, age {age}, {kind}{' after an earlier one' if earlier else ''}: {proposed}")
    assert not wrong, f"expected {expected}, got:\n" + "\n".join(wrong)


def test_an_exempt_child_at_a_later_network_meeting_gets_the_follow_up_form_alone() -> None:
    """Issue 10 item 18 and DESIGN.md §2A: the exemption removes the FIT form, not the participation form."""
    proposed = propose(CATALOGUE, role="child", child_age=9, meeting_kind=NETWORK, fit_exempt=True,
                       earlier_method_meeting=True)
    assert [i.id for i in proposed] == ["participation-follow-up"]


def test_the_case_worker_is_still_offered_every_form_a_role_can_have() -> None:
    """Issue 10 item 18: the proposal only ticks; the session scale stays choosable at a network meeting."""
    from app.invitations.forms import choices_for

    offered = [i.id for i in choices_for(CATALOGUE, "child", fit_exempt=False)]
    assert {"fit-session-child", "participation-child", "participation-follow-up"} <= set(offered)
