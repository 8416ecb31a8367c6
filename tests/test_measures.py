"""Measures on the intervention ladder (issue 14 item 2): the rules every way in shares, the history,
and what the figures read (FIGURES.md K8, K9)."""

from datetime import date, timedelta

import pytest
from flask_login import login_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit import AuditEvent
from app.cases.models import Case
from app.extensions import db
from app.measures import services
from app.measures.models import Measure, MeasureIsFinal, MeasureVersion
from app.settings import lists
from bench.queries import count_queries

TODAY = date.today()
DAY = timedelta(days=1)


@pytest.fixture
def case_id(make, caseworker):
    return make.emma(caseworker, open_round=False).case


@pytest.fixture
def ctx(app, case_id):
    """A request as the case worker, with the case loaded."""
    with app.test_request_context():
        case = db.session.get(Case, case_id)
        login_user(case.caseworker)
        yield case


def _providers(*codes: str) -> None:
    lists.save("provider", [{"code": code, "labels": {"da": code.title()}, "active": True} for code in codes])


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _add(case, double_click: bool = False, **data):
    return services.add_measure(case, case.caseworker, {"kind": "family_treatment", "started_on": TODAY - 30 * DAY} | data,
                                double_click=double_click)


# --- issue 14, Bad input: a clear Danish message naming what is wrong, nothing stored ----------------

START = TODAY - 100 * DAY
BAD = [
    # (id, data on top of a valid measure, field, words the message says)
    ("end-before-start", {"started_on": START, "ended_on": START - DAY, "end_reason": "goal_met"},
     "ended_on", f"Indsatsen kan ikke slutte, før den begyndte ({START:%d-%m-%Y})."),
    ("end-in-the-future", {"ended_on": TODAY + DAY, "end_reason": "goal_met"},
     "ended_on", "Slutdatoen kan ikke ligge i fremtiden."),
    ("end-without-reason", {"ended_on": TODAY}, "end_reason", "Vælg, hvorfor indsatsen sluttede."),
    ("reason-without-end", {"end_reason": "goal_met"}, "end_reason", "Skriv også datoen, indsatsen sluttede"),
    ("reason-not-in-list", {"ended_on": TODAY, "end_reason": "bored"},
     "end_reason", "Grunden bored står ikke på listen over grunde til, at en indsats slutter."),
    ("other-reason-without-words", {"ended_on": TODAY, "end_reason": "other"},
     "end_note", "Skriv, hvorfor indsatsen sluttede."),
    ("words-without-end", {"end_note": "Den hjalp ikke."}, "end_note", "Skriv kun om, hvorfor indsatsen sluttede"),
    ("kind-missing", {"kind": "  "}, "kind", "Vælg indsatsen."),
    ("kind-not-on-ladder", {"kind": "hypnosis"}, "kind", "Indsatsen hypnosis findes ikke på indsatstrappen."),
    ("rung-not-on-ladder", {"rung": "attic"}, "rung", "Trinnet attic findes ikke på indsatstrappen."),
    ("rung-not-the-kinds", {"rung": "foster_care"},
     "rung", "Indsatsen Familiebehandling ligger på trinnet Støttende indsatser i hjemmet, ikke på Anbringelse i "
             "plejefamilie."),
    ("provider-not-in-list", {"provider": "acme"},
     "provider", "Udføreren acme står ikke på organisationens liste over udførere."),
    ("start-missing", {"started_on": None}, "started_on", "Skriv datoen, indsatsen begyndte."),
    ("start-no-date", {"started_on": "31-02-2025"}, "started_on", "Skriv datoen som dag, måned og år"),
    ("start-american", {"started_on": "03-14-2025"}, "started_on", "Skriv datoen som dag, måned og år"),
    ("start-long-ago", {"started_on": date(1900, 1, 1)}, "started_on", "Datoen ligger for langt tilbage."),
    ("start-far-ahead", {"started_on": TODAY + 400 * DAY}, "started_on", "højst registreres et år, før den begynder"),
    # Hostile and huge values: refused with the value cut short, never stored, never a 500.
    ("markup", {"kind": "<script>alert(1)</script>"}, "kind", "Indsatsen <script>alert(1)</script> findes ikke"),
    ("huge-kind", {"kind": "x" * 100_000}, "kind", "Indsatsen " + "x" * 40 + "… findes ikke"),
    ("huge-words", {"ended_on": TODAY, "end_reason": "other", "end_note": "ord " * 600},
     "end_note", "Skriv højst 2000 tegn."),
    ("cpr-in-words", {"ended_on": TODAY, "end_reason": "other", "end_note": "Barnet 010203-1234 flyttede."},
     "end_note", "Skriv ikke CPR-numre i Samstem."),
    ("a-number-for-a-date", {"started_on": 20250101}, "started_on", "Skriv datoen som dag, måned og år"),
    ("a-list-for-a-kind", {"kind": ["family_treatment"]}, "kind", "findes ikke på indsatstrappen"),
]


