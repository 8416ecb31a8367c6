"""The intervention ladder as data (issue 14 item 2): the shipped proposal, broken files refused at
start-up and by `flask instruments validate`, and the administrator's confirmation."""

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app, indicators, instruments, measures
from app.audit import AuditEvent
from app.extensions import db
from app.measures.ladder import (
    DEFAULT_FILE,
    LadderError,
    check_ladder,
    load_ladder,
    parse_ladder,
)
from tests.conftest import _config
from tests.factories import login

GOOD = DEFAULT_FILE.read_text(encoding="utf-8")


def test_the_shipped_ladder_runs_from_universal_services_to_residential_care():
    ladder = load_ladder(DEFAULT_FILE)
    assert ladder.proposal
    assert [(r.position, r.code, r.placement, r.network) for r in ladder.rungs] == [
        (1, "universal", False, False),
        (2, "preventive", False, False),
        (3, "supportive", False, False),
        (4, "intensive", False, False),
        (5, "network_placement", True, True),  # a rung of its own (issue 14 item 2)
        (6, "foster_care", True, False),
        (7, "residential_care", True, False),
    ]
    assert [k.code for k in ladder.rung("network_placement").kinds] == ["network_foster_family"]
    assert ladder.kind("family_treatment").rung == "supportive"
    assert ladder.rung("supportive").name("da") == "Støttende indsatser i hjemmet"
    assert ladder.rung("supportive").name("en") == "Supportive measures at home"
    assert check_ladder(ladder, ["da", "en"]) == []


def test_a_name_missing_in_english_falls_back_to_danish_and_validate_names_it(tmp_path):
    raw = GOOD.replace('name = { da = "Familiebehandling", en = "Family treatment" }',
                       'name = { da = "Familiebehandling" }')
    ladder = parse_ladder(raw.encode(), tmp_path / "ladder.toml")
    assert ladder.kind("family_treatment").name("en") == "Familiebehandling"
    assert check_ladder(ladder, ["da", "en"]) == [f"{tmp_path / 'ladder.toml'}: 'family_treatment' has no name in en"]


BROKEN = [
    # (id, the shipped file changed so, what the message says)
    ("not-toml", lambda s: s + "\n[[rung", "not a readable TOML file"),
    ("not-utf8", lambda s: s.replace("Almene tilbud", "Alm\udce6ne"), "not a readable TOML file"),
    ("no-rungs", lambda s: "proposal = true\n", "no rungs ([[rung]])"),
    ("misspelt-key", lambda s: s.replace("placement = false", "placment = false", 1), "unknown key placment"),
    ("rung-code-twice", lambda s: s.replace('code = "preventive"', 'code = "universal"'),
     "rung 2: code 'universal' is used twice"),
    ("kind-code-twice", lambda s: s.replace('code = "home_support"', 'code = "family_treatment"'),
     "code 'family_treatment' is used twice"),
    ("position-twice", lambda s: s.replace("position = 2", "position = 1"), "position 1 is used by another rung"),
    ("position-as-text", lambda s: s.replace("position = 2", 'position = "2"'), "position must be a whole number"),
    ("position-zero", lambda s: s.replace("position = 2", "position = 0"), "position must be a whole number"),
    ("code-with-spaces", lambda s: s.replace('code = "preventive"', 'code = "Forebyggende indsatser"'),
     "code must be 1–40 of a-z"),
    ("no-danish-name", lambda s: s.replace('name = { da = "Almene tilbud", en = "Universal services" }',
                                           'name = { en = "Universal services" }'), "name has no Danish text (da)"),
    ("network-not-a-placement", lambda s: s.replace("placement = true\nnetwork = true", "placement = false\nnetwork = true"),
     "a network placement must also be a placement"),
    ("placement-missing", lambda s: s.replace("placement = false\n", "", 1), "placement must be true or false"),
    ("rung-without-kinds", lambda s: s.split("  [[rung.kind]]")[0], "a rung needs at least one kind of measure"),
    ("proposal-as-text", lambda s: s.replace("proposal = true", 'proposal = "ja"'), "proposal must be true or false"),
]


def _write(tmp_path: Path, change) -> Path:
    path = tmp_path / "ladder.toml"
    text = change(GOOD)
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    return path


