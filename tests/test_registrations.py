"""Phone follow-ups (DESIGN.md H, INSTRUMENTS.md §6 phone-follow-up) and method registration
(DESIGN.md G, INSTRUMENTS.md §6 method-registration). Closing and re-opening: tests/test_closure.py."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.cases import services as cases
from app.cases.models import Case, CaseClosure, Meeting
from app.extensions import db
from app.registrations import services
from app.registrations.models import (
    MethodRegistration,
    PhoneFollowUp,
    RecordIsFinal,
)
from tests.factories import login

TODAY = date(2026, 3, 20)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _checked(html: str, name: str, value: str) -> bool:
    """Tell whether the radio button name=value is ticked in the page."""
    return any(f'name="{name}"' in tag and f'value="{value}"' in tag and " checked" in tag
               for tag in re.findall(r"<input[^>]*>", html))


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _meeting(app, case_id: int, kind: str, held_on: date, roles: tuple[str, ...] | None = None) -> int:
    with app.test_request_context():
        case = db.session.get(Case, case_id)
        people = [p.id for p in case.people if roles is None or p.role in roles]
        meeting = cases.record_meeting(case, kind, held_on, people)
        db.session.commit()
        return meeting.id


@pytest.fixture
def emma(make, caseworker):
    """Emma's case: child, mother, father, grandmother, provider; a network meeting today."""
    return make.emma(caseworker, open_round=False)


# --- what is due (DESIGN.md H) -------------------------------------------------------------

# DESIGN.md H: "phone follow-ups due within 14 days of a start-up, follow-up or notification
# meeting — one for each parent separately".
DUE_CASES = [
    # kind, held, today, participants, expected [(role, due, overdue)]
    ("startup", date(2026, 3, 10), TODAY, None, [("mother", date(2026, 3, 24), False), ("father", date(2026, 3, 24), False)]),
    ("follow_up", date(2026, 3, 6), TODAY, None, [("mother", date(2026, 3, 20), False), ("father", date(2026, 3, 20), False)]),
    ("notification", date(2026, 3, 5), TODAY, None, [("mother", date(2026, 3, 19), True), ("father", date(2026, 3, 19), True)]),
    ("notification", date(2026, 3, 5), TODAY, ("child", "mother", "network"), [("mother", date(2026, 3, 19), True)]),
    ("startup", TODAY, TODAY, ("child", "network", "provider"), []),  # no parent took part
    ("network_meeting", date(2026, 3, 10), TODAY, None, []),
    ("family_group_conference", date(2026, 3, 10), TODAY, None, []),
    ("action_plan", date(2026, 3, 10), TODAY, None, []),
    ("informal", date(2026, 3, 10), TODAY, None, []),
    ("startup", TODAY + timedelta(days=1), TODAY, None, []),  # not held yet
    ("startup", TODAY, TODAY, None, [("mother", date(2026, 4, 3), False), ("father", date(2026, 4, 3), False)]),
]


@pytest.mark.parametrize(("kind", "held", "today", "roles", "expected"), DUE_CASES)
def test_phone_follow_ups_due(app, emma, kind, held, today, roles, expected):
    """One per parent who took part, due 14 days after a start-up, follow-up or notification meeting."""
    meeting_id = _meeting(app, emma.case, kind, held, roles)
    with app.app_context():
        due = services.phone_follow_ups_due(db.session.get(Case, emma.case), today)
        assert [(d.person.role, d.due_on, d.overdue) for d in due] == expected
        assert all(d.meeting.id == meeting_id and d.case_id == emma.case for d in due)