@pytest.mark.parametrize(("data", "field", "words"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_refused_measure_names_the_field_and_stores_nothing(ctx, data, field, words):
    before = (_count(Measure), _count(MeasureVersion), _count(AuditEvent))
    with pytest.raises(services.MeasureError) as refused:
        _add(ctx, **data)
    assert words in refused.value.problems[field]
    assert services.validate_measure(ctx, {"kind": "family_treatment", "started_on": TODAY - 30 * DAY} | data) == \
        refused.value.problems
    db.session.rollback()
    assert (_count(Measure), _count(MeasureVersion), _count(AuditEvent)) == before


def test_every_problem_is_named_at_once(ctx):
    problems = services.validate_measure(ctx, {"kind": "hypnosis", "provider": "acme", "started_on": "i går",
                                               "end_reason": "bored"})
    assert set(problems) == {"kind", "provider", "started_on", "end_reason"}


def test_the_provider_is_required_once_the_organisation_lists_providers(ctx):
    # Issue 14 item 2: optional while the list is empty.
    assert "provider" not in services.validate_measure(ctx, {"kind": "family_treatment", "started_on": TODAY})
    _providers("familiehuset")
    assert services.validate_measure(ctx, {"kind": "family_treatment", "started_on": TODAY}) == {
        "provider": "Vælg udføreren."}
    assert services.validate_measure(ctx, {"kind": "family_treatment", "started_on": TODAY,
                                           "provider": "familiehuset"}) == {}


# Issue 14, Bad input: overlapping measures of the same kind on one case.
OVERLAPS = [
    # (id, the first measure's start and end (days from today), the second's, refused?)
    ("both-running", (-100, None), (-50, None), True),
    ("inside", (-100, -10), (-50, -20), True),
    ("starts-before-and-runs-into", (-100, -10), (-200, -50), True),
    ("second-covers-first", (-100, -50), (-200, None), True),
    ("same-days", (-100, -50), (-100, -50), True),
    ("handover-on-the-same-day", (-100, -50), (-50, None), False),
    ("one-after-the-other", (-100, -50), (-40, None), False),
    ("before-the-first", (-100, None), (-300, -100), False),
]


@pytest.mark.parametrize(("first", "second", "refused"), [case[1:] for case in OVERLAPS],
                         ids=[case[0] for case in OVERLAPS])
def test_two_measures_of_the_same_kind_cannot_run_at_once(ctx, first, second, refused):
    def dates(days):
        start, end = days
        return {"started_on": TODAY + start * DAY} | (
            {"ended_on": TODAY + end * DAY, "end_reason": "planned_end"} if end is not None else {})

    _add(ctx, kind="foster_family", **dates(first))
    problems = services.validate_measure(ctx, {"kind": "foster_family"} | dates(second))
    if refused:
        assert "Der er allerede en indsats af samme slags (Plejefamilie)" in problems["started_on"]
    else:
        assert problems == {}
    # Another kind may always run beside it.
    assert services.validate_measure(ctx, {"kind": "family_treatment"} | dates(second)) == {}


def test_a_measure_is_added_with_its_rung_and_audited(ctx):
    measure = _add(ctx, kind="network_foster_family")
    version = measure.current
    assert (version.number, version.kind, version.rung, version.provider) == (1, "network_foster_family",
                                                                              "network_placement", None)
    db.session.flush()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "measure.create"))
    assert event.case_id == ctx.id and event.detail == {"measure_id": measure.id, "version": 1}