@pytest.mark.parametrize(("change", "words"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_broken_ladder_file_is_refused_naming_the_problem(tmp_path, change, words):
    path = _write(tmp_path, change)
    with pytest.raises(LadderError) as refused:
        load_ladder(path)
    assert words in str(refused.value) and str(path) in str(refused.value)


def test_a_broken_ladder_file_stops_start_up(tmp_path, database_url):
    path = _write(tmp_path, lambda s: s.replace("position = 2", "position = 1"))
    with pytest.raises(LadderError, match="position 1 is used by another rung"):
        create_app(_config(database_url) | {"LADDER_FILE": path})
    with pytest.raises(LadderError, match="cannot read the ladder file"):
        create_app(_config(database_url) | {"LADDER_FILE": tmp_path / "missing.toml"})


def _validating_app() -> Flask:
    app = Flask(__name__)
    instruments.init_app(app)
    indicators.init_app(app)
    measures.init_app(app)
    return app


def test_validate_counts_the_ladder_beside_the_forms():
    result = _validating_app().test_cli_runner().invoke(args=["instruments", "validate"])
    assert result.exit_code == 0, result.output
    # The respondent languages; the ladder itself is read by staff only, in da and en.
    assert result.output == "OK: 12 instruments, 6 indicator forms, 7 ladder rungs, languages da, en, ar, uk\n"


def test_validate_fails_on_a_broken_ladder_file(tmp_path):
    app = _validating_app()
    app.config["LADDER_FILE"] = _write(tmp_path, lambda s: s.replace('code = "home_support"', 'code = "family_treatment"'))
    result = app.test_cli_runner().invoke(args=["instruments", "validate"])
    assert result.exit_code == 1
    assert "code 'family_treatment' is used twice" in result.output


def test_the_ladder_holds_no_forms_a_page_could_find():
    from app.instruments.registry import find_form

    app = _validating_app()
    with app.test_request_context():
        assert find_form("family_treatment") is None and find_form("fit-outcome") is not None


# --- the administrator confirms the proposal ----------------------------------------------------


@pytest.fixture
def admin(app, make, client):
    make.user("admin", role="admin", name="Ada Administrator")
    login(client, "admin")
    return client


def _confirmations(app) -> list[dict]:
    with app.app_context():
        return [e.detail for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "ladder.confirm"))]


def test_the_administrator_sees_the_proposal_and_confirms_it_once(app, admin):
    assert 'href="/admin/ladder"' in admin.get("/").text
    page = admin.get("/admin/ladder").text
    assert "Forslag" in page and "Bekræft trappen" in page
    assert "Netværksanbringelse" in page and "Ja, netværksanbringelse" in page and "Familiebehandling" in page

    # A post without the button's confirm=yes (an old page, a stray post) changes nothing.
    refused = admin.post("/admin/ladder")
    assert refused.status_code == 400 and "Tryk på knappen Bekræft trappen" in refused.text
    assert _confirmations(app) == []

    response = admin.post("/admin/ladder", data={"confirm": "yes"}, follow_redirects=True)
    assert "Indsatstrappen er bekræftet. Den er ikke længere et forslag." in response.text
    assert "Bekræftet af Ada Administrator" in response.text and "Bekræft trappen</button>" not in response.text
    assert [detail["rungs"][4] for detail in _confirmations(app)] == ["network_placement"]

    again = admin.post("/admin/ladder", data={"confirm": "yes"}, follow_redirects=True)
    assert "Indsatstrappen var allerede bekræftet." in again.text and len(_confirmations(app)) == 1


def test_the_case_page_says_proposal_until_the_ladder_is_confirmed(app, make, staff, caseworker):
    case = make.emma(caseworker, open_round=False).case
    make.measure(case, "family_treatment")
    page = staff.get(f"/cases/{case}").text
    assert "Indsatstrappen er et forslag, som organisationen endnu ikke har bekræftet." in page
    make.user("admin", role="admin")
    admin = app.test_client()
    login(admin, "admin")
    admin.post("/admin/ladder", data={"confirm": "yes"})
    assert "Indsatstrappen er et forslag" not in staff.get(f"/cases/{case}").text


def test_a_confirmation_holds_for_the_file_confirmed_not_for_a_later_edit(app, tmp_path):
    from app.measures import services

    with app.test_request_context():
        from flask_login import login_user

        from app.auth.models import User

        user = User(username="ada", name="Ada", roles={"admin"})
        user.set_password("correct horse battery")
        db.session.add(user)
        db.session.flush()
        login_user(user)
        assert services.confirm_ladder(user) and not services.is_proposal()
        edited = parse_ladder(GOOD.replace("Almene tilbud", "Almene tilbud for alle").encode(), tmp_path / "l.toml")
        assert services.is_proposal(edited)
        own = parse_ladder(GOOD.replace("proposal = true", "proposal = false").encode(), tmp_path / "l.toml")
        assert not services.is_proposal(own)