def test_a_carer_counts_as_a_parent_and_a_recorded_call_drops_out(app, emma, make):
    meeting_id = _meeting(app, emma.case, "startup", date(2026, 3, 1))
    with app.test_request_context():
        case = db.session.get(Case, emma.case)
        carer = cases.save_person(case, None, {"role": "carer", "first_name": "Bo", "relation": "plejefar", "language": "da"})
        meeting = db.session.get(Meeting, meeting_id)
        meeting.participants.append(carer)
        db.session.commit()
        assert [d.person.role for d in services.phone_follow_ups_due(case, TODAY)] == ["mother", "father", "carer"]
        mother = next(p for p in case.people if p.role == "mother")
        services.record_phone_follow_up(meeting, mother, case.caseworker, TALKED)
        db.session.commit()
        assert [d.person.role for d in services.phone_follow_ups_due(case, TODAY)] == ["father", "carer"]
        # A list of cases gives the same, and an empty list nothing.
        assert [d.person.role for d in services.phone_follow_ups_due([case], TODAY)] == ["father", "carer"]
        assert services.phone_follow_ups_due([], TODAY) == []


# A call that reached the parent, as the service takes it.
TALKED = {"reached": True, "started": "yes", "helps": 4}


def test_a_call_that_did_not_reach_the_parent_stays_due_with_its_attempts(app, emma):
    """Issue 10, item 2: a failed phone follow-up does not close the obligation; a later
    successful call does. Every attempt is kept: when, and who tried."""
    meeting_id = _meeting(app, emma.case, "startup", date(2026, 3, 1))
    with app.test_request_context():
        case = db.session.get(Case, emma.case)
        meeting = db.session.get(Meeting, meeting_id)
        mother = next(p for p in case.people if p.role == "mother")
        first, stored = services.record_phone_follow_up(meeting, mother, case.caseworker, {"reached": False})
        assert stored
        # The same again at once is a double click; the same later is the next attempt.
        assert services.record_phone_follow_up(meeting, mother, case.caseworker, {"reached": False}) == (first, False)
        db.session.execute(db.update(PhoneFollowUp).where(PhoneFollowUp.id == first.id)
                           .values(recorded_at=first.recorded_at - timedelta(hours=3)))
        db.session.expire_all()
        assert services.record_phone_follow_up(meeting, mother, case.caseworker, {"reached": False})[1]
        db.session.commit()
        [due_mother] = [d for d in services.phone_follow_ups_due(case, TODAY) if d.person.role == "mother"]
        assert [a.by for a in due_mother.attempts] == [case.caseworker.name] * 2
        assert due_mother.attempts[0].at < due_mother.attempts[1].at
        assert services.open_registrations(case, TODAY)[meeting_id] == 2
        services.record_phone_follow_up(meeting, mother, case.caseworker, TALKED)
        db.session.commit()
        assert [d.person.role for d in services.phone_follow_ups_due(case, TODAY)] == ["father"]
        assert services.open_registrations(case, TODAY)[meeting_id] == 1


# --- the phone follow-up form -------------------------------------------------------------


@pytest.fixture
def startup(app, emma):
    emma.meeting = _meeting(app, emma.case, "startup", date.today() - timedelta(days=20))
    return emma


def _call_url(ids, role="mother"):
    return f"/meetings/{ids.meeting}/phone-follow-ups/{ids.people[role]}"


def test_the_meeting_and_case_pages_show_what_is_due_and_what_is_done(app, staff, startup):
    meeting_page = _text(staff.get(f"/meetings/{startup.meeting}/registrations").text)
    assert meeting_page.count("Forsinket") == 2 and "Registrér opkald" in meeting_page
    case_page = _text(staff.get(f"/cases/{startup.case}").text)
    assert "Ring til Mette senest" in case_page and "Ring til Jonas senest" in case_page
    response = staff.post(_call_url(startup), data={"reached": "yes", "started": "partly", "helps": "4", "notes": "Godt opkald."})
    assert response.status_code == 302
    meeting_page = _text(staff.get(f"/meetings/{startup.meeting}/registrations").text)
    assert "Talt med" in meeting_page and "Delvist" in meeting_page and meeting_page.count("Forsinket") == 1
    case_page = _text(staff.get(f"/cases/{startup.case}").text)
    assert "Ring til Mette" not in case_page and "Mette: talt med, hjælper 4/5" in case_page


def test_not_reached_needs_nothing_more(app, staff, startup):
    response = staff.post(_call_url(startup), data={"reached": "no"})
    assert response.status_code == 302
    with app.app_context():
        call = db.session.scalar(select(PhoneFollowUp))
        assert (call.reached, call.started, call.helps) == (False, None, None)