def test_the_same_measure_added_twice_at_once_from_a_form_is_stored_once(ctx):
    # A double click: the second would otherwise be refused as overlapping itself.
    assert _add(ctx, double_click=True).id == _add(ctx, double_click=True).id
    assert _count(Measure) == 1


def test_the_same_measure_given_twice_without_a_form_is_refused(ctx):
    # An import file with the same row twice (issue 14, Bad input: a duplicate row).
    _add(ctx)
    with pytest.raises(services.MeasureError) as refused:
        _add(ctx)
    assert "Der er allerede en indsats af samme slags (Familiebehandling)" in refused.value.problems["started_on"]


def test_a_correction_is_a_new_version_and_the_first_stays(ctx):
    measure = _add(ctx)
    assert services.change_measure(measure, ctx.caseworker, {"kind": "home_support"}, based_on=1)
    assert [(v.number, v.kind, v.rung) for v in measure.versions] == [
        (1, "family_treatment", "supportive"), (2, "home_support", "supportive")]
    # Nothing changed: nothing stored.
    assert not services.change_measure(measure, ctx.caseworker, {"kind": "home_support"}, based_on=2)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "measure.change")).all()
    assert [e.detail for e in events] == [{"measure_id": measure.id, "version": 2, "changed": ["kind"]}]


def test_a_correction_on_an_old_page_stores_nothing(ctx):
    measure = _add(ctx)
    services.change_measure(measure, ctx.caseworker, {"kind": "home_support"}, based_on=1)
    with pytest.raises(services.MeasureChanged):
        services.change_measure(measure, ctx.caseworker, {"kind": "contact_person"}, based_on=1)
    assert len(measure.versions) == 2


def test_ending_a_measure_adds_its_end_and_ending_it_again_is_refused(ctx):
    measure = _add(ctx)
    assert services.end_measure(measure, ctx.caseworker, {"ended_on": TODAY, "end_reason": "goal_met"})
    assert (measure.current.ended_on, measure.current.end_reason, measure.current.number) == (TODAY, "goal_met", 2)
    with pytest.raises(services.MeasureError) as refused:
        services.end_measure(measure, ctx.caseworker, {"ended_on": TODAY, "end_reason": "moved"})
    assert refused.value.problems == {"ended_on": "Indsatsen er allerede afsluttet. Ret slutdatoen under Ret "
                                                  "indsatsen."}


def test_ending_needs_the_day(ctx):
    measure = _add(ctx)
    with pytest.raises(services.MeasureError) as refused:
        services.end_measure(measure, ctx.caseworker, {"ended_on": "", "end_reason": "goal_met"})
    assert refused.value.problems == {"ended_on": "Skriv datoen, indsatsen sluttede."}


def test_a_code_taken_out_of_use_stays_on_the_measure_that_has_it_but_is_not_chosen_anew(ctx):
    _providers("familiehuset", "lyngbo")
    measure = _add(ctx, provider="lyngbo")
    lists.save("provider", [{"code": "familiehuset", "labels": {"da": "Familiehuset"}, "active": True},
                            {"code": "lyngbo", "labels": {"da": "Lyngbo"}, "active": False}])
    assert services.change_measure(measure, ctx.caseworker, {"started_on": TODAY - 40 * DAY})
    assert measure.current.provider == "lyngbo"
    assert services.validate_measure(ctx, {"kind": "home_support", "provider": "lyngbo", "started_on": TODAY}) == {
        "provider": "Udføreren lyngbo står ikke på organisationens liste over udførere."}


def test_a_stored_version_never_changes(ctx):
    measure = _add(ctx)
    db.session.flush()
    measure.current.kind = "home_support"
    with pytest.raises(MeasureIsFinal):
        db.session.flush()


@pytest.mark.parametrize(("values", "constraint"), [
    ({"ended_on": TODAY - 40 * DAY, "end_reason": "goal_met"}, "dates"),
    ({"ended_on": TODAY, "end_reason": None}, "end_reason"),
    ({"end_note": "uden slutdato"}, "end_note"),
], ids=["end-before-start", "end-without-reason", "words-without-end"])
def test_the_database_keeps_the_end_rules_too(ctx, values, constraint):
    measure = Measure(case_id=ctx.id, created_by_id=ctx.caseworker_id)
    fields = {"kind": "family_treatment", "rung": "supportive", "started_on": TODAY - 30 * DAY} | values
    measure.versions.append(MeasureVersion(number=1, written_by_id=ctx.caseworker_id, **fields))
    db.session.add(measure)
    with pytest.raises(IntegrityError, match=f"ck_measure_version_{constraint}"):
        db.session.flush()
    db.session.rollback()


