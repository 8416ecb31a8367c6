"""Which forms Samstem proposes to a participant, from role, child's age, meeting kind and exemption."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.instruments import Catalogue, load_catalogue, propose

FORMS = Path(__file__).resolve().parents[1] / "forms"
CATALOGUE: Catalogue = load_catalogue(FORMS, ["da", "en"])

NETWORK = "network_meeting"

# (rule, role, child_age, meeting_kind, fit_exempt, max_forms, expected ids)
CASES: list[tuple[str, str, int | None, str, bool, int, list[str]]] = [
    ("DESIGN.md §2A: a child of 9 gets the child outcome and session scales", "child", 9, NETWORK, False, 2,
     ["fit-outcome-child", "fit-session-child"]),
    ("DESIGN.md §2A: a parent gets the outcome scale about the child and the session scale", "mother", 9, NETWORK,
     False, 2, ["fit-outcome-child", "fit-session"]),
    ("DESIGN.md §2A: network members get the participation evaluation", "network", 9, NETWORK, False, 2,
     ["participation-network"]),
    ("INSTRUMENTS.md §2: the provider evaluates participation as an adult", "provider", 9, NETWORK, False, 2,
     ["participation-adult"]),
    ("DESIGN.md §2A: a person exempt from FIT gets no FIT form", "child", 9, NETWORK, True, 2,
     ["participation-child"]),
    ("DESIGN.md §2A: a child of 14 gets the youth versions", "child", 14, NETWORK, False, 2,
     ["fit-outcome", "fit-session"]),
    ("INSTRUMENTS.md §1: 13 is a youth; the bound is inclusive", "child", 13, NETWORK, False, 2,
     ["fit-outcome", "fit-session"]),
    ("INSTRUMENTS.md §1: 12 is still a child", "child", 12, NETWORK, False, 2,
     ["fit-outcome-child", "fit-session-child"]),
    ("INSTRUMENTS.md §1: a child of 4 gets the five-faces forms", "child", 4, NETWORK, False, 2,
     ["fit-outcome-young", "fit-session-young"]),
    ("Brief: parents of a young child rate the child on the adult outcome form", "father", 4, NETWORK, False, 2,
     ["fit-outcome", "fit-session"]),
    ("INSTRUMENTS.md §1: parents about a child 13+ use the adult outcome form", "carer", 15, NETWORK, False, 2,
     ["fit-outcome", "fit-session"]),
    ("Brief: outcome before session before participation, when more forms are allowed", "mother", 15, NETWORK,
     False, 3, ["fit-outcome", "fit-session", "participation-adult"]),
    ("INSTRUMENTS.md §2: the participation form for children runs to 17", "child", 17, "family_group_conference",
     False, 3, ["fit-outcome", "fit-session", "participation-child"]),
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
    ("Brief: an unknown age matches only audiences without age bounds", "mother", None, NETWORK, False, 3,
     ["fit-session", "participation-adult"]),
    ("Brief: a child of unknown age gets no age-banded form", "child", None, NETWORK, False, 2, []),
    ("INSTRUMENTS.md §1: the case's child aged 18+ is outside every child audience", "child", 19, NETWORK, False, 2,
     []),
    ("Brief: a role no instrument names gets nothing", "coordinator", 9, NETWORK, False, 2, []),
    ("Brief: max_forms caps the proposal", "child", 9, NETWORK, False, 1, ["fit-outcome-child"]),
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
    proposed = propose(CATALOGUE, role="child", child_age=15, meeting_kind=NETWORK, fit_exempt=False)
    assert [i.id for i in proposed] == ["fit-outcome", "fit-session"]