def test_not_reached_refuses_the_questions_that_need_a_conversation(app, staff, startup):
    """Issue 10, item 2: "Hjælper det? 5" with "Nej" is refused, clearly, and nothing typed is lost."""
    response = staff.post(_call_url(startup), data={"reached": "no", "started": "yes", "helps": "5",
                                                    "notes": "Ringede to gange."})
    assert response.status_code == 400
    page = _text(response.text)
    assert page.count("Det kan kun forælderen svare på, og du fik ikke fat i forælderen.") == 2
    assert "»5 · i høj grad«" in page and "»Ja«" in page and "Ringede to gange." in page
    assert _count(app, PhoneFollowUp) == 0
    # The choices are taken out (a radio button cannot be un-ticked), so saving "Nej" again goes through.
    assert not _checked(response.text, "helps", "5") and not _checked(response.text, "started", "yes")
    assert _checked(response.text, "reached", "no")
    assert staff.post(_call_url(startup), data={"reached": "no", "notes": "Ringede to gange."}).status_code == 302
    assert _count(app, PhoneFollowUp) == 1


def test_the_pages_keep_a_call_that_did_not_reach_the_parent_due_with_its_attempts(app, staff, startup):
    """Issue 10, item 2: the case page and the meeting page still ask for the call, naming the attempts."""
    assert staff.post(_call_url(startup), data={"reached": "no", "notes": "Tog ikke telefonen."}).status_code == 302
    case_page = _text(staff.get(f"/cases/{startup.case}").text)
    assert "Ring til Mette senest" in case_page and "Forsøgt" in case_page and "af Anne" in case_page
    assert "Mette: ikke fået fat i" not in case_page
    meeting_page = _text(staff.get(f"/meetings/{startup.meeting}/registrations").text)
    assert meeting_page.count("Forsinket") == 2 and "Forsøgt" in meeting_page
    # The form is the next call, not a correction; the attempt is in its history.
    form = staff.get(_call_url(startup)).text
    assert "bliver det en rettelse" not in form and "Du har ikke fået fat i forælderen endnu" in form
    assert "Tog ikke telefonen." in form and not _checked(form, "reached", "no")
    assert staff.post(_call_url(startup), data={"reached": "yes", "started": "yes", "helps": "4"}).status_code == 302
    case_page = _text(staff.get(f"/cases/{startup.case}").text)
    assert "Ring til Mette" not in case_page and "Mette: talt med, hjælper 4/5" in case_page
    page = _text(staff.get(_call_url(startup)).text)
    assert "ikke fået fat i" in page and "Rettet" not in page  # an attempt is history, not a correction


PHONE_BAD = [
    ("nothing", {}, "Svar, om du fik fat i forælderen."),
    ("reached-no-more", {"reached": "yes"}, "Svar, om indsatsen er gået i gang."),
    ("reached-no-helps", {"reached": "yes", "started": "yes"}, "Svar, hvor meget det hjælper."),
    ("helps-out-of-range", {"reached": "yes", "started": "yes", "helps": "6"}, "Vælg en af mulighederne."),
    ("started-garbage", {"reached": "yes", "started": "maybe", "helps": "3"}, "Vælg en af mulighederne."),
    # Issue 12 item 18: a choice sent blank is no choice (it gave a 500).
    ("helps-blank", {"reached": "yes", "started": "yes", "helps": " "}, "Svar, hvor meget det hjælper."),
    ("started-blank", {"reached": "yes", "started": "\t", "helps": "3"}, "Svar, om indsatsen er gået i gang."),
    ("notes-too-long", {"reached": "no", "notes": "x" * 4001}, "Højst 4000 tegn."),
    ("cpr", {"reached": "no", "notes": "Mor 010203-1234"}, "Skriv ikke CPR-numre i Samstem."),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in PHONE_BAD], ids=[c[0] for c in PHONE_BAD])
def test_phone_follow_up_bad_input(app, staff, startup, data, message):
    response = staff.post(_call_url(startup), data=data)
    assert response.status_code == 400 and message in _text(response.text)
    assert _count(app, PhoneFollowUp) == 0