# --- what the figures read (FIGURES.md K8, K9) ------------------------------------------------------


@pytest.fixture
def three_cases(app, make, caseworker):
    """Emma moves down the ladder, from foster care to a network placement; Ali is on preventive
    measures; Sara has none."""
    emma = make.emma(caseworker, open_round=False).case
    ali = make.emma(caseworker, open_round=False).case
    sara = make.emma(caseworker, open_round=False).case
    make.measure(emma, "foster_family", TODAY - 300 * DAY, ended_on=TODAY - 100 * DAY, end_reason="replaced")
    make.measure(emma, "network_foster_family", TODAY - 100 * DAY)
    make.measure(emma, "family_treatment", TODAY - 200 * DAY)
    make.measure(ali, "group_course", TODAY - 50 * DAY, ended_on=TODAY - 10 * DAY, end_reason="planned_end")
    return emma, ali, sara


RUNG_ON = [
    # (id, days from today, Emma's, Ali's and Sara's rung position)
    ("before-anything", -400, (None, None, None)),
    ("foster-care-and-family-treatment", -150, (6, None, None)),
    ("handover-day", -100, (6, None, None)),  # the day one ends and the next begins: the higher
    ("network-placement", -99, (5, None, None)),
    ("ali-on-a-course", -30, (5, 2, None)),
    ("ali-on-the-courses-last-day", -10, (5, 2, None)),
    ("today", 0, (5, None, None)),
]


@pytest.mark.parametrize(("days", "positions"), [case[1:] for case in RUNG_ON], ids=[case[0] for case in RUNG_ON])
def test_the_rung_a_child_stands_on_is_the_highest_running_that_day(app, three_cases, days, positions):
    with app.test_request_context():
        assert services.rung_on(three_cases, TODAY + days * DAY) == dict(zip(three_cases, positions, strict=True))


def test_a_move_down_the_ladder_reads_from_the_rungs_on_two_days(app, three_cases):
    emma, ali, sara = three_cases
    with app.test_request_context():
        assert services.rungs_between(three_cases, TODAY - 150 * DAY, TODAY) == {
            emma: (6, 5), ali: (None, None), sara: (None, None)}
        assert services.rungs_between([ali], TODAY - 30 * DAY, TODAY) == {ali: (2, None)}


def test_placements_tell_network_placements(app, three_cases):
    emma, ali, sara = three_cases
    with app.test_request_context():
        earlier = services.placements_on(three_cases, TODAY - 150 * DAY)
        now = services.placements_on(three_cases, TODAY)
    assert [(case, rung.code, rung.network) for case, rung in earlier.items()] == [(emma, "foster_care", False)]
    assert [(case, rung.code, rung.network) for case, rung in now.items()] == [(emma, "network_placement", True)]


def test_the_figures_read_any_number_of_cases_in_one_query(app, three_cases):
    with app.test_request_context(), count_queries(db.engine) as counted:
        facts = services.measures_for(three_cases)
        services.rung_on(three_cases, TODAY)
    assert len(counted.statements) == 2
    assert sorted(f.kind for f in facts) == ["family_treatment", "foster_family", "group_course",
                                             "network_foster_family"]
    with app.test_request_context():
        assert services.measures_for([]) == [] and services.rung_on([], TODAY) == {}


def test_the_figures_read_a_corrected_measure_as_it_stands_now(app, make, caseworker, three_cases):
    emma = three_cases[0]
    with app.test_request_context():
        case = db.session.get(Case, emma)
        login_user(case.caseworker)
        measure = db.session.scalar(select(Measure).join(MeasureVersion).where(
            Measure.case_id == emma, MeasureVersion.kind == "network_foster_family"))
        services.change_measure(measure, case.caseworker, {"kind": "residential_home"})
        db.session.commit()
        assert services.rung_on([emma], TODAY) == {emma: 7}
        assert [f.kind for f in services.measures_for([emma])].count("network_foster_family") == 0