def test_blank_choices_on_a_call_that_reached_nobody_are_no_answers(app, staff, startup):
    # Issue 12 item 18: blank choices sent with "not reached" gave a 500; they are no answers.
    response = staff.post(_call_url(startup), data={"reached": "no", "started": " ", "helps": " "})
    assert response.status_code == 302
    with app.app_context():
        [call] = db.session.scalars(select(PhoneFollowUp)).all()
        assert not call.reached and call.started is None and call.helps is None


def test_a_second_recording_is_a_correction_and_history_is_kept(app, staff, startup):
    talked = {"reached": "yes", "started": "partly", "helps": "3", "notes": "Mor var glad for mødet."}
    assert staff.post(_call_url(startup), data=talked).status_code == 302
    form = staff.get(_call_url(startup)).text
    assert "bliver det en rettelse" in form and "Mor var glad for mødet." in form
    # The same again (a double click) stores nothing new.
    staff.post(_call_url(startup), data=talked)
    assert _count(app, PhoneFollowUp) == 1
    assert staff.post(_call_url(startup), data={"reached": "yes", "started": "no", "helps": "2"}).status_code == 302
    with app.app_context():
        first, second = db.session.scalars(select(PhoneFollowUp).order_by(PhoneFollowUp.id)).all()
        assert second.corrects_id == first.id and not first.is_current and second.is_current
        first.notes = "ændret"
        with pytest.raises(RecordIsFinal):
            db.session.flush()
    page = _text(staff.get(_call_url(startup)).text)
    assert "Historik" in page and "Rettet" in page and "talt med" in page


@pytest.mark.parametrize("who", ["network", "child", "other-case", "huge"])
def test_only_parents_of_a_qualifying_meeting_get_the_form(staff, startup, make, who):
    other = make.emma(make.user("other", team=make.team("Team Syd")), open_round=False)
    person = {"network": startup.people["network"], "child": startup.people["child"],
              "other-case": other.people["mother"], "huge": 99999999999}[who]
    assert staff.get(f"/meetings/{startup.meeting}/phone-follow-ups/{person}").status_code == 404


def test_no_phone_follow_up_after_a_network_meeting(staff, emma):
    assert staff.get(_call_url(emma)).status_code == 404


# --- method registration (DESIGN.md G) ------------------------------------------------------

METHOD = {
    "status": "held", "occasion": "first",
    "method": "network_meeting", "target_group": "vulnerable", "case_type": "notification",
    "child_took_part": "yes", "parents_took_part": "yes", "network_count": "3", "professional_count": "2",
    "plan_coverage": "4", "outcome": "measure",
}


def test_a_method_is_registered_and_corrected_with_history(app, staff, emma):
    form = staff.get(f"/meetings/{emma.meeting}/method")
    assert form.status_code == 200
    assert re.search(r'<input checked[^>]*value="network_meeting"', form.text)  # the meeting's own kind
    assert staff.post(f"/meetings/{emma.meeting}/method", data=METHOD).status_code == 302
    page = _text(staff.get(f"/meetings/{emma.meeting}/registrations").text)
    assert "Udsatte børn og unge" in page and "Underretning" in page and "fra netværket: 3" in page
    assert "En indsats er sat i gang" in page and "4/5" in page
    assert staff.post(f"/meetings/{emma.meeting}/method", data=METHOD).status_code == 302  # double click
    assert _count(app, MethodRegistration) == 1
    changed = {**METHOD, "outcome": "closed", "network_count": "0"}
    assert staff.post(f"/meetings/{emma.meeting}/method", data=changed).status_code == 302
    with app.app_context():
        first, second = db.session.scalars(select(MethodRegistration).order_by(MethodRegistration.id)).all()
        assert second.corrects_id == first.id and (second.outcome, second.network_count) == ("closed", 0)
        assert (first.outcome, first.child_took_part, first.plan_coverage) == ("measure", True, 4)
    history = _text(staff.get(f"/meetings/{emma.meeting}/method").text)
    assert "Historik" in history and "Rettet" in history
    case_page = _text(staff.get(f"/cases/{emma.case}").text)
    assert "Sagen er lukket uden yderligere indsats" in case_page


# Issue 11 item 13: the case types in today's law's words, with the afdækning (Barnets Lov).
def test_the_case_types_speak_todays_law_and_include_the_afdaekning(app, staff, emma):
    form = _text(staff.get(f"/meetings/{emma.meeting}/method").text)
    assert "Afdækning" in form and "Igangværende indsats" in form and "Ungestøtte" in form
    assert "Unge 18–22 år (ungestøtte)" in form and "En indsats er sat i gang" in form
    assert "foranstaltning" not in form.lower() and "efterværn" not in form.lower()
    assert staff.post(f"/meetings/{emma.meeting}/method", data={**METHOD, "case_type": "initial_assessment"},
                      ).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(MethodRegistration.case_type)) == "initial_assessment"
    assert "Afdækning" in _text(staff.get(f"/meetings/{emma.meeting}/registrations").text)


METHOD_BAD = [
    ("count-negative", {"network_count": "-1"}, "Skriv et tal fra 0 til 99."),
    ("count-too-big", {"professional_count": "100"}, "Skriv et tal fra 0 til 99."),
    ("count-missing", {"network_count": ""}, "Skriv et tal, også hvis det er 0."),
    ("count-garbage", {"network_count": "tre"}, "Skriv et helt tal."),
    ("coverage", {"plan_coverage": "6"}, "Vælg en af mulighederne."),
    ("method", {"method": "startup"}, "Vælg en af mulighederne."),
    ("target-group", {"target_group": "everyone"}, "Vælg en af mulighederne."),
    ("outcome-missing", {"outcome": None}, "Vælg udfaldet."),
    ("child-missing", {"child_took_part": None}, "Svar, om barnet deltog."),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in METHOD_BAD], ids=[c[0] for c in METHOD_BAD])
def test_method_registration_bad_input(app, staff, emma, change, message):
    data = {k: v for k, v in {**METHOD, **change}.items() if v is not None}
    response = staff.post(f"/meetings/{emma.meeting}/method", data=data)
    assert response.status_code == 400 and message in _text(response.text)
    assert _count(app, MethodRegistration) == 0


def test_method_registration_only_after_a_network_meeting_or_conference(app, staff, emma):
    startup = _meeting(app, emma.case, "startup", date.today())
    assert staff.get(f"/meetings/{startup}/method").status_code == 404
    conference = _meeting(app, emma.case, "family_group_conference", date.today())
    assert staff.post(f"/meetings/{conference}/method", data={**METHOD, "method": "family_group_conference"}).status_code == 302


def test_nul_bytes_are_dropped_from_notes(app, staff, emma):
    meeting = _meeting(app, emma.case, "follow_up", date.today())
    response = staff.post(f"/meetings/{meeting}/phone-follow-ups/{emma.people['father']}",
                          data={"reached": "no", "notes": "Ring\x00 igen"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PhoneFollowUp.notes)) == "Ring igen"


def test_leaders_and_admins_and_other_teams_are_refused(app, emma, make):
    meeting = _meeting(app, emma.case, "startup", date.today())
    make.user("boss", role="leader")
    make.user("root", role="admin")
    make.user("stranger", team=make.team("Team Nord-Vest"))
    for username in ("boss", "root", "stranger"):
        client = app.test_client()
        login(client, username)
        for url, data in ((f"/meetings/{meeting}/phone-follow-ups/{emma.people['mother']}", {"reached": "no"}),
                          (f"/meetings/{emma.meeting}/method", METHOD),
                          (f"/cases/{emma.case}/close", {"closed_on": date.today().isoformat(), "reason": "moved"})):
            assert client.post(url, data=data).status_code == 403, (username, url)
            assert client.get(url).status_code == 403
    assert _count(app, PhoneFollowUp) + _count(app, MethodRegistration) + _count(app, CaseClosure) == 0


# --- the case page's meeting list leads to each meeting's registrations ---------------------

OPEN_CASES = [
    # kind, held, calls that reached the parent (roles; with "tried": calls that did not),
    # method registered, expected missing (None = left out)
    ("startup", TODAY - timedelta(days=3), (), False, 2),  # one call per parent: mother, father
    ("follow_up", TODAY - timedelta(days=30), ("mother",), False, 1),  # overdue or not, still missing
    ("notification", TODAY, ("mother", "father"), False, None),  # everyone talked with
    ("notification", TODAY, ("mother", "father", "tried"), False, 2),  # issue 10, item 2: tried, not reached
    ("startup", TODAY + timedelta(days=1), (), False, None),  # planned: not due yet
    ("network_meeting", TODAY, (), False, 1),
    ("family_group_conference", TODAY - timedelta(days=5), (), True, None),
    ("family_group_conference", TODAY + timedelta(days=2), (), False, None),  # planned
    ("action_plan", TODAY - timedelta(days=5), (), False, None),  # takes neither
]


@pytest.mark.parametrize(("kind", "held", "called", "registered", "expected"), OPEN_CASES)
def test_open_registrations_per_meeting(app, make, caseworker, kind, held, called, registered, expected):
    """DESIGN.md H (a phone follow-up per parent after start-up, follow-up and notification
    meetings) and G (method registration after network meetings and family group conferences)."""
    ids = make.emma(caseworker, open_round=False, kind="action_plan")
    meeting_id = _meeting(app, ids.case, kind, held)
    with app.test_request_context():
        case = db.session.get(Case, ids.case)
        meeting = db.session.get(Meeting, meeting_id)
        for person in case.people:
            if person.role in called:
                services.record_phone_follow_up(meeting, person, case.caseworker,
                                                {"reached": False} if "tried" in called else TALKED)
        if registered:
            services.register_method(meeting, case.caseworker, {
                "status": "held", "occasion": "first", "method": "family_group_conference", "target_group": "vulnerable", "case_type": "notification",
                "child_took_part": True, "parents_took_part": True, "network_count": 3, "professional_count": 2,
                "plan_coverage": 4, "outcome": "measure"})
        db.session.commit()
        assert services.open_registrations(case, TODAY).get(meeting_id) == expected
        assert ids.meeting not in services.open_registrations(case, TODAY)  # the action plan meeting


def _meeting_items(html: str) -> dict[int, str]:
    """The case page's meeting list: each item's text, by the meeting its registrations link names."""
    listing = html.split('<ul class="meetings">')[1].split("</ul>")[0]
    items = {}
    for item in listing.split("<li>")[1:]:
        found = re.search(r'href="/meetings/(\d+)/registrations"', item)
        items[int(found.group(1)) if found else 0] = _text(item)
    return items


def test_the_meeting_list_links_to_calls_and_method_saying_what_is_missing(app, staff, emma):
    held = date.today() - timedelta(days=20)
    startup = _meeting(app, emma.case, "startup", held)
    action_plan = _meeting(app, emma.case, "action_plan", held)
    items = _meeting_items(staff.get(f"/cases/{emma.case}").text)
    assert "Opfølgning pr. telefon 2 opkald mangler" in items[startup]
    assert "Metoderegistrering Metoden mangler" in items[emma.meeting]  # the network meeting held today
    assert 0 in items and "Opfølgning pr. telefon" not in items[0] and "Metoderegistrering" not in items[0]
    assert f'/meetings/{action_plan}/registrations' not in staff.get(f"/cases/{emma.case}").text
    # Calls and the method recorded: the links stay, nothing is said to be missing.
    for role in ("mother", "father"):
        staff.post(f"/meetings/{startup}/phone-follow-ups/{emma.people[role]}",
                   data={"reached": "yes", "started": "yes", "helps": "4"})
    staff.post(f"/meetings/{emma.meeting}/method", data=METHOD)
    items = _meeting_items(staff.get(f"/cases/{emma.case}").text)
    assert "Opfølgning pr. telefon" in items[startup] and "mangler" not in items[startup]
    assert "Metoderegistrering" in items[emma.meeting] and "mangler" not in items[emma.meeting]
    assert staff.get(f"/meetings/{startup}/registrations").status_code == 200
